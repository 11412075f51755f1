namespace CorsKit.Cli.Check;

/// <summary>
/// The console message each browser prints for a failure (docs/cli.md: which were measured here, and which are written
/// from the engines' message formats and unverified), and the names <c>corskit check</c> shows for the browsers.
/// </summary>
internal static class ConsoleMessages
{
    public static string DisplayName(CheckBrowser browser) => browser switch
    {
        CheckBrowser.Firefox => "Firefox",
        CheckBrowser.WebKit => "WebKit",
        CheckBrowser.Fetch => "Chromium (--browser fetch)",
        _ => "Chromium",
    };

    /// <summary>The message the browser's console prints for a blocked exchange.</summary>
    public static string Format(CheckBrowser browser, BlockedExchange blocked) => browser switch
    {
        CheckBrowser.Firefox => FirefoxMessages.Format(blocked),
        CheckBrowser.WebKit => WebKitMessages.Format(blocked),
        _ => ChromiumMessages.Format(blocked.Url, blocked.RedirectedFrom, blocked.Origin, blocked.At, blocked.Failure, blocked.Detail),
    };
}

/// <summary>Everything an engine's message about a blocked exchange may name.</summary>
/// <param name="Url">The URL of the blocked exchange.</param>
/// <param name="RedirectedFrom">The URL script fetched, when a redirect led to <paramref name="Url"/>.</param>
/// <param name="Origin">The page's origin.</param>
/// <param name="SentOrigin">The Origin the browser sent (<c>null</c> after a cross-origin redirect).</param>
/// <param name="At">Which exchange failed.</param>
/// <param name="Failure">Why.</param>
/// <param name="Detail">The value the message names: a header value, a method, a header name (lower case; as script spelled it for WebKit).</param>
/// <param name="Status">The status of the failed exchange's response.</param>
internal sealed record BlockedExchange(
    Uri Url,
    Uri? RedirectedFrom,
    string Origin,
    string SentOrigin,
    ExchangeKind At,
    CorsFailure Failure,
    string? Detail,
    int Status);

/// <summary>Firefox's console messages (Firefox ESR 153, measured here where docs/cli.md says so).</summary>
internal static class FirefoxMessages
{
    public static string Format(BlockedExchange blocked)
    {
        var status = $". Status code: {blocked.Status}.";
        var (reason, suffix) = blocked.Failure switch
        {
            CorsFailure.MissingAllowOrigin => ("CORS header ‘Access-Control-Allow-Origin’ missing", status),
            CorsFailure.MultipleAllowOriginValues => ("Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed", "."),
            CorsFailure.InvalidAllowOriginValue or CorsFailure.AllowOriginMismatch =>
                ($"CORS header ‘Access-Control-Allow-Origin’ does not match ‘{blocked.Detail}’", "."),
            CorsFailure.WildcardOriginWithCredentials =>
                ("Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’", "."),
            CorsFailure.InvalidAllowCredentials => ("expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’", "."),
            CorsFailure.PreflightInvalidStatus or CorsFailure.PreflightRedirect => ("CORS preflight response did not succeed", status),
            CorsFailure.InvalidAllowMethods => ($"invalid token ‘{blocked.Detail}’ in CORS header ‘Access-Control-Allow-Methods’", "."),
            CorsFailure.InvalidAllowHeaders => ($"invalid token ‘{blocked.Detail}’ in CORS header ‘Access-Control-Allow-Headers’", "."),
            CorsFailure.MethodNotAllowed => ("Did not find method in CORS header ‘Access-Control-Allow-Methods’", "."),
            CorsFailure.HeaderNotAllowed => ($"header ‘{blocked.Detail?.ToLowerInvariant()}’ is not allowed according to header "
                + "‘Access-Control-Allow-Headers’ from CORS preflight response", "."),
            _ => throw new ArgumentOutOfRangeException(nameof(blocked), blocked.Failure, null),
        };

        // Measured: only the credentials-with-'*' message quotes the URL.
        var url = blocked.Failure == CorsFailure.WildcardOriginWithCredentials ? $"‘{blocked.Url.AbsoluteUri}’" : blocked.Url.AbsoluteUri;
        return $"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: {reason}){suffix}";
    }
}

/// <summary>WebKit's console messages (WebKitGTK 2.50, measured here where docs/cli.md says so): the line that names the reason.</summary>
internal static class WebKitMessages
{
    public static string Format(BlockedExchange blocked) => blocked.Failure switch
    {
        CorsFailure.MissingAllowOrigin or CorsFailure.AllowOriginMismatch or CorsFailure.InvalidAllowOriginValue =>
            $"Origin {blocked.SentOrigin} is not allowed by Access-Control-Allow-Origin. Status code: {blocked.Status}",
        CorsFailure.MultipleAllowOriginValues => "Access-Control-Allow-Origin cannot contain more than one origin.",
        CorsFailure.WildcardOriginWithCredentials => "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.",
        CorsFailure.InvalidAllowCredentials => "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".",
        CorsFailure.PreflightInvalidStatus or CorsFailure.PreflightRedirect => $"Preflight response is not successful. Status code: {blocked.Status}",
        CorsFailure.InvalidAllowMethods => $"Header Access-Control-Allow-Methods has an invalid value: {blocked.Detail}",
        CorsFailure.InvalidAllowHeaders => $"Header Access-Control-Allow-Headers has an invalid value: {blocked.Detail}",
        CorsFailure.MethodNotAllowed => $"Method {blocked.Detail} is not allowed by Access-Control-Allow-Methods.",
        CorsFailure.HeaderNotAllowed => $"Request header field {blocked.Detail} is not allowed by Access-Control-Allow-Headers.",
        _ => throw new ArgumentOutOfRangeException(nameof(blocked), blocked.Failure, null),
    };
}
