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
/// Fragments of the console errors each engine prints when it blocks a response, for the same failure: Chromium's,
/// Firefox's and WebKit's, as measured here. The full texts of each run are kept in console-messages.json and
/// docs/browser-conformance.md.
/// </summary>
internal static class Says
{
    private const string FirefoxNoAllowOrigin = "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing).";

    public static readonly ConsoleSays NoAllowOrigin = new(
        "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        FirefoxNoAllowOrigin,
        "is not allowed by Access-Control-Allow-Origin.");

    /// <summary>
    /// CorsKit refuses a preflight with a 403 without CORS headers. Chromium and Firefox check the origin first;
    /// WebKit checks the status first.
    /// </summary>
    public static readonly ConsoleSays PreflightRefused = new(
        "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        FirefoxNoAllowOrigin + " Status code: 403.",
        "Preflight response is not successful. Status code: 403");

    public static readonly ConsoleSays CredentialsNotTrue = new(
        "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
        "(Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).",
        "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".");

    public static readonly ConsoleSays WildcardWithCredentials = new(
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
        "(Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
        "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.");

    /// <summary>After a cross-origin redirect: Chromium names both URLs, Firefox the final one, WebKit the null origin.</summary>
    public static readonly ConsoleSays Redirected = new(
        "(redirected from ",
        "at http://127.0.0.1:{api}/strict/data. " + FirefoxNoAllowOrigin,
        "Origin null is not allowed by Access-Control-Allow-Origin.");

    /// <summary>From a sandboxed frame. Firefox's message does not name the origin.</summary>
    public static readonly ConsoleSays FromNullOrigin = new(
        "from origin 'null' has been blocked by CORS policy",
        FirefoxNoAllowOrigin + " Status code: 200.",
        "Origin null is not allowed by Access-Control-Allow-Origin.");

    /// <summary>A preflight from a sandboxed frame: only Chromium's message names the null origin.</summary>
    public static readonly ConsoleSays PreflightFromNullOrigin = FromNullOrigin with
    {
        Firefox = PreflightRefused.Firefox, WebKit = PreflightRefused.WebKit,
    };

    /// <summary>XMLHttpRequest: Chromium and WebKit name it; Firefox's message is the one fetch gets.</summary>
    public static readonly ConsoleSays XhrBlocked = new(
        "Access to XMLHttpRequest at ",
        FirefoxNoAllowOrigin + " Status code: 200.",
        "XMLHttpRequest cannot load ");

    /// <summary>
    /// CorsKit's debug mode answers a preflight refused for a header with the allowed list; each engine names the
    /// header: Chromium and Firefox in lower case, WebKit as script spelled it.
    /// </summary>
    public static ConsoleSays HeaderNotAllowed(string spelled) => new(
        $"Request header field {spelled.ToLowerInvariant()} is not allowed by Access-Control-Allow-Headers in preflight response.",
        $"(Reason: header ‘{spelled.ToLowerInvariant()}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
        $"Request header field {spelled} is not allowed by Access-Control-Allow-Headers.");

    /// <summary>
    /// CorsKit's debug mode answers a preflight refused for its method with the allowed list. Chromium and WebKit
    /// name the method; Firefox's message does not.
    /// </summary>
    public static ConsoleSays MethodNotAllowed(string method) => new(
        $"Method {method} is not allowed by Access-Control-Allow-Methods in preflight response.",
        "(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
        $"Method {method} is not allowed by Access-Control-Allow-Methods.");

    public static readonly ConsoleSays PreflightNotOk = new(
        "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
        "(Reason: CORS preflight response did not succeed). Status code: 405.",
        "Preflight response is not successful. Status code: 405");

    /// <summary>A redirected preflight: only Chromium says so; Firefox and WebKit report the 301 itself.</summary>
    public static readonly ConsoleSays PreflightRedirect = new(
        "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
        FirefoxNoAllowOrigin + " Status code: 301.",
        "Preflight response is not successful. Status code: 301");

    public static readonly ConsoleSays MultipleAllowOrigin = new(
        "The 'Access-Control-Allow-Origin' header contains multiple values 'http://app.localhost:{page}, http://app.localhost:{page}', but only one is allowed.",
        "(Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).",
        "Access-Control-Allow-Origin cannot contain more than one origin.");
}
