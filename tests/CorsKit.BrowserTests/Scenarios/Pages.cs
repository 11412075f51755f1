using CorsKit.BrowserTests.Infrastructure;

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
/// Fragments of the console errors each engine prints when it blocks a response, for the same failure. The full texts
/// of each run are kept in console-messages.json and docs/browser-conformance.md.
/// </summary>
internal static class Says
{
    public static readonly ConsoleSays NoAllowOrigin = new("No 'Access-Control-Allow-Origin' header is present on the requested resource.", null, null);

    /// <summary>CorsKit refuses a preflight with a 403 without CORS headers; Chromium checks the origin first.</summary>
    public static readonly ConsoleSays PreflightRefused = new(
        "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.", null, null);

    public static readonly ConsoleSays CredentialsNotTrue = new(
        "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.", null, null);

    public static readonly ConsoleSays WildcardWithCredentials = new(
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.", null, null);

    public static readonly ConsoleSays Redirected = new("(redirected from ", null, null);

    public static readonly ConsoleSays FromNullOrigin = new("from origin 'null' has been blocked by CORS policy", null, null);

    public static readonly ConsoleSays XhrBlocked = new("Access to XMLHttpRequest at ", null, null);

    /// <summary>CorsKit's debug mode answers a preflight refused for a header with the allowed list; Chromium names the header.</summary>
    public static ConsoleSays HeaderNotAllowed(string name) => new($"Request header field {name} is not allowed by Access-Control-Allow-Headers in preflight response.", null, null);

    /// <summary>CorsKit's debug mode answers a preflight refused for its method with the allowed list; Chromium names the method.</summary>
    public static ConsoleSays MethodNotAllowed(string method) => new($"Method {method} is not allowed by Access-Control-Allow-Methods in preflight response.", null, null);

    public static readonly ConsoleSays PreflightNotOk = new("Response to preflight request doesn't pass access control check: It does not have HTTP ok status.", null, null);

    public static readonly ConsoleSays PreflightRedirect = new("Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.", null, null);

    public static readonly ConsoleSays MultipleAllowOrigin = new(
        "The 'Access-Control-Allow-Origin' header contains multiple values 'http://app.localhost:{page}, http://app.localhost:{page}', but only one is allowed.", null, null);
}
