namespace CorsKit.Cli.Check;

/// <summary>
/// Whose rules <c>corskit check --browser</c> applies where browser engines differ (docs/cli.md lists each
/// difference and its source). Names are stable: they appear in the JSON output.
/// </summary>
internal enum CheckBrowser
{
    /// <summary>Chromium (Chrome, Edge, Opera), measured here with Debian's Chromium 156.</summary>
    Chromium,

    /// <summary>Firefox, measured here with Debian's Firefox ESR 153.</summary>
    Firefox,

    /// <summary>WebKit (Safari), measured here with Debian's WebKitGTK 2.50.</summary>
    WebKit,

    /// <summary>The Fetch Standard as written, where an engine departs from it; messages are Chromium's.</summary>
    Fetch,
}
