namespace CorsKit.Cli.Check;

/// <summary>
/// The console messages of Chromium 156 (verified against it: see docs/cli.md), and a likely fix for each failure.
/// </summary>
internal static class ChromiumMessages
{
    private const string ValidValueHint = " Have the server send the header with a valid value.";

    public static string Format(Uri url, Uri? redirectedFrom, string origin, ExchangeKind at, CorsFailure failure, string? detail)
    {
        var target = redirectedFrom is null ? $"'{url.AbsoluteUri}'" : $"'{url.AbsoluteUri}' (redirected from '{redirectedFrom.AbsoluteUri}')";
        var text = Describe(failure, detail);
        if (at == ExchangeKind.Preflight && IsAccessCheckFailure(failure))
        {
            text = "Response to preflight request doesn't pass access control check: " + text;
        }
        return $"Access to fetch at {target} from origin '{origin}' has been blocked by CORS policy: {text}";
    }

    /// <summary>Failures of the check that every response gets, which Chromium prefixes on a preflight.</summary>
    private static bool IsAccessCheckFailure(CorsFailure failure) => failure is CorsFailure.MissingAllowOrigin
        or CorsFailure.MultipleAllowOriginValues or CorsFailure.InvalidAllowOriginValue or CorsFailure.AllowOriginMismatch
        or CorsFailure.WildcardOriginWithCredentials or CorsFailure.InvalidAllowCredentials
        or CorsFailure.PreflightInvalidStatus or CorsFailure.PreflightRedirect;

    private static string Describe(CorsFailure failure, string? detail) => failure switch
    {
        CorsFailure.MissingAllowOrigin => "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        CorsFailure.MultipleAllowOriginValues =>
            $"The 'Access-Control-Allow-Origin' header contains multiple values '{detail}', but only one is allowed.{ValidValueHint}",
        CorsFailure.InvalidAllowOriginValue => $"The 'Access-Control-Allow-Origin' header contains the invalid value '{detail}'.{ValidValueHint}",
        CorsFailure.AllowOriginMismatch =>
            $"The 'Access-Control-Allow-Origin' header has a value '{detail}' that is not equal to the supplied origin.{ValidValueHint}",
        CorsFailure.WildcardOriginWithCredentials =>
            "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode "
                + "is 'include'.",
        CorsFailure.InvalidAllowCredentials =>
            $"The value of the 'Access-Control-Allow-Credentials' header in the response is '{detail}' which must be 'true' when the request's "
                + "credentials mode is 'include'.",
        CorsFailure.PreflightInvalidStatus => "It does not have HTTP ok status.",
        CorsFailure.PreflightRedirect => "Redirect is not allowed for a preflight request.",
        CorsFailure.InvalidAllowMethods => "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
        CorsFailure.InvalidAllowHeaders => "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
        CorsFailure.MethodNotAllowed => $"Method {detail} is not allowed by Access-Control-Allow-Methods in preflight response.",
        CorsFailure.HeaderNotAllowed => $"Request header field {detail} is not allowed by Access-Control-Allow-Headers in preflight response.",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    public static string Fix(CorsFailure failure, string origin, string? detail, bool credentials, ExchangeKind at) => failure switch
    {
        CorsFailure.MissingAllowOrigin when at == ExchangeKind.Preflight =>
            $"The preflight was refused or answered by something that does not speak CORS. Allow {origin} for this method and these headers "
            + "(CorsKit: the policy's \"Origins\", \"Methods\", \"RequestHeaders\"), and make sure the CORS middleware answers OPTIONS before "
            + "authentication or routing can.",
        CorsFailure.MissingAllowOrigin =>
            $"Allow the origin {origin} on the server (CorsKit: add it to the policy's \"Origins\"). If it is allowed, something else answered: "
            + "an error page, a proxy or a middleware that runs before CORS and drops its headers.",
        CorsFailure.MultipleAllowOriginValues =>
            "Send exactly one origin. Two layers (a proxy and the app) probably both add the header, or a configured list is sent as is.",
        CorsFailure.InvalidAllowOriginValue =>
            $"Send the request's origin ({origin}) or '*'. Browsers do not understand patterns: match them on the server and echo the origin.",
        CorsFailure.AllowOriginMismatch =>
            $"Echo the request's origin byte for byte ({origin}): same scheme, host, port and case, no path or trailing slash.",
        CorsFailure.WildcardOriginWithCredentials =>
            $"With credentials the server must echo the origin ({origin}) instead of '*', with Access-Control-Allow-Credentials: true; or drop "
                + "credentials: 'include' on the client.",
        CorsFailure.InvalidAllowCredentials =>
            "Send Access-Control-Allow-Credentials: true, exactly (CorsKit: \"AllowCredentials\": true), or drop credentials: 'include' on the "
                + "client.",
        CorsFailure.PreflightInvalidStatus =>
            "Answer the OPTIONS preflight with a 2xx status. Usually authentication (401), routing (404/405) or a firewall answers it before the "
                + "CORS middleware: put CORS first.",
        CorsFailure.PreflightRedirect =>
            "Fetch the final URL directly (often https instead of http, or a trailing slash): a preflight cannot follow a redirect.",
        CorsFailure.InvalidAllowMethods => "Send Access-Control-Allow-Methods as a comma-separated list of method names.",
        CorsFailure.InvalidAllowHeaders => "Send Access-Control-Allow-Headers as a comma-separated list of header names.",
        CorsFailure.MethodNotAllowed when credentials =>
            $"List {detail} by name in Access-Control-Allow-Methods (CorsKit: the policy's \"Methods\"): with credentials '*' is not a wildcard. "
                + "Methods are case-sensitive.",
        CorsFailure.MethodNotAllowed =>
            $"Add {detail} to Access-Control-Allow-Methods (CorsKit: the policy's \"Methods\"). Methods are case-sensitive.",
        CorsFailure.HeaderNotAllowed when credentials =>
            $"List {detail} by name in Access-Control-Allow-Headers (CorsKit: the policy's \"RequestHeaders\"): with credentials '*' is not a "
                + "wildcard.",
        CorsFailure.HeaderNotAllowed =>
            $"Add {detail} to Access-Control-Allow-Headers (CorsKit: the policy's \"RequestHeaders\"), or stop sending it.",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };
}
