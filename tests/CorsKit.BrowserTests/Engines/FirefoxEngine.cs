using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CorsKit.BrowserTests.Engines;

/// <summary>
/// Debian's Firefox ESR, headless, over WebDriver BiDi on a plain <see cref="ClientWebSocket"/> (no client package:
/// PuppeteerSharp needs a WebDriverBiDi build the mirror lacks, Playwright needs its own patched Firefox). One
/// browser for the suite; each run gets its own user context (cookie jar, HTTP cache and preflight cache are keyed
/// by it) and tab. CORS errors arrive as <c>log.entryAdded</c> events of level error.
/// </summary>
internal sealed class FirefoxEngine : IBrowserEngine
{
    /// <summary>Debian's Firefox ESR, which tests/run.sh installs. CORSKIT_FIREFOX overrides the path.</summary>
    public const string DefaultPath = "/usr/bin/firefox-esr";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);

    // Written to the profile's user.js: nothing that phones home, no first-run pages, plain http to *.localhost.
    private static readonly string[] Preferences =
    [
        "\"browser.shell.checkDefaultBrowser\", false", "\"browser.startup.homepage_override.mstone\", \"ignore\"",
        "\"datareporting.policy.dataSubmissionEnabled\", false", "\"toolkit.telemetry.reportingpolicy.firstRun\", false",
        "\"app.update.disabledForTesting\", true", "\"network.captive-portal-service.enabled\", false",
        "\"network.connectivity-service.enabled\", false", "\"browser.safebrowsing.malware.enabled\", false",
        "\"browser.safebrowsing.phishing.enabled\", false", "\"dom.security.https_first\", false",
        "\"dom.security.https_first_schemeless\", false", "\"extensions.autoDisableScopes\", 15",
    ];

    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly int _clockRate;
    private Process? _process;
    private string? _profile;
    private ClientWebSocket? _socket;
    private Task? _reader;
    private int _nextId;
    private volatile ConsoleCollector? _console;

    /// <param name="clockRate">1 for real time; above 1, Firefox's clocks run that many times faster (libfaketime).</param>
    public FirefoxEngine(int clockRate = 1) => _clockRate = clockRate;

    public Engine Name => Engine.Firefox;

    public string Version { get; private set; } = "unknown";

    public async Task StartAsync()
    {
        var path = Environment.GetEnvironmentVariable("CORSKIT_FIREFOX") is { Length: > 0 } custom ? custom : DefaultPath;
        EngineSupport.Require(path, "Firefox", "firefox-esr");
        _profile = Directory.CreateTempSubdirectory("corskit-firefox-").FullName;
        await File.WriteAllLinesAsync(Path.Combine(_profile, "user.js"), Preferences.Select(p => $"user_pref({p});"));

        var port = EngineSupport.FreePort();
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--headless", "--no-remote", "--profile", _profile, $"--remote-debugging-port={port}", "about:blank" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["MOZ_CRASHREPORTER_DISABLE"] = "1";
        if (_clockRate != 1)
        {
            foreach (var (name, value) in EngineSupport.FastClockEnvironment(_clockRate)) start.Environment[name] = value;
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            lock (stderr) stderr.AppendLine(line.Data);
            if (line.Data.Contains("WebDriver BiDi listening", StringComparison.Ordinal)) listening.TrySetResult();
        };
        _process.OutputDataReceived += (_, _) => { };
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        if (await Task.WhenAny(listening.Task, Task.Delay(StartLimit)) != listening.Task)
        {
            string log;
            lock (stderr) log = stderr.ToString();
            throw new InvalidOperationException($"Firefox did not start WebDriver BiDi within {StartLimit.TotalSeconds} s. Its stderr:\n{log}");
        }

        _socket = new ClientWebSocket();
        await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/session"), CancellationToken.None);
        _reader = Task.Run(ReadAsync);

        var session = await SendAsync("session.new", new JsonObject { ["capabilities"] = new JsonObject() });
        Version = session.GetProperty("capabilities").GetProperty("browserVersion").GetString() ?? "unknown";
        await SendAsync("session.subscribe", new JsonObject { ["events"] = new JsonArray("log.entryAdded") });
    }

    public async Task<PageResult> RunAsync(string url, string functionBody, string? expectedConsole)
    {
        var console = new ConsoleCollector();
        var userContext = (await SendAsync("browser.createUserContext", new JsonObject())).GetProperty("userContext").GetString()!;
        string? context = null;
        try
        {
            context = (await SendAsync("browsingContext.create", new JsonObject { ["type"] = "tab", ["userContext"] = userContext }))
                .GetProperty("context").GetString()!;
            _console = console;
            await SendAsync("browsingContext.navigate", new JsonObject { ["context"] = context, ["url"] = url, ["wait"] = "complete" });
            var evaluated = await SendAsync("script.callFunction", new JsonObject
            {
                ["functionDeclaration"] = EngineSupport.AsJsonFunction(functionBody),
                ["awaitPromise"] = true,
                ["target"] = new JsonObject { ["context"] = context },
            });
            if (evaluated.GetProperty("type").GetString() == "exception")
            {
                throw new InvalidOperationException($"The scenario's script threw in Firefox: {evaluated.GetProperty("exceptionDetails").GetProperty("text").GetString()}");
            }
            var json = evaluated.GetProperty("result").GetProperty("value").GetString()!;
            await console.SettleAsync(expectedConsole);
            return new PageResult(json, console.Errors);
        }
        finally
        {
            _console = null;
            if (context is not null) await SendAsync("browsingContext.close", new JsonObject { ["context"] = context });
            await SendAsync("browser.removeUserContext", new JsonObject { ["userContext"] = userContext });
        }
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject parameters)
    {
        var socket = _socket ?? throw new InvalidOperationException("Firefox is not started.");
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        if (await Task.WhenAny(answer.Task, Task.Delay(CommandLimit)) != answer.Task)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"Firefox did not answer {method} within {CommandLimit.TotalSeconds} s.");
        }
        return await answer.Task;
    }

    private async Task ReadAsync()
    {
        var socket = _socket!;
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                break;
            }
            if (received.MessageType == WebSocketMessageType.Close) break;
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage) continue;

            using (var document = JsonDocument.Parse(message.ToArray())) Dispatch(document.RootElement);
            message.SetLength(0);
        }

        foreach (var pending in _pending.Values) pending.TrySetException(new InvalidOperationException("Firefox closed the BiDi connection."));
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number)
        {
            if (!_pending.TryRemove(idElement.GetInt32(), out var answer)) return;
            if (message.GetProperty("type").GetString() == "error")
            {
                answer.TrySetException(new InvalidOperationException(
                    $"Firefox refused a BiDi command: {message.GetProperty("error").GetString()}: {message.GetProperty("message").GetString()}"));
            }
            else
            {
                answer.TrySetResult(message.GetProperty("result").Clone());
            }
            return;
        }

        if (message.TryGetProperty("method", out var method) && method.GetString() == "log.entryAdded")
        {
            var entry = message.GetProperty("params");
            if (entry.GetProperty("level").GetString() == "error" && entry.GetProperty("text").GetString() is { } text) _console?.Add(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is { State: WebSocketState.Open } socket)
        {
            try
            {
                await SendAsync("browser.close", new JsonObject());
            }
            catch (InvalidOperationException)
            {
                // Firefox may close the connection before it answers browser.close.
            }
            socket.Dispose();
        }
        if (_reader is not null) await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(5)));
        if (_process is not null)
        {
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
        if (_profile is not null)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // A file Firefox still held; the temp directory is cleaned up by the system.
            }
        }
    }
}
