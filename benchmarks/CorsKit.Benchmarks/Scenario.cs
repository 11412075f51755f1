using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace CorsKit.Benchmarks;

/// <summary>The nine cases of issue 6, in its order.</summary>
public enum Scenario
{
    /// <summary>1. A same-origin GET: no Origin header.</summary>
    NoOrigin,

    /// <summary>2. An allowed actual request; the policy lists one exact origin.</summary>
    ExactOrigin,

    /// <summary>3. The same request; the policy lists 10,000 exact origins.</summary>
    ExactOrigin10K,

    /// <summary>4. An allowed actual request matched by a subdomain wildcard.</summary>
    SubdomainWildcard,

    /// <summary>5. An allowed actual request matched by a regex.</summary>
    Regex,

    /// <summary>6. An actual request from an origin the policy does not allow.</summary>
    RefusedActual,

    /// <summary>7. An allowed preflight asking for a method and two request headers.</summary>
    Preflight,

    /// <summary>8. A preflight from an origin the policy does not allow.</summary>
    RefusedPreflight,

    /// <summary>9. A preflight from an allowed origin with 10 KB of commas and names in Access-Control-Request-Headers.</summary>
    HostilePreflight,

    /// <summary>
    /// Case 5 again, with Microsoft given the same regex engine as CorsKit (NonBacktracking) instead of a compiled
    /// backtracking regex: the same matching cost on both sides, so the difference is the middleware.
    /// </summary>
    RegexSameEngine,

    /// <summary>
    /// Case 5 with a different matching origin on every request, cycling through 1,024 of them: CorsKit's table of
    /// remembered regex matches (64 slots) never has the origin, so every request runs the regex. What an API pays
    /// when its regex admits more distinct origins than it remembers.
    /// </summary>
    RegexUnremembered,

    /// <summary>
    /// Issue 18: a WebSocket handshake (GET, Upgrade: websocket) from the allowed origin. CorsKit checks the origin and
    /// passes it to the endpoint; Microsoft treats it as an actual CORS request (it has no handshake check).
    /// </summary>
    WebSocketAllowed,

    /// <summary>Issue 18: a WebSocket handshake from an origin the policy does not allow: CorsKit answers 403 itself.</summary>
    WebSocketRefused,
}

/// <summary>
/// The request a case sends. It never changes between invocations, except for the Origin header when
/// <paramref name="RotatingOrigins"/> is set: then each invocation sends the next one of them.
/// </summary>
internal sealed record RequestShape(string Method, IReadOnlyList<(string Name, string Value)> Headers, string[]? RotatingOrigins = null);

/// <summary>
/// One case: the request, and the same policy written for CorsKit and for Microsoft.AspNetCore.Cors. Both policies
/// allow https://app.example.com (or the case's pattern), PUT and DELETE, two request headers, expose one header
/// and cache preflights for ten minutes.
/// </summary>
internal sealed class ScenarioDefinition
{
    public const string AllowedOrigin = "https://app.example.com";
    public const string RefusedOrigin = "https://evil.example.net";
    public const string SubdomainOrigin = "https://api.example.com";
    public const string RegexOrigin = "https://pr-1234.preview.example.com";
    public const string OriginRegex = @"https://pr-[0-9]+\.preview\.example\.com";
    public const int ManyOriginsCount = 10_000;
    public const int RotatingOriginsCount = 1_024;

