namespace CorsKit.BrowserTests.Engines;

/// <summary>How each engine reports a blocked response: what script gets, and which console errors are CORS errors.</summary>
internal static class EngineConsole
{
    /// <summary>The start of the error a blocked fetch() rejects with (measured here in each engine).</summary>
    public static string FetchError(Engine engine) => engine switch
    {
        Engine.Chromium => "TypeError: Failed to fetch",
        Engine.Firefox => "TypeError: NetworkError when attempting to fetch resource.",
        _ => "TypeError: Load failed",
    };

    /// <summary>Whether a console error is the engine's report of a CORS failure (not, say, a 404's "Failed to load resource").</summary>
    public static bool IsCorsError(Engine engine, string text) => engine switch
    {
        Engine.Chromium => text.Contains("blocked by CORS policy", StringComparison.Ordinal),
        Engine.Firefox => text.StartsWith("Cross-Origin Request Blocked:", StringComparison.Ordinal),
        // WebKit's CORS errors have no common prefix: every error but a failed resource load or a WebSocket handshake.
        _ => !text.StartsWith("Failed to load resource: the server responded with a status of", StringComparison.Ordinal)
            && !text.StartsWith("WebSocket connection to ", StringComparison.Ordinal),
    };
}
