namespace CorsKit.Internal;

/// <summary>
/// One configured list (origins, methods, request headers, exposed headers) read the same way: <c>*</c> noted apart,
/// every other entry checked by the list's own rule (which reports what is wrong) and kept once, in order.
/// </summary>
/// <typeparam name="T">What an accepted entry becomes.</typeparam>
internal sealed class ConfiguredList<T>
    where T : class
{
    private ConfiguredList(bool wildcard, IReadOnlyList<T> entries)
    {
        Wildcard = wildcard;
        Entries = entries;
    }

    /// <summary>True when the list holds <c>*</c>.</summary>
    public bool Wildcard { get; }

    /// <summary>The accepted entries other than <c>*</c>, without duplicates.</summary>
    public IReadOnlyList<T> Entries { get; }

    /// <param name="values">The entries as configured.</param>
    /// <param name="accept">The list's rule: the accepted entry, or null after reporting why it is refused.</param>
    /// <param name="key">What makes two accepted entries the same.</param>
    public static ConfiguredList<T> Read(IEnumerable<string?> values, Func<string?, T?> accept, Func<T, string> key)
    {
        var wildcard = false;
        var entries = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value == "*")
            {
                wildcard = true;
                continue;
            }

            if (accept(value) is { } entry && seen.Add(key(entry))) entries.Add(entry);
        }

        return new ConfiguredList<T>(wildcard, entries);
    }
}
