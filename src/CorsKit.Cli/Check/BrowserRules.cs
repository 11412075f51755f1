using System.Globalization;

namespace CorsKit.Cli.Check;

/// <summary>
/// Where browser engines differ from each other or from the Fetch Standard, the rule of each (docs/cli.md gives the
/// source of each: measured here by the browser suite, or the engine's source code).
/// </summary>
internal static class BrowserRules
{
    /// <summary>Preflight caching without Access-Control-Max-Age: the Fetch Standard's default, 5 seconds.</summary>
    public const int DefaultMaxAgeSeconds = 5;

    /// <summary>
    /// Whether <c>Access-Control-Allow-Headers: *</c> lets an Authorization header through. The Fetch Standard says
    /// never (Authorization is its one "CORS non-wildcard request-header name"); measured by the browser suite
    /// (scenario "Hand-written 'Access-Control-Allow-Headers: *' and an Authorization header"): Chromium 156,
    /// Firefox 153 and WebKitGTK 2.50 let it through.
    /// </summary>
    public static bool WildcardCoversAuthorization(CheckBrowser browser) => browser != CheckBrowser.Fetch;

    public static string AuthorizationUnderWildcardWarning(CheckBrowser browser) =>
        $"Access-Control-Allow-Headers: * let Authorization through, as {ConsoleMessages.DisplayName(browser)} does (measured: Chromium 156, "
        + "Firefox 153 and WebKitGTK 2.50 all do). The Fetch Standard says '*' never covers Authorization, and a browser that follows it "
        + "blocks this request: list authorization by name (corskit check --browser fetch shows that verdict).";

    /// <summary>
    /// How long the browser keeps a preflight answer at most, in seconds (null: no cap). Measured by the browser suite
    /// (PreflightCacheCapTests, clocks sped up with libfaketime): Chromium 156 between 7000 and 7400 s, WebKitGTK 2.50
    /// between 540 and 660 s, hence 2 hours and 10 minutes; Firefox's 24 hours are from its source
    /// (nsCORSListenerProxy.cpp), not measured.
    /// </summary>
    public static int? MaxAgeCapSeconds(CheckBrowser browser) => browser switch
    {
        CheckBrowser.Chromium => 7200,
        CheckBrowser.Firefox => 86400,
        CheckBrowser.WebKit => 600,
        _ => null,
    };

    /// <summary>A warning when the browser keeps the preflight answer for less time than Access-Control-Max-Age asks.</summary>
    public static string? CacheWarning(CheckBrowser browser, string? maxAge)
    {
        if (maxAge is null || !int.TryParse(maxAge.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return null;
        if (MaxAgeCapSeconds(browser) is not { } cap || seconds <= cap) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"Access-Control-Max-Age: {seconds} asks for more than {ConsoleMessages.DisplayName(browser)} keeps a preflight answer ({cap} s): "
            + $"it preflights again after {cap} s.");
    }
}
