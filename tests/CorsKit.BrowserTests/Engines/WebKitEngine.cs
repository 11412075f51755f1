using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CorsKit.BrowserTests.Engines;

/// <summary>
/// Debian's WebKitGTK through <c>webkit-harness.py</c> (PyGObject), under <c>xvfb-run</c>: WebKitGTK has no headless
/// mode. WebKitWebDriver drives the same engine but cannot reach the console (it has no BiDi), and the console is
/// half of what the suite records; the harness gives both. Each run gets a new WebContext with its own data
/// directories. WebKit's web processes write console messages to their stderr (inherited from the harness), measured
/// here; <c>stdbuf -oL</c> (inherited too) keeps both streams line by line instead of flushed at exit.
/// </summary>
internal sealed class WebKitEngine : IBrowserEngine
{
    public const string PythonPath = "/usr/bin/python3";
    public const string XvfbRunPath = "/usr/bin/xvfb-run";
    public const string TypelibPath = "/usr/lib/x86_64-linux-gnu/girepository-1.0/WebKit2-4.1.typelib";

    private const string AnswerPrefix = "@@corskit ";
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(60);

    public const string FaketimePath = "/usr/bin/faketime";

    private readonly Channel<JsonElement> _answers = Channel.CreateUnbounded<JsonElement>();
    private readonly int _clockRate;
    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private volatile ConsoleCollector? _console;

    /// <param name="clockRate">
    /// 1 for real time; above 1, WebKit runs under Debian's <c>faketime</c> with its clocks that many times faster (a
    /// measurement of time limits, such as the preflight cache's, in seconds instead of minutes).
    /// </param>
    public WebKitEngine(int clockRate = 1) => _clockRate = clockRate;

    public Engine Name => Engine.WebKit;

    public string Version { get; private set; } = "unknown";

    public async Task StartAsync()
    {
        EngineSupport.Require(XvfbRunPath, "xvfb-run (for WebKitGTK)", "xvfb");
        EngineSupport.Require(PythonPath, "Debian's Python (for WebKitGTK)", "python3-gi");
        EngineSupport.Require(TypelibPath, "WebKitGTK's GObject bindings", "gir1.2-webkit2-4.1");

        if (_clockRate != 1) EngineSupport.Require(FaketimePath, "faketime (for a sped-up clock)", "faketime");
        var start = new ProcessStartInfo(_clockRate == 1 ? XvfbRunPath : FaketimePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_clockRate != 1)
        {
            foreach (var argument in new[] { "-f", $"+0 x{_clockRate}", XvfbRunPath }) start.ArgumentList.Add(argument);
        }
        foreach (var argument in new[] { "-a", "stdbuf", "-oL", PythonPath, Path.Combine(AppContext.BaseDirectory, "Engines", "webkit-harness.py") })
        {
            start.ArgumentList.Add(argument);
        }
        // The harness must see Debian's python3-gi, not a Python of another installation's PYTHONPATH.
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => OnLine(line.Data);
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            lock (_stderr) _stderr.AppendLine(line.Data);
            OnLine(line.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await ReceiveAsync("ready");
        Version = (await CommandAsync(new JsonObject { ["op"] = "version" })).GetProperty("version").GetString()!;
    }

    public async Task<PageResult> RunAsync(string url, string functionBody, string? expectedConsole)
    {
        var console = new ConsoleCollector();
        _console = console;
        try
        {
            // The harness calls the body as an async function and awaits its promise.
            var answer = await CommandAsync(new JsonObject
            {
                ["op"] = "run",
                ["url"] = url,
                ["script"] = $"return JSON.stringify(await (async () => {{ {functionBody} }})());",
            });
            if (answer.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"The scenario's script failed in WebKit: {error.GetString()}");
            }
            await console.SettleAsync(expectedConsole);
            return new PageResult(answer.GetProperty("result").GetString()!, console.Errors);
        }
        finally
        {
            _console = null;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        if (line.StartsWith(AnswerPrefix, StringComparison.Ordinal))
        {
            using var document = JsonDocument.Parse(line[AnswerPrefix.Length..]);
            _answers.Writer.TryWrite(document.RootElement.Clone());
            return;
        }

        // "CONSOLE <SOURCE> <LEVEL> <text>", e.g. "CONSOLE SECURITY ERROR Origin … is not allowed by Access-Control-Allow-Origin."
        var parts = line.Split(' ', 4);
        if (parts is ["CONSOLE", _, "ERROR", var text]) _console?.Add(text);
    }

    private async Task<JsonElement> CommandAsync(JsonObject command)
    {
        var process = _process ?? throw new InvalidOperationException("WebKit is not started.");
        await process.StandardInput.WriteLineAsync(command.ToJsonString());
        await process.StandardInput.FlushAsync();
        return await ReceiveAsync(command["op"]!.GetValue<string>());
    }

    private async Task<JsonElement> ReceiveAsync(string what)
    {
        using var limit = new CancellationTokenSource(AnswerLimit);
        try
        {
            return await _answers.Reader.ReadAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            string log;
            lock (_stderr) log = _stderr.ToString();
            throw new TimeoutException($"The WebKit harness did not answer '{what}' within {AnswerLimit.TotalSeconds} s. Its stderr:\n{log}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        try
        {
            await _process.StandardInput.WriteLineAsync("{\"op\": \"quit\"}");
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The harness is already gone.
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
