namespace CorsKit.Cli.Check;

/// <summary>The overall answer; the process exit code is its value.</summary>
internal enum CheckOutcome
{
    /// <summary>The browser would let script read the response.</summary>
    Allowed = 0,

    /// <summary>The browser would block the request (a CORS error in the console).</summary>
    Blocked = 1,

    /// <summary>No verdict: bad input, or the server could not be reached.</summary>
    Error = 2,
}

/// <summary>Why a browser blocks a request. Names are stable: they appear in the JSON output.</summary>
internal enum CorsFailure
{
    /// <summary>Not blocked.</summary>
    None = 0,

    /// <summary>No Access-Control-Allow-Origin header.</summary>
    MissingAllowOrigin,

    /// <summary>Access-Control-Allow-Origin holds a list, or was sent twice.</summary>
    MultipleAllowOriginValues,

    /// <summary>Access-Control-Allow-Origin is not a URL (a pattern, a bare host, empty).</summary>
    InvalidAllowOriginValue,

    /// <summary>Access-Control-Allow-Origin names another origin.</summary>
    AllowOriginMismatch,

    /// <summary>Access-Control-Allow-Origin is <c>*</c> on a credentialed request.</summary>
    WildcardOriginWithCredentials,

    /// <summary>Access-Control-Allow-Credentials is not exactly <c>true</c> on a credentialed request.</summary>
    InvalidAllowCredentials,

    /// <summary>The preflight response's status is not 200-299.</summary>
    PreflightInvalidStatus,

    /// <summary>The preflight response is a redirect.</summary>
    PreflightRedirect,

    /// <summary>Access-Control-Allow-Methods is not a list of tokens.</summary>
    InvalidAllowMethods,

    /// <summary>Access-Control-Allow-Headers is not a list of tokens.</summary>
    InvalidAllowHeaders,

    /// <summary>The preflight response does not allow the method.</summary>
    MethodNotAllowed,

    /// <summary>The preflight response does not allow a request header.</summary>
    HeaderNotAllowed,
}

/// <summary>Which request of the check an exchange is.</summary>
internal enum ExchangeKind
{
    /// <summary>The OPTIONS preflight.</summary>
    Preflight,

    /// <summary>The request script asked for (or a redirect of it).</summary>
    Actual,

    /// <summary>A WebSocket handshake (<c>corskit explain --websocket</c>).</summary>
    WebSocket,
}

/// <summary>One request sent and the response received (headers in wire order, repeated names kept apart).</summary>
internal sealed record HttpExchange(
    ExchangeKind Kind,
    string Method,
    Uri Url,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    int Status,
    string? ReasonPhrase,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders);

/// <summary>What the browser would do with the request, and why.</summary>
internal sealed record CorsCheckResult
{
    public required CheckOutcome Outcome { get; init; }

    public required CorsCheckRequest Request { get; init; }

    /// <summary>The method as the browser sends it.</summary>
    public string? Method { get; init; }

    public CorsFailure Failure { get; init; }

    /// <summary>The exchange whose response blocked the request.</summary>
    public ExchangeKind? BlockedAt { get; init; }

    /// <summary>The message the browser (<see cref="CorsCheckRequest.Browser"/>) prints in the console, in full.</summary>
    public string? ConsoleMessage { get; init; }

    /// <summary>What most likely fixes it.</summary>
    public string? Fix { get; init; }

    /// <summary>The <c>X-CorsKit-Reason</c> header of the deciding response (CorsKit in debug mode), if any.</summary>
    public string? ServerReason { get; init; }

    /// <summary>For <see cref="CheckOutcome.Error"/>: what went wrong.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the browser sends a preflight first, and why (empty when it does not).</summary>
    public IReadOnlyList<string> PreflightReasons { get; init; } = [];

    /// <summary>Access-Control-Request-Headers as sent (lower-case, sorted), empty when none.</summary>
    public IReadOnlyList<string> UnsafeHeaderNames { get; init; } = [];

    public IReadOnlyList<HttpExchange> Exchanges { get; init; } = [];

    /// <summary>Names (lower-case, sorted) of the final response's headers that script can read.</summary>
    public IReadOnlyList<string> ReadableHeaders { get; init; } = [];

    /// <summary>Names of the final response's headers that script cannot read.</summary>
    public IReadOnlyList<string> HiddenHeaders { get; init; } = [];

    /// <summary>Things worth knowing that do not change the verdict.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The final response's status, when the request was allowed.</summary>
    public int? Status { get; init; }

    public bool PreflightRequired => PreflightReasons.Count != 0;
}
