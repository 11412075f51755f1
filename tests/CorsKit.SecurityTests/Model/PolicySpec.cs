using System.Text;

namespace CorsKit.SecurityTests.Model;

/// <summary>What an origin predicate (AllowOriginWhen) in a test policy does.</summary>
internal enum PredicateKind
{
    None,

    /// <summary>Allows origins whose text contains "trusted".</summary>
    ContainsTrusted,

    /// <summary>Throws for every origin: CorsKit must refuse, never fail open.</summary>
    Throws,

    /// <summary>Allows every origin whose host is a bracketed IPv6 address: as lax as a predicate can be about IPv6.</summary>
    IPv6Host,
}

/// <summary>
/// A policy as plain configuration strings. The same spec configures the real middleware (through the public
/// builder) and the reference model, so neither ever sees the other's data structures.
/// </summary>
internal sealed record PolicySpec
{
    public IReadOnlyList<string> Origins { get; init; } = [];

    public IReadOnlyList<string> OriginRegexes { get; init; } = [];

    public PredicateKind Predicate { get; init; }

    /// <summary>
    /// Sloppy regexes (unescaped dots, lax IPv6, http twins, <c>.*</c>) used inside an origin predicate, anchored at
    /// both ends. CorsKit's regex audit refuses them as OriginRegexes at start-up; as a predicate they show that
    /// CorsKit's syntax gate still stands between a lax matcher and the response headers.
    /// </summary>
    public IReadOnlyList<string> LaxMatchers { get; init; } = [];

    public IReadOnlyList<string> Methods { get; init; } = [];

    public IReadOnlyList<string> RequestHeaders { get; init; } = [];

    public IReadOnlyList<string> ExposedHeaders { get; init; } = [];

    public bool Credentials { get; init; }

    /// <summary>
    /// Opts in to plain-http, non-loopback origins with credentials, which CorsKit otherwise refuses at start-up; the
    /// attack suite needs such policies to show the matching itself holds for them.
    /// </summary>
    public bool DangerouslyAllowInsecureHttp { get; init; }

    public int? MaxAgeSeconds { get; init; }

    /// <summary>Configures a real CorsKit policy. <paramref name="predicateSeen"/> receives every origin the predicate is called with.</summary>
    public void Configure(CorsKitPolicyBuilder builder, Action<string>? predicateSeen = null)
    {
        if (Origins.Count > 0) builder.AllowOrigins([.. Origins]);
        if (OriginRegexes.Count > 0) builder.AllowOriginRegexes([.. OriginRegexes]);
        if (LaxMatchers.Count > 0)
        {
            var matchers = LaxMatchers.Select(pattern => new System.Text.RegularExpressions.Regex($"^(?:{pattern})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)).ToArray();
            builder.AllowOriginWhen(origin =>
            {
                predicateSeen?.Invoke(origin);
                return matchers.Any(m => m.IsMatch(origin));
            });
        }

        switch (Predicate)
        {
            case PredicateKind.ContainsTrusted:
                builder.AllowOriginWhen(origin =>
                {
                    predicateSeen?.Invoke(origin);
                    return origin.Contains("trusted", StringComparison.Ordinal);
                });
                break;
            case PredicateKind.IPv6Host:
                builder.AllowOriginWhen(origin =>
                {
                    predicateSeen?.Invoke(origin);
                    return origin.Contains("://[", StringComparison.Ordinal);
                });
                break;
            case PredicateKind.Throws:
                builder.AllowOriginWhen(origin =>
                {
                    predicateSeen?.Invoke(origin);
                    throw new InvalidOperationException("predicate failure");
                });
                break;
        }

        if (Methods.Count > 0) builder.AllowMethods([.. Methods]);
        if (RequestHeaders.Count > 0) builder.AllowRequestHeaders([.. RequestHeaders]);
        if (ExposedHeaders.Count > 0) builder.ExposeHeaders([.. ExposedHeaders]);
        if (Credentials) builder.AllowCredentials();
        if (DangerouslyAllowInsecureHttp) builder.DangerouslyAllowInsecureHttpOriginsWithCredentials();
        if (MaxAgeSeconds is { } seconds) builder.SetPreflightMaxAge(TimeSpan.FromSeconds(seconds));
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("Origins=[").AppendJoin(", ", Origins).Append(']');
        if (OriginRegexes.Count > 0) text.Append(" Regexes=[").AppendJoin(", ", OriginRegexes).Append(']');
        if (LaxMatchers.Count > 0) text.Append(" LaxMatchers=[").AppendJoin(", ", LaxMatchers).Append(']');
        if (Predicate != PredicateKind.None) text.Append(" Predicate=").Append(Predicate);
        text.Append(" Methods=[").AppendJoin(", ", Methods).Append(']');
        text.Append(" Headers=[").AppendJoin(", ", RequestHeaders).Append(']');
        text.Append(" Exposed=[").AppendJoin(", ", ExposedHeaders).Append(']');
        text.Append(" Credentials=").Append(Credentials);
        if (MaxAgeSeconds is { } seconds) text.Append(" MaxAge=").Append(seconds);
        return text.ToString();
    }
}
