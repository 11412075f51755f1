namespace CorsKit.Internal;

/// <summary>The validated, normalised settings of a policy, as a user would read them back.</summary>
internal sealed record PolicyDescription(
    IReadOnlyList<string> Origins,
    IReadOnlyList<string> OriginRegexes,
    bool HasOriginPredicates,
    bool AllowsAnyOrigin,
    IReadOnlyList<string> Methods,
    IReadOnlyList<string> RequestHeaders,
    IReadOnlyList<string> ExposedHeaders,
    bool AllowsCredentials,
    TimeSpan? MaxAge,
    bool AllowsAnyOriginForWebSockets);
