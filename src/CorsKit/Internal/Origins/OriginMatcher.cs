using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// A policy's origin check: whether a request's Origin header is allowed. It first checks the header's syntax (one
/// line, a serialized origin as browsers send it), then the static allowlist, then the predicates. Every allowlist
/// lookup is a hash-set probe on a slice of the origin, so the cost does not grow with the number of configured origins:
/// <list type="number">
/// <item>exact origins: one probe of the whole origin (before any parsing: every entry is well-formed);</item>
/// <item><c>scheme://host:*</c>: one probe of the origin without its port;</item>
/// <item><c>scheme://*.suffix[:port|:*]</c>: one probe per dot of the host, right to left, bounded by the longest
/// configured suffix; keyed per scheme, and there are only ever a handful of schemes;</item>
/// <item>regexes: one anchored, non-backtracking regex that is the alternation of all configured ones, run only when
/// the origin is not among the last matches it remembers (<see cref="RegexMatchMemo"/>).</item>
/// </list>
/// Store origins (<see cref="ICorsKitStoreOrigins"/>) are a second matcher of the same kind, exact origins and
/// patterns only, probed after the configured ones: the same hash probes, so their number does not matter either.
/// </summary>
internal sealed class OriginMatcher
{
    private readonly bool _anyOrigin;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _anyPortHosts;
    private readonly bool _hasAnyPortHosts;
    private readonly SchemeSuffixes[] _suffixes;
    private readonly RegexMatchMemo? _regex;
    private readonly Func<string, bool>[] _predicates;
    private readonly OriginMatcher? _store;

    public OriginMatcher(bool anyOrigin, IReadOnlyList<OriginPattern> patterns, Regex? combinedRegex, Func<string, bool>[] predicates)
        : this(anyOrigin, [], patterns, combinedRegex, predicates)
    {
    }

    /// <param name="anyOrigin">True for <c>*</c>.</param>
    /// <param name="exactOrigins">Exact origins already in canonical form (store rows: the row's own string, not a copy).</param>
    /// <param name="patterns">Parsed origins and patterns; exact ones join <paramref name="exactOrigins"/>.</param>
    /// <param name="combinedRegex">The alternation of the configured regexes, or null.</param>
    /// <param name="predicates">The configured predicates.</param>
    public OriginMatcher(
        bool anyOrigin,
        IReadOnlyList<string> exactOrigins,
        IReadOnlyList<OriginPattern> patterns,
        Regex? combinedRegex,
        Func<string, bool>[] predicates)
    {
        _anyOrigin = anyOrigin;
        _predicates = predicates;
        var exact = new List<string>(exactOrigins.Count);
        foreach (var origin in exactOrigins)
        {
            if (OriginSyntax.TryParse(origin, out _)) exact.Add(origin);
        }

        var anyPortHosts = new List<string>();
        foreach (var pattern in patterns)
        {
            // An exact pattern's canonical form is its origin. Only origins a request could carry go in the exact set,
            // so a hit there needs no parsing.
            if (pattern.IsExact)
            {
                var origin = pattern.Display;
                if (OriginSyntax.TryParse(origin, out _)) exact.Add(origin);
            }
            else if (!pattern.MatchesSubdomains) anyPortHosts.Add($"{pattern.Scheme}://{pattern.Host}");
        }

        _exact = exact.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _anyPortHosts = anyPortHosts.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _hasAnyPortHosts = anyPortHosts.Count > 0;
        _suffixes = patterns
            .Where(p => p.MatchesSubdomains)
            .GroupBy(p => p.Scheme, StringComparer.Ordinal)
            .Select(g => new SchemeSuffixes(
                g.Key,
                g.Where(p => p.PortRule != PortRule.Any).Select(p => p.SuffixKey),
                g.Where(p => p.PortRule == PortRule.Any).Select(p => p.Host)))
            .ToArray();
        _regex = combinedRegex is null ? null : new RegexMatchMemo(combinedRegex);
    }

    private OriginMatcher(OriginMatcher configured, OriginMatcher? store)
    {
        _anyOrigin = configured._anyOrigin;
        _exact = configured._exact;
        _anyPortHosts = configured._anyPortHosts;
        _hasAnyPortHosts = configured._hasAnyPortHosts;
        _suffixes = configured._suffixes;
        _regex = configured._regex;
        _predicates = configured._predicates;
        _store = store;
    }

    /// <summary>How many exact origins the matcher holds (store snapshots report it).</summary>
    public int ExactCount => _exact.Set.Count;