    private static readonly string[] Methods = ["PUT", "DELETE"];
    private static readonly string[] RequestHeaders = ["content-type", "x-requested-with"];
    private static readonly string[] ExposedHeaders = ["x-total-count"];
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);

    private ScenarioDefinition(
        RequestShape request, string[] origins, string[] originRegexes, bool subdomains, bool expectAllowed,
        RegexOptions microsoftRegexOptions = RegexOptions.Compiled)
    {
        Request = request;
        Origins = origins;
        OriginRegexes = originRegexes;
        Subdomains = subdomains;
        ExpectAllowed = expectAllowed;
        MicrosoftRegexOptions = microsoftRegexOptions;
    }

    public RequestShape Request { get; }

    /// <summary>Exact origins, or a subdomain pattern when <see cref="Subdomains"/> is set.</summary>
    public string[] Origins { get; }

    public string[] OriginRegexes { get; }

    public bool Subdomains { get; }

    /// <summary>Whether CorsKit must answer with Access-Control-Allow-Origin (checked once in setup).</summary>
    public bool ExpectAllowed { get; }

    /// <summary>The engine of the regex in Microsoft's origin predicate.</summary>
    public RegexOptions MicrosoftRegexOptions { get; }

    /// <summary>A WebSocket handshake: CorsKit's answer is whether the endpoint ran (not refused with 403).</summary>
    public bool IsHandshake { get; private init; }

    public static ScenarioDefinition For(Scenario scenario) => scenario switch
    {
        Scenario.NoOrigin => new(Get(), [AllowedOrigin], [], false, false),
        Scenario.ExactOrigin => new(Get(AllowedOrigin), [AllowedOrigin], [], false, true),
        Scenario.ExactOrigin10K => new(Get(AllowedOrigin), ManyOrigins(), [], false, true),
        Scenario.SubdomainWildcard => new(Get(SubdomainOrigin), ["https://*.example.com"], [], true, true),
        Scenario.Regex => new(Get(RegexOrigin), [], [OriginRegex], false, true),
        Scenario.RefusedActual => new(Get(RefusedOrigin), [AllowedOrigin], [], false, false),
        Scenario.Preflight => new(Options(AllowedOrigin, "content-type,x-requested-with"), [AllowedOrigin], [], false, true),
        Scenario.RefusedPreflight => new(Options(RefusedOrigin, "content-type"), [AllowedOrigin], [], false, false),
        Scenario.HostilePreflight => new(Options(AllowedOrigin, HostileRequestHeaders()), [AllowedOrigin], [], false, false),
        Scenario.RegexSameEngine => new(Get(RegexOrigin), [], [OriginRegex], false, true, RegexOptions.NonBacktracking | RegexOptions.ExplicitCapture),
        Scenario.RegexUnremembered => new(Get(RegexOrigin) with { RotatingOrigins = RegexOrigins() }, [], [OriginRegex], false, true),
        Scenario.WebSocketAllowed => new(Handshake(AllowedOrigin), [AllowedOrigin], [], false, true) { IsHandshake = true },
        Scenario.WebSocketRefused => new(Handshake(RefusedOrigin), [AllowedOrigin], [], false, false) { IsHandshake = true },
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };

    public void Configure(CorsKitPolicyBuilder policy)
    {
        policy.AllowOrigins(Origins)
            .AllowMethods(Methods)
            .AllowRequestHeaders(RequestHeaders)
            .ExposeHeaders(ExposedHeaders)
            .SetPreflightMaxAge(MaxAge);
        if (OriginRegexes.Length != 0) policy.AllowOriginRegexes(OriginRegexes);
    }

    public void Configure(CorsPolicyBuilder policy)
    {
        policy.WithOrigins(Origins)
            .WithMethods(Methods)
            .WithHeaders(RequestHeaders)
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(MaxAge);
        if (Subdomains) policy.SetIsOriginAllowedToAllowWildcardSubdomains();
        if (OriginRegexes.Length != 0)
        {
            // What a Microsoft user writes for a regex: an anchored Regex as the origin predicate (compiled, unless the
            // case asks for CorsKit's engine).
            var regex = new System.Text.RegularExpressions.Regex(
                $"^(?:{OriginRegexes[0]})\\z", MicrosoftRegexOptions | RegexOptions.CultureInvariant);
            policy.SetIsOriginAllowed(regex.IsMatch);
        }
    }

    private static RequestShape Get(string? origin = null) =>
        new("GET", origin is null ? [] : [("Origin", origin)]);

    private static RequestShape Handshake(string origin) => new("GET",
    [
        ("Origin", origin), ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ]);

    private static RequestShape Options(string origin, string requestHeaders) =>
        new("OPTIONS", [("Origin", origin), ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", requestHeaders)]);

    /// <summary>The allowed origin sits in the middle of 9,999 others, the average position for a list scan.</summary>
    private static string[] ManyOrigins()
    {
        var origins = new string[ManyOriginsCount];
        for (var i = 0; i < origins.Length; i++)
        {
            origins[i] = string.Create(CultureInfo.InvariantCulture, $"https://app-{i}.example.com");
        }
        origins[ManyOriginsCount / 2] = AllowedOrigin;
        return origins;
    }

    /// <summary>Distinct origins the case 5 regex matches, all as long as <see cref="RegexOrigin"/>.</summary>
    private static string[] RegexOrigins()
    {
        var origins = new string[RotatingOriginsCount];
        for (var i = 0; i < origins.Length; i++)
        {
            origins[i] = string.Create(CultureInfo.InvariantCulture, $"https://pr-{1000 + i}.preview.example.com");
        }
        return origins;
    }

    /// <summary>10 KB of header names separated by runs of commas and spaces.</summary>
    private static string HostileRequestHeaders()
    {
        var builder = new StringBuilder(10 * 1024 + 32);
        for (var i = 0; builder.Length < 10 * 1024; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"x-h{i},, ,");
        }
        return builder.ToString();
    }
}
