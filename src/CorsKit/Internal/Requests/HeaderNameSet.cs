using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The request headers a policy allows, checked against Access-Control-Request-Headers. The list may arrive on several
/// header lines, with optional whitespace around elements and empty elements (ignored, as RFC 9110 asks, but counted
/// against the element limit). Length and element limits are checked before anything else, so a hostile value costs
/// one pass at most. Allocation-free.
/// </summary>
internal sealed class HeaderNameSet
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _names;

    public HeaderNameSet(IEnumerable<string> names, bool allowsAny)
    {
        var set = names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _names = set.GetAlternateLookup<ReadOnlySpan<char>>();
        AllowsAny = allowsAny;
        AllowsAuthorization = set.Contains("authorization");
    }

    public bool AllowsAny { get; }

    public bool AllowsAuthorization { get; }

    /// <summary>Total length over all header lines, or -1 when over the limit.</summary>
    public static int MeasureLength(StringValues requestHeaders)
    {
        // Every line holds at least one element, so more lines than elements allowed is over the limit; checking the
        // count first keeps the cost constant however many (empty) lines a request repeats.
        if (requestHeaders.Count > RequestLimits.MaxRequestHeadersElements) return -1;

        var total = 0;
        foreach (var line in requestHeaders)
        {
            total += line?.Length ?? 0;
            if (total > RequestLimits.MaxRequestHeadersLength) return -1;
        }
        return total;
    }

    public CorsKitReason Check(StringValues requestHeaders)
    {
        if (MeasureLength(requestHeaders) < 0) return CorsKitReason.HeadersMalformed;

        var elements = 0;
        var refused = false;
        foreach (var line in requestHeaders)
        {
            var rest = (line ?? string.Empty).AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                var element = HttpSyntax.TrimOws(comma < 0 ? rest : rest[..comma]);
                if (++elements > RequestLimits.MaxRequestHeadersElements) return CorsKitReason.HeadersMalformed;
                if (!element.IsEmpty)
                {
                    if (!HttpSyntax.IsToken(element)) return CorsKitReason.HeadersMalformed;
                    refused |= !IsAllowed(element);
                }

                if (comma < 0) break;
                rest = rest[(comma + 1)..];
            }
        }

        // Malformed input wins over a refusal so the reason names the real problem.
        return refused ? CorsKitReason.HeaderNotAllowed : CorsKitReason.Allowed;
    }

    public bool IsAllowed(ReadOnlySpan<char> name)
    {
        if (_names.Contains(name)) return true;
        return AllowsAny && !name.Equals("authorization", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The refused names, for diagnostics only (allocates).</summary>
    public IReadOnlyList<string> ListRefused(StringValues requestHeaders) => ListNames(requestHeaders, allowed: false);

    /// <summary>The requested names that are allowed, for debug answers only (allocates).</summary>
    public IReadOnlyList<string> ListAllowed(StringValues requestHeaders) => ListNames(requestHeaders, allowed: true);

    private List<string> ListNames(StringValues requestHeaders, bool allowed)
    {
        var names = new List<string>();
        if (MeasureLength(requestHeaders) < 0) return names;
        foreach (var name in Elements(requestHeaders))
        {
            if (HttpSyntax.IsToken(name) && IsAllowed(name) == allowed) names.Add(name.ToLowerInvariant());
        }
        return names;
    }

    /// <summary>
    /// The non-empty elements of the lists, trimmed of optional whitespace, for diagnostics only (allocates; callers
    /// check <see cref="MeasureLength"/> first, so the work is bounded).
    /// </summary>
    internal static IEnumerable<string> Elements(StringValues requestHeaders)
    {
        foreach (var line in requestHeaders)
        {
            foreach (var element in (line ?? string.Empty).Split(','))
            {
                var name = element.Trim(' ', '\t');
                if (name.Length > 0) yield return name;
            }
        }
    }

    /// <summary>True when the request asked for at least one header.</summary>
    public static bool HasAny(StringValues requestHeaders)
    {
        foreach (var line in requestHeaders)
        {
            foreach (var c in line ?? string.Empty)
            {
                if (c != ',' && !HttpSyntax.IsOws(c)) return true;
            }
        }
        return false;
    }
}
