namespace CorsKit.BrowserTests.Engines;

/// <summary>The browser engines the suite runs every scenario in, one after the other.</summary>
internal enum Engine
{
    /// <summary>Debian's Chromium (Blink), driven by Microsoft.Playwright.</summary>
    Chromium,

    /// <summary>Debian's Firefox ESR (Gecko), driven over WebDriver BiDi.</summary>
    Firefox,

    /// <summary>Debian's WebKitGTK (Safari's engine family), driven through a PyGObject harness under Xvfb.</summary>
    WebKit,
}

/// <summary>What one page run produced: the JSON the script's result became, and the console errors the engine printed.</summary>
internal sealed record PageResult(string Json, IReadOnlyList<string> ConsoleErrors);

/// <summary>
/// One browser engine, started once and reused by every scenario. A scenario is a page URL and the body of an async
/// function the page runs; the engine loads the page in a fresh context (its own cookie jar, HTTP cache and preflight
/// cache), runs the function, waits for its console, and closes the context.
/// </summary>
internal interface IBrowserEngine : IAsyncDisposable
{
    Engine Name { get; }

    /// <summary>The engine's version as it reports it (known once started).</summary>
    string Version { get; }

    Task StartAsync();

    /// <summary>
    /// Runs <paramref name="functionBody"/> (an async function body whose result must be a JSON-serialisable value)
    /// on the page at <paramref name="url"/>. <paramref name="expectedConsole"/>, when given, is a fragment the engine's
    /// console is expected to print: the run waits for it (within a limit) before it closes the context.
    /// </summary>
    Task<PageResult> RunAsync(string url, string functionBody, string? expectedConsole);
}

/// <summary>Helpers the engine drivers share.</summary>
internal static class EngineSupport
{
    /// <summary>The script's result crosses as a JSON string, so every driver hands back the same thing.</summary>
    public static string AsJsonFunction(string functionBody) =>
        $"async () => JSON.stringify(await (async () => {{ {functionBody} }})())";

    /// <summary>A free loopback TCP port for a browser's control connection.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Debian's libfaketime, which <c>faketime</c> preloads; the engines load it themselves for a sped-up clock.</summary>
    public const string LibFaketimePath = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

    /// <summary>
    /// The environment that runs a browser's processes with clocks <paramref name="clockRate"/> times faster (Debian's
    /// libfaketime, inherited by every child process), on top of this process's environment.
    /// </summary>
    public static Dictionary<string, string> FastClockEnvironment(int clockRate)
    {
        Require(LibFaketimePath, "libfaketime (for a sped-up clock)", "faketime");
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? string.Empty, StringComparer.Ordinal);
        environment["LD_PRELOAD"] = LibFaketimePath;
        environment["FAKETIME"] = $"+0 x{clockRate}";
        return environment;
    }

    /// <summary>Fails, never skips, when a browser is missing: a machine without it must not report a green suite.</summary>
    public static void Require(string path, string engine, string package)
    {
        if (File.Exists(path)) return;
        throw new InvalidOperationException(
            $"{engine} was not found at {path}. The browser conformance suite runs every scenario in Chromium, Firefox and WebKit: "
            + $"install Debian's package with 'apt-get install -y {package}' (bash tests/run.sh does this when it is missing).");
    }
}
