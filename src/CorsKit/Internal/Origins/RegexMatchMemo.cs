using System.Text.RegularExpressions;

namespace CorsKit.Internal;

/// <summary>
/// A policy's combined origin regex, with a memory of the origins it recently matched, so a browser that sends the
/// same origin again and again (every request of a page does) costs a hash and a comparison instead of a regex run.
/// </summary>
/// <remarks>
/// <para>
/// A fixed table of <see cref="SlotCount"/> string references, one per hash slot, created with the policy and never
/// grown: a new match overwrites whatever its slot held. Only matches are stored, and only after the regex said yes;
/// a lookup compares the whole origin, so a slot can make CorsKit skip a regex run for that exact origin and nothing
/// else. The regex of a built policy never changes (a reload builds a new policy with a new table), so an entry can
/// never go stale.
/// </para>
/// <para>
/// No allocation: the table stores the request's own Origin string. Reads and writes of a reference are atomic, so
/// concurrent requests need no lock; a lost write only means one more regex run later. Slots come from the
/// per-process randomized string hash, so no one can choose origins that collide on every server; colliding or
/// numerous origins only evict each other, which costs regex runs, never a wrong answer.
/// </para>
/// </remarks>
internal sealed class RegexMatchMemo(Regex regex)
{
    /// <summary>Slots in the table: a power of two, far more than the origins one API usually serves.</summary>
    internal const int SlotCount = 64;

    private readonly string?[] _slots = new string?[SlotCount];

    /// <summary>True when the regex matches the whole <paramref name="origin"/>, remembered or run now.</summary>
    public bool IsMatch(string origin)
    {
        ref var slot = ref _slots[origin.GetHashCode(StringComparison.Ordinal) & (SlotCount - 1)];
        var remembered = Volatile.Read(ref slot);
        if (remembered is not null && string.Equals(remembered, origin, StringComparison.Ordinal)) return true;
        if (!regex.IsMatch(origin)) return false;
        Volatile.Write(ref slot, origin);
        return true;
    }
}
