namespace CorsKit.BrowserTests.Scenarios;

/// <summary>Page origins the scenarios load the harness from. All are served by the one page server.</summary>
internal static class Pages
{
    /// <summary>The origin the exact-origin policies allow.</summary>
    public const string App = "http://app.localhost:{page}";

    /// <summary>An origin no exact-origin policy allows.</summary>
    public const string Evil = "http://evil.localhost:{page}";
}

/// <summary>
/// Fragments of the console errors Chromium prints when it blocks a response. The full texts of each run are kept in
/// console-messages.json and docs/browser-conformance.md.
/// </summary>
internal static class ChromiumSays
{
    public const string NoAllowOrigin = "No 'Access-Control-Allow-Origin' header is present on the requested resource.";

    /// <summary>CorsKit refuses a preflight with a 403 without CORS headers; Chromium checks the origin first.</summary>
    public const string PreflightRefused = "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.";

    public const string CredentialsNotTrue = "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.";

    public const string WildcardWithCredentials = "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";

    public const string Redirected = "(redirected from ";

    public const string FromNullOrigin = "from origin 'null' has been blocked by CORS policy";

    public const string XhrBlocked = "Access to XMLHttpRequest at ";

    /// <summary>CorsKit's debug mode answers a preflight refused for a header with the allowed list; Chromium names the header.</summary>
    public static string HeaderNotAllowed(string name) => $"Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response.";

    /// <summary>CorsKit's debug mode answers a preflight refused for its method with the allowed list; Chromium names the method.</summary>
    public static string MethodNotAllowed(string method) => $"Method {method} is not allowed by Access-Control-Allow-Methods in preflight response.";

    public const string PreflightNotOk = "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.";

    public const string PreflightRedirect = "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.";

    public const string MultipleAllowOrigin = "The 'Access-Control-Allow-Origin' header contains multiple values 'http://app.localhost:{page}, http://app.localhost:{page}', but only one is allowed.";
}
