using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// One Chromium, one page server and the API servers, shared by every scenario of the collection. Each scenario gets
/// a new browser context: its own cookie jar, HTTP cache and preflight cache.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime, IDisposable
{
    /// <summary>Debian's Chromium, which the README's test command installs. CORSKIT_CHROMIUM overrides the path.</summary>
    public const string DefaultChromiumPath = "/usr/bin/chromium";

    // Playwright adds --headless, --no-sandbox, --disable-background-networking, ... itself; these are the rest of the
    // flags in shared/docs/packages.md. QUIC is off because nothing here speaks it.
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private static readonly TimeSpan ConsoleQuietPeriod = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ConsoleWaitLimit = TimeSpan.FromSeconds(5);

    private readonly List<KestrelHost> _hosts = [];
    private readonly Lock _runsLock = new();
    private readonly List<ScenarioRun> _runs = [];
    private CorsKitDecisionListener? _decisions;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    internal PortNames Ports { get; } = new();

    internal RequestLog Log { get; } = new();

    internal string BrowserVersion => _browser?.Version ?? "unknown";

    /// <summary>The runs whose assertions passed, for the conformance report.</summary>
    internal IReadOnlyList<ScenarioRun> PassedRuns
    {
        get
        {
            lock (_runsLock) return [.. _runs];
        }
    }

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("CORSKIT_CHROMIUM") is { Length: > 0 } custom ? custom : DefaultChromiumPath;
        if (!File.Exists(chromium))
        {
            // Fail, never skip: a CI machine without Chromium must not report a green browser suite.
            throw new InvalidOperationException(
                $"Chromium was not found at {chromium}. The browser conformance suite needs a real Chromium: install Debian's "
                + "with 'apt-get install -y chromium' (bash tests/run.sh does this when it is missing), or set CORSKIT_CHROMIUM "
                + "to a Chromium executable. Playwright cannot download browsers here.");
        }

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

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>Runs one scenario in a fresh browser context and records what every side saw.</summary>
    internal async Task<ScenarioRun> RunAsync(Scenario scenario)
    {
        var browser = _browser ?? throw new InvalidOperationException("The fixture is not initialised.");
        Log.Clear();
        var stopwatch = Stopwatch.StartNew();
        var context = await browser.NewContextAsync();
        var console = new List<string>();
        var consoleLock = new Lock();
        ScriptOutcome outcome;
        try
        {
            var page = await context.NewPageAsync();
            page.Console += (_, message) =>
            {
                if (message.Type != "error") return;
                lock (consoleLock) console.Add(message.Text);
            };

            await page.GotoAsync($"{Ports.Expand(scenario.Page)}/?api={Ports["api"]}");
            // The result crosses as a JSON string: Playwright's own serialisation adds bookkeeping keys ($id).
            var script = Ports.Expand(scenario.Script);
            var json = await page.EvaluateAsync<string>($"async () => JSON.stringify(await (async () => {{ {script} }})())");
            using (var result = JsonDocument.Parse(json)) outcome = ScriptOutcome.From(result.RootElement);
            await WaitForConsoleAsync(scenario.Console is null ? null : Ports.Expand(scenario.Console), console, consoleLock);
        }
        finally
        {
            await context.CloseAsync();
        }

        string[] consoleErrors;
        lock (consoleLock) consoleErrors = [.. console.Select(Ports.Normalize)];
        var requests = Log.Requests.Select(request => request with
        {
            Host = Ports.Normalize(request.Host),
            Origin = request.Origin is null ? null : Ports.Normalize(request.Origin),
            DebugReason = request.DebugReason is null ? null : Ports.Normalize(request.DebugReason),
        }).ToArray();
        return new ScenarioRun(scenario, outcome, consoleErrors, requests, Log.Decisions, stopwatch.Elapsed);
    }

    /// <summary>Adds a run to the conformance report; the test calls it once the run passed every assertion.</summary>
    internal void RecordPassed(ScenarioRun run)
    {
        lock (_runsLock) _runs.Add(run);
    }

    /// <summary>
    /// Chromium logs CORS errors asynchronously, after the promise settles: waits for the expected message, then until
    /// the console has been quiet for a moment, so the recorded list is complete and the same from run to run.
    /// </summary>
    private static async Task WaitForConsoleAsync(string? expected, List<string> console, Lock consoleLock)
    {
        var waited = Stopwatch.StartNew();
        var lastCount = -1;
        var quietSince = waited.Elapsed;
        while (waited.Elapsed < ConsoleWaitLimit)
        {
            int count;
            bool expectedSeen;
            lock (consoleLock)
            {
                count = console.Count;
                expectedSeen = expected is null || console.Exists(text => text.Contains(expected, StringComparison.Ordinal));
            }

            if (count != lastCount)
            {
                lastCount = count;
                quietSince = waited.Elapsed;
            }
            else if (expectedSeen && waited.Elapsed - quietSince >= ConsoleQuietPeriod)
            {
                break;
            }

            await Task.Delay(25);
        }
    }

    public async Task DisposeAsync()
    {
        ConformanceReport.WriteAfterRun(this);
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        foreach (var host in _hosts) await host.DisposeAsync();
    }

    /// <summary>Stops listening to CorsKit's metric (xunit calls this after <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => _decisions?.Dispose();
}
