namespace CorsKit.Cli.Audit;

/// <summary>How bad a finding is. Names are stable: they appear in the JSON and SARIF output.</summary>
internal enum AuditSeverity
{
    Info,
    Low,
    Medium,
    High,
}

/// <summary>
/// One kind of finding: its stable id, what it means, what an attacker gains, its severity with and without
/// credentials, and the fix for servers other than CorsKit. docs/cli.md documents each one; a test holds them equal.
/// </summary>
internal sealed record AuditRule(
    string Id,
    string Title,
    string AttackerGains,
    AuditSeverity WithCredentials,
    AuditSeverity? WithoutCredentials,
    string OtherServersFix)
{
    /// <summary>The severity of a finding proven on a response that allows credentials or not; null: not a finding then.</summary>
    public AuditSeverity? SeverityFor(bool credentials) => credentials ? WithCredentials : WithoutCredentials;
}

/// <summary>Every finding <c>corskit audit</c> can report, in the order reports list them.</summary>
internal static class AuditRules
{
    public static readonly AuditRule ReflectsAnyOrigin = new(
        "reflects-any-origin",
        "an unrelated origin is echoed in Access-Control-Allow-Origin",
        "Any website the user visits reads the responses; with credentials, responses made with the user's cookies (their data, CSRF tokens). "
            + "Without credentials it reads what an anonymous client could, which matters when the server is reachable only from the user's network.",
        AuditSeverity.High,
        AuditSeverity.Low,
        "Compare the Origin header with a list of exact origins and echo it only on an exact match; never copy it unchecked.");

    public static readonly AuditRule TrustsNull = new(
        "trusts-null",
        "the origin 'null' is allowed",
        "Any website can send Origin: null, from a sandboxed iframe or a data: document, and read the responses as if it were trusted.",
        AuditSeverity.High,
        AuditSeverity.Low,
        "Never allow the origin 'null': sandboxed iframes, data: and file: documents of every site send it.");

    public static readonly AuditRule SuffixMatch = new(
        "suffix-match",
        "an origin that merely ends with a trusted name is allowed",
        "Whoever registers a domain that ends with the trusted name (https://evilexample.com for example.com) reads the responses.",
        AuditSeverity.High,
        AuditSeverity.Low,
        "Compare the whole origin with exact origins; to allow subdomains, compare the host and require a dot before the domain.");

    public static readonly AuditRule PrefixMatch = new(
        "prefix-match",
        "an origin that merely starts with a trusted origin is allowed",
        "Whoever owns any domain can serve a page at https://app.example.com.their-domain and read the responses.",
        AuditSeverity.High,
        AuditSeverity.Low,
        "Compare the whole origin, not its beginning; anchor origin regular expressions at both ends.");

    public static readonly AuditRule UnescapedDot = new(
        "unescaped-dot",
        "an unescaped dot in an origin pattern matches any character",
        "Whoever registers the look-alike domain (https://appxexample.com for app.example.com) reads the responses.",
        AuditSeverity.High,
        AuditSeverity.Low,
        @"Escape every dot in origin regular expressions (\.) and anchor them, or list exact origins instead.");

    public static readonly AuditRule TrustsHttp = new(
        "trusts-http",
        "the plain-http twin of a trusted https origin is allowed",
        "Anyone on the network path of a user (public Wi-Fi, a hostile proxy) can inject script into the http page and read the responses as that "
            + "origin.",
        AuditSeverity.Medium,
        AuditSeverity.Low,
        "Allow only the https origins: a plain-http page can be rewritten by anyone on the network path.");

    public static readonly AuditRule ArbitrarySubdomain = new(
        "arbitrary-subdomain",
        "any subdomain is trusted with credentials",
        "A flaw on any subdomain (cross-site scripting, a forgotten subdomain taken over) reads responses made with the user's cookies.",
        AuditSeverity.Medium,
        null,
        "List the subdomains that need credentialed access, or allow the wildcard only without credentials.");

    public static readonly AuditRule SpecialCharacters = new(
        "special-characters",
        "an origin with a character that lenient parsers stop at is allowed",
        "Whoever owns any domain serves a page at a host such as app.example.com_.their-domain, which a lenient matcher reads as app.example.com.",
        AuditSeverity.High,
        AuditSeverity.Low,
        "Parse the Origin strictly (scheme, a host of letters, digits, dots and hyphens, an optional port) and compare the whole value.");

