using System.Diagnostics;
using System.Text.Json;
using CorsKit.BrowserTests.Engines;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// One browser engine, one page server and the API servers, shared by every scenario of the engine's collection.
/// Each scenario runs in a fresh browser context: its own cookie jar, HTTP cache and preflight cache. The engines'
/// collections run one after the other (the suite disables parallel collections), each with its own servers.
/// </summary>
public abstract class BrowserFixture : IAsyncLifetime, IDisposable
{
    private readonly List<KestrelHost> _hosts = [];
    private readonly IBrowserEngine _browser;
    private CorsKitDecisionListener? _decisions;
    private Cli.Tests.Audit.Infrastructure.NginxServer? _cdn;

    private protected BrowserFixture(IBrowserEngine browser) => _browser = browser;

    internal Engine Engine => _browser.Name;

    internal PortNames Ports { get; } = new();

    internal RequestLog Log { get; } = new();

    internal string BrowserVersion => _browser.Version;

    public async Task InitializeAsync()
    {
        _decisions = new CorsKitDecisionListener(Log);
        var pages = await PageServer.StartAsync();
        _hosts.Add(pages);
        Ports.Add("page", pages.Ports[0]);
        Ports.Add("page2", pages.Ports[1]);

        var api = await ApiServer.StartAsync(Ports, Log);
        _hosts.Add(api);
        Ports.Add("api", api.Ports[0]);

        var endpoints = await EndpointServer.StartAsync(Ports, Log);
        _hosts.Add(endpoints);
        Ports.Add("endpoints", endpoints.Ports[0]);

        var debug = await DebugServer.StartAsync(Ports, Log);
        _hosts.Add(debug);
        Ports.Add("debug", debug.Ports[0]);

        var cached = await CachedApiServer.StartAsync(Ports, Log);
        _hosts.Add(cached);
        Ports.Add("cached", cached.Ports[0]);

        _cdn = await CachedApiServer.StartCdnAsync(cached.Ports[0]);
        Ports.Add("cdn", _cdn.BaseUrl.Port);

        await _browser.StartAsync();
        ConformanceRecorder.Started(Engine, BrowserVersion);
    }

    /// <summary>Runs one scenario (as this engine expects it) in a fresh browser context and records what every side saw.</summary>
    internal async Task<ScenarioRun> RunAsync(Scenario scenario)
    {
        if (scenario.Before is { } before) await before(Ports);
        Log.Clear();
        var stopwatch = Stopwatch.StartNew();
        var expected = scenario.Console?.For(Engine) is { } fragment ? Ports.Expand(fragment) : null;
        var page = await _browser.RunAsync($"{Ports.Expand(scenario.Page)}/?api={Ports["api"]}", Ports.Expand(scenario.Script), expected);
        ScriptOutcome outcome;
        using (var result = JsonDocument.Parse(page.Json)) outcome = ScriptOutcome.From(result.RootElement);

        string[] consoleErrors = [.. page.ConsoleErrors.Select(Ports.Normalize)];
        var requests = Log.Requests.Select(request => request with
        {
            Host = Ports.Normalize(request.Host),
            Origin = request.Origin is null ? null : Ports.Normalize(request.Origin),
            DebugReason = request.DebugReason is null ? null : Ports.Normalize(request.DebugReason),
        }).ToArray();
        var run = new ScenarioRun(scenario, outcome, consoleErrors, requests, Log.Decisions, stopwatch.Elapsed) { Engine = Engine };
        AppendToRunLog(run);
        return run;
    }

    /// <summary>
    /// Every run, passed or not, one JSON line each, in the test output's <c>conformance/runs.jsonl</c>: what an engine
    /// printed where a scenario's expectation was wrong.
    /// </summary>
    private static void AppendToRunLog(ScenarioRun run)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "conformance");
        Directory.CreateDirectory(directory);
        var line = JsonSerializer.Serialize(new
        {
            engine = run.Engine.ToString(),
            scenario = run.Scenario.Name,
            ok = run.Outcome.Ok,
            status = run.Outcome.Status,
            body = run.Outcome.Body,
            error = run.Outcome.Error,
            headers = run.Outcome.Headers,
            console = run.ConsoleErrors,
            preflights = run.Preflights,
            requests = run.ActualRequests,
        }, ConformanceReport.Json).ReplaceLineEndings(" ");
        lock (RunLogLock) File.AppendAllText(Path.Combine(directory, "runs.jsonl"), line + "\n");
    }

    private static readonly Lock RunLogLock = new();

    /// <summary>The harness page of this fixture's page server at the app origin.</summary>
    internal string AppPageUrl => Ports.Expand($"{Scenarios.Pages.App}/?api={Ports["api"]}");

    /// <summary>Runs a script on any page in a fresh browser context (the demo's pages, say).</summary>
    internal Task<PageResult> RunPageAsync(string url, string functionBody, string? expectedConsole = null) =>
        _browser.RunAsync(url, functionBody, expectedConsole);

    /// <summary>Adds a run to the conformance report; the test calls it once the run passed every assertion.</summary>
    internal void RecordPassed(ScenarioRun run) => ConformanceRecorder.Passed(run);

    public async Task DisposeAsync()
    {
        ConformanceRecorder.Finished(Engine);
        ConformanceReport.WriteAfterRun();
        await _browser.DisposeAsync();
        if (_cdn is not null) await _cdn.DisposeAsync();
        foreach (var host in _hosts) await host.DisposeAsync();
    }

    /// <summary>Stops listening to CorsKit's metric (xunit calls this after <see cref="DisposeAsync"/>).</summary>
    public void Dispose()
    {
        _decisions?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Chromium's collection fixture.</summary>
public sealed class ChromiumFixture() : BrowserFixture(new ChromiumEngine());

/// <summary>Firefox's collection fixture.</summary>
public sealed class FirefoxFixture() : BrowserFixture(new FirefoxEngine());

/// <summary>WebKit's collection fixture.</summary>
public sealed class WebKitFixture() : BrowserFixture(new WebKitEngine());