    /// <summary>This matcher with <paramref name="store"/> as its store origins, in place of any it had.</summary>
    public OriginMatcher WithStoreOrigins(OriginMatcher? store) => new(this, store);

    /// <summary>
    /// Allowed, OriginMalformed, OriginNull or OriginNotAllowed for the Origin header of a request. An any-origin
    /// policy allows every header, whatever it holds (docs/security.md: '*' reflects nothing, and the answer must not
    /// depend on Origin). A predicate that throws refuses: CorsKit never fails open.
    /// </summary>
    public CorsKitReason Check(StringValues originHeader)
    {
        if (_anyOrigin) return CorsKitReason.Allowed;
        if (originHeader.Count != 1) return CorsKitReason.OriginMalformed;
        var origin = originHeader[0];
        if (string.IsNullOrEmpty(origin)) return CorsKitReason.OriginMalformed;
        if (_exact.Contains(origin) || (_store is not null && _store._exact.Contains(origin))) return CorsKitReason.Allowed;
        if (!OriginSyntax.TryParse(origin, out var parts)) return origin == "null" ? CorsKitReason.OriginNull : CorsKitReason.OriginMalformed;
        if (MatchesPattern(origin, parts) || (_store is not null && _store.MatchesPattern(origin, parts))) return CorsKitReason.Allowed;
        foreach (var predicate in _predicates)
        {
            try
            {
                if (predicate(origin)) return CorsKitReason.Allowed;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return CorsKitReason.OriginNotAllowed;
            }
        }

        return CorsKitReason.OriginNotAllowed;
    }

    /// <summary>Patterns and regexes, for a well-formed origin that is not an exact entry.</summary>
    private bool MatchesPattern(string origin, in OriginSyntax.Parts parts)
    {
        if (_hasAnyPortHosts && _anyPortHosts.Contains(origin.AsSpan(0, parts.HostEnd))) return true;
        if (_suffixes.Length != 0 && !parts.HostIsIp && MatchesSubdomainPattern(origin, parts)) return true;
        return _regex is not null && _regex.IsMatch(origin);
    }

    private bool MatchesSubdomainPattern(ReadOnlySpan<char> origin, in OriginSyntax.Parts parts)
    {
        var scheme = origin[..parts.SchemeLength];
        foreach (var entry in _suffixes)
        {
            if (!scheme.SequenceEqual(entry.Scheme)) continue;

            // Walk the dots of the host from the right: each dot starts a candidate suffix of whole labels, and
            // the label(s) before it are the subdomain part (never empty: a well-formed host has no empty label).
            var host = origin[parts.HostStart..parts.HostEnd];
            var withPort = origin[parts.HostStart..];
            for (var dot = host.LastIndexOf('.'); dot > 0; dot = host[..dot].LastIndexOf('.'))
            {
                var suffixLength = host.Length - dot - 1;
                if (suffixLength > entry.MaxSuffixLength) break;
                if (entry.HasSuffixes && entry.Suffixes.Contains(withPort[(dot + 1)..])) return true;
                if (entry.HasAnyPortSuffixes && entry.AnyPortSuffixes.Contains(host[(dot + 1)..])) return true;
            }
            return false;
        }
        return false;
    }

    private sealed class SchemeSuffixes
    {
        public SchemeSuffixes(string scheme, IEnumerable<string> suffixes, IEnumerable<string> anyPortSuffixes)
        {
            Scheme = scheme;
            var withPort = suffixes.ToFrozenSet(StringComparer.Ordinal);
            var anyPort = anyPortSuffixes.ToFrozenSet(StringComparer.Ordinal);
            Suffixes = withPort.GetAlternateLookup<ReadOnlySpan<char>>();
            AnyPortSuffixes = anyPort.GetAlternateLookup<ReadOnlySpan<char>>();
            HasSuffixes = withPort.Count > 0;
            HasAnyPortSuffixes = anyPort.Count > 0;

            // Host part of each key: strip ":port" so the bound compares host lengths.
            MaxSuffixLength = withPort.Select(k => k.Contains(':', StringComparison.Ordinal) ? k.IndexOf(':', StringComparison.Ordinal) : k.Length)
                .Concat(anyPort.Select(k => k.Length))
                .DefaultIfEmpty(0)
                .Max();
        }

        public string Scheme { get; }

        public FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Suffixes { get; }

        public FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> AnyPortSuffixes { get; }

        public bool HasSuffixes { get; }

        public bool HasAnyPortSuffixes { get; }

        public int MaxSuffixLength { get; }
    }
}
