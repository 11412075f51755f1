using CorsKit.Internal;
using Microsoft.Extensions.Primitives;

namespace CorsKit;

/// <summary>
/// A validated, immutable CORS policy. Create it with <see cref="CorsKitPolicyBuilder"/>. Every header value it can
/// send is computed when it is built. It is data: the app that serves it keeps its own logs, metrics and settings.
/// </summary>
public sealed class CorsKitPolicy
{
    internal CorsKitPolicy(
        string name,
        PolicyDescription description,
        OriginMatcher originRules,
        MethodSet methodRules,
        HeaderNameSet requestHeaderRules,
        IReadOnlyList<string> warnings,
        CachedOriginResolver? cachedResolver,
        CredentialRules credentialRules)
    {
        CredentialRules = credentialRules;
        Name = name;
        Description = description;
        OriginRules = originRules;
        MethodRules = methodRules;
        RequestHeaderRules = requestHeaderRules;
        Warnings = warnings;
        CachedResolver = cachedResolver;

        AllowMethodsValue = methodRules.AllowsAny && !description.AllowsCredentials
            ? CorsHeaders.Wildcard
            : JoinOrEmpty(description.Methods);
        AllowHeadersValue = requestHeaderRules.AllowsAny && !description.AllowsCredentials
            ? new StringValues(requestHeaderRules.AllowsAuthorization ? "*, authorization" : "*")
            : JoinOrEmpty(description.RequestHeaders);
        ExposeHeadersValue = JoinOrEmpty(description.ExposedHeaders);
        MaxAgeValue = description.MaxAge is { } maxAge
            ? new StringValues(((long)maxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))
            : StringValues.Empty;
    }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>True when any origin is allowed (<c>*</c>).</summary>
    public bool AllowsAnyOrigin => Description.AllowsAnyOrigin;

    /// <summary>True when credentialed requests are allowed.</summary>
    public bool AllowsCredentials => Description.AllowsCredentials;

    /// <summary>The configured origins and origin patterns, in canonical form.</summary>
    public IReadOnlyList<string> Origins => Description.Origins;

    /// <summary>The configured origin regexes, as written.</summary>
    public IReadOnlyList<string> OriginRegexes => Description.OriginRegexes;

    /// <summary>The configured methods (<c>*</c> for any). GET, HEAD and POST are always allowed.</summary>
    public IReadOnlyList<string> Methods => Description.Methods;

    /// <summary>The configured request header names, lower case (<c>*</c> for any).</summary>
    public IReadOnlyList<string> RequestHeaders => Description.RequestHeaders;

    /// <summary>The configured exposed header names.</summary>
    public IReadOnlyList<string> ExposedHeaders => Description.ExposedHeaders;

    /// <summary>
    /// True when a WebSocket handshake from any origin is let through (an any-origin policy, or
    /// <see cref="CorsKitPolicyBuilder.AllowAnyOriginForWebSockets"/>); otherwise a handshake from an origin the policy
    /// does not allow is refused with 403.
    /// </summary>
    public bool AllowsAnyOriginForWebSockets => Description.AllowsAnyOriginForWebSockets;

    /// <summary>The preflight cache duration sent as <c>Access-Control-Max-Age</c>, or null when not sent.</summary>
    public TimeSpan? PreflightMaxAge => Description.MaxAge;

    /// <summary>The <see cref="ICorsKitOriginResolver"/> type consulted for origins the static allowlist does not match, or null.</summary>
    public Type? OriginResolverType => CachedResolver?.ResolverType;

    /// <summary>Accepted but questionable settings (for example a max-age above Chromium's 7200-second cap).</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal PolicyDescription Description { get; }

    /// <summary>The origin check: syntax, allowlist, regexes and predicates.</summary>
    internal OriginMatcher OriginRules { get; }

    /// <summary>The run-time origin check (the user's resolver with its cache), or null when the allowlist decides alone.</summary>
    internal CachedOriginResolver? CachedResolver { get; }

    /// <summary>What credentials demand of origins (checked again for every store origin).</summary>
    internal CredentialRules CredentialRules { get; }

    internal MethodSet MethodRules { get; }

    internal HeaderNameSet RequestHeaderRules { get; }

    internal StringValues AllowMethodsValue { get; }

    internal StringValues AllowHeadersValue { get; }

    internal StringValues ExposeHeadersValue { get; }

    internal StringValues MaxAgeValue { get; }

    /// <summary>This policy with <paramref name="storeOrigins"/> beside its configured origins (replacing earlier store origins).</summary>
    internal CorsKitPolicy WithStoreOrigins(OriginMatcher? storeOrigins) => new(
        Name, Description, OriginRules.WithStoreOrigins(storeOrigins), MethodRules, RequestHeaderRules, Warnings, CachedResolver, CredentialRules);

    private static StringValues JoinOrEmpty(IReadOnlyList<string> values) =>
        values.Count == 0 ? StringValues.Empty : new StringValues(string.Join(", ", values));
}