    public static readonly AuditRule MissingVary = new(
        "missing-vary",
        "the answer depends on the Origin but a response lacks Vary: Origin",
        "A shared or browser cache may serve one origin's answer to another: a cached refusal or another origin's header breaks the trusted page.",
        AuditSeverity.Low,
        AuditSeverity.Low,
        "Send Vary: Origin on every response whose CORS headers depend on the Origin, refused requests and requests without Origin included.");

    public static readonly AuditRule CachePoisoning = new(
        "cache-poisoning",
        "a cache replays one origin's Access-Control-Allow-Origin to another",
        "Whoever asks first decides what later visitors get: the trusted page is served another origin's answer and breaks; with credentials, "
            + "responses made with one user's cookies sit in a shared cache.",
        AuditSeverity.Medium,
        AuditSeverity.Low,
        "Make the cache key include the Origin (honour Vary: Origin), or do not cache responses that carry Access-Control-Allow-Origin.");

    public static readonly AuditRule WildcardWithCredentials = new(
        "wildcard-with-credentials",
        "Access-Control-Allow-Origin: * is sent with Access-Control-Allow-Credentials: true",
        "Nothing beyond what '*' gives today: browsers refuse credentialed reads from '*'. But the trusted page's credentialed requests fail, "
            + "and the usual quick fix, echoing every origin, hands everything to every site.",
        AuditSeverity.Low,
        AuditSeverity.Low,
        "Send '*' only without credentials (public data), or echo an exact allowed origin together with Access-Control-Allow-Credentials: true.");

    public static readonly AuditRule PreflightReflectsHeaders = new(
        "preflight-reflects-headers",
        "the preflight allows whatever request headers it is asked for",
        "An allowed origin may send any header, including ones the API treats as authentication or internal; with credentials this "
            + "sidesteps the rule that '*' never applies to credentialed requests.",
        AuditSeverity.Medium,
        AuditSeverity.Low,
        "Answer the preflight with the fixed list of request headers the API accepts, not with Access-Control-Request-Headers.");

    public static readonly AuditRule PreflightReflectsMethods = new(
        "preflight-reflects-methods",
        "the preflight allows whatever method it is asked for",
        "An allowed origin may send any method (DELETE, PATCH, ones the API never meant to expose); with credentials, as the user.",
        AuditSeverity.Medium,
        AuditSeverity.Low,
        "Answer the preflight with the fixed list of methods the API accepts, not with Access-Control-Request-Method.");

    public static readonly AuditRule ErrorResponsesLackCors = new(
        "error-responses-lack-cors",
        "error responses carry no CORS headers",
        "Nothing: this is informational. The trusted page cannot read error responses (it sees a CORS error instead of a 404 or 500), which "
            + "hides the real failure and invites fixes that loosen CORS.",
        AuditSeverity.Info,
        AuditSeverity.Info,
        "Add the CORS headers to every response, errors included (nginx: add_header ... always; frameworks: run CORS before the code that answers "
            + "errors).");

    public static readonly AuditRule WebSocketAnyOrigin = new(
        "websocket-any-origin",
        "the WebSocket handshake is accepted from any Origin",
        "Cross-site WebSocket hijacking: browsers send the user's cookies with the handshake and apply no CORS, so any website opens the socket "
            + "as the user and reads and sends its messages.",
        AuditSeverity.Medium,
        AuditSeverity.Medium,
        "Check the Origin of the WebSocket handshake against the list of allowed origins and refuse the others with 403.");

    public static IReadOnlyList<AuditRule> All { get; } =
    [
        ReflectsAnyOrigin, TrustsNull, SuffixMatch, PrefixMatch, UnescapedDot, TrustsHttp, ArbitrarySubdomain, SpecialCharacters,
        MissingVary, CachePoisoning, WildcardWithCredentials, PreflightReflectsHeaders, PreflightReflectsMethods, ErrorResponsesLackCors,
        WebSocketAnyOrigin,
    ];

    public static string Name(AuditSeverity severity) => severity switch
    {
        AuditSeverity.High => "high",
        AuditSeverity.Medium => "medium",
        AuditSeverity.Low => "low",
        _ => "info",
    };
}
