using CorsKit.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit;

/// <summary>
/// A validated, immutable CORS policy. Create it with <see cref="CorsKitPolicyBuilder"/>. Every header value it can
/// send is computed when it is built.
/// </summary>
public sealed class CorsKitPolicy
{
    private readonly OriginMatcher _matcher;
    private readonly Func<string, bool>[] _predicates;
    private readonly HeaderNameSet _requestHeaders;
    private readonly MethodSet _methods;

    internal CorsKitPolicy(
        string name,
        PolicyDescription description,
        OriginMatcher matcher,
        Func<string, bool>[] predicates,
        MethodSet methods,
        HeaderNameSet requestHeaders,
        IReadOnlyList<string> warnings,
        OriginResolution? originResolver = null)
    {
        Name = name;
        Description = description;
        _matcher = matcher;
        _predicates = predicates;
        _methods = methods;
        _requestHeaders = requestHeaders;
        Warnings = warnings;
        OriginResolver = originResolver;
        ActualResponseCallback = state =>
        {
            var context = (HttpContext)state;
            var origin = context.Request.Headers.Origin;
            ActualResponse.Respond(context, this, ActualResponse.Evaluate(this, origin), origin);
            return Task.CompletedTask;
        };

        AllowMethodsValue = methods.AllowsAny && !description.AllowsCredentials
            ? CorsHeaders.Wildcard
            : JoinOrEmpty(description.Methods);
        AllowHeadersValue = requestHeaders.AllowsAny && !description.AllowsCredentials
            ? new StringValues(requestHeaders.AllowsAuthorization ? "*, authorization" : "*")
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

    /// <summary>The preflight cache duration sent as <c>Access-Control-Max-Age</c>, or null when not sent.</summary>
    public TimeSpan? PreflightMaxAge => Description.MaxAge;

    /// <summary>The <see cref="ICorsKitOriginResolver"/> type consulted for origins the static allowlist does not match, or null.</summary>
    public Type? OriginResolverType => OriginResolver?.ResolverType;

    /// <summary>Accepted but questionable settings (for example a max-age above Chromium's 7200-second cap).</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal PolicyDescription Description { get; }

    /// <summary>The run-time origin check (with its cache), or null when the static allowlist decides alone.</summary>
    internal OriginResolution? OriginResolver { get; }

    internal StringValues AllowMethodsValue { get; }

    internal StringValues AllowHeadersValue { get; }

    internal StringValues ExposeHeadersValue { get; }

    internal StringValues MaxAgeValue { get; }

    /// <summary>The logs and metrics of the app that uses this policy; attached by the middleware on first use.</summary>
    internal CorsKitDiagnostics? Diagnostics { get; set; }

    /// <summary>Response.OnStarting callback (state: the HttpContext), created once per policy.</summary>
    internal Func<object, Task> ActualResponseCallback { get; }

    internal MethodSet MethodRules => _methods;

    internal HeaderNameSet RequestHeaderRules => _requestHeaders;

    /// <summary>Checks the Origin header of a request against the static allowlist, regexes and predicates.</summary>
    internal CorsKitReason CheckOrigin(StringValues originHeader)
    {
        // The one rule for an any-origin policy: '*' whatever the Origin header holds (malformed, null or repeated
        // included). '*' reflects nothing and never comes with credentials, and an answer that does not depend on
        // Origin lets one cached response serve every origin (docs/security.md).
        if (Description.AllowsAnyOrigin) return CorsKitReason.Allowed;
        if (originHeader.Count != 1) return CorsKitReason.OriginMalformed;
        var origin = originHeader[0];
        if (string.IsNullOrEmpty(origin)) return CorsKitReason.OriginMalformed;
        if (_matcher.IsExactMatch(origin)) return CorsKitReason.Allowed;
        if (!OriginSyntax.TryParse(origin, out var parts))
        {
            return origin == "null" ? CorsKitReason.OriginNull : CorsKitReason.OriginMalformed;
        }

        if (_matcher.IsPatternMatch(origin, parts)) return CorsKitReason.Allowed;
        foreach (var predicate in _predicates)
        {
            try
            {
                if (predicate(origin)) return CorsKitReason.Allowed;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A predicate that fails refuses: CorsKit never fails open.
                return CorsKitReason.OriginNotAllowed;
            }
        }

        return CorsKitReason.OriginNotAllowed;
    }

    private static StringValues JoinOrEmpty(IReadOnlyList<string> values) =>
        values.Count == 0 ? StringValues.Empty : new StringValues(string.Join(", ", values));
}
