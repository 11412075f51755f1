using Microsoft.Playwright;

namespace CorsKit.BrowserTests.Engines;

/// <summary>Debian's Chromium through Microsoft.Playwright; a new browser context per run.</summary>
internal sealed class ChromiumEngine : IBrowserEngine
{
    /// <summary>Debian's Chromium, which tests/run.sh installs. CORSKIT_CHROMIUM overrides the path.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    // Playwright adds --headless, --no-sandbox, --disable-background-networking, ... itself; these are the rest of the
    // flags in shared/docs/packages.md. QUIC is off because nothing here speaks it.
    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly int _clockRate;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <param name="clockRate">1 for real time; above 1, Chromium's clocks run that many times faster (libfaketime).</param>
    public ChromiumEngine(int clockRate = 1) => _clockRate = clockRate;

    public Engine Name => Engine.Chromium;

    public string Version => _browser?.Version ?? "unknown";

    public async Task StartAsync()
    {
        var path = Environment.GetEnvironmentVariable("CORSKIT_CHROMIUM") is { Length: > 0 } custom ? custom : DefaultPath;
        EngineSupport.Require(path, "Chromium", "chromium");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = Args,
            Env = _clockRate == 1 ? null : EngineSupport.FastClockEnvironment(_clockRate),
        });
    }

    public async Task<PageResult> RunAsync(string url, string functionBody, string? expectedConsole)
    {
        var browser = _browser ?? throw new InvalidOperationException("Chromium is not started.");
        var console = new ConsoleCollector();
        var context = await browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            page.Console += (_, message) =>
            {
                if (message.Type == "error") console.Add(message.Text);
            };
            await GotoAsync(page, url);
            // A JSON string: Playwright's own serialisation adds bookkeeping keys ($id).
            var json = await page.EvaluateAsync<string>(EngineSupport.AsJsonFunction(functionBody));
            await console.SettleAsync(expectedConsole);
            return new PageResult(json, console.Errors);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>
    /// Loads the page. Under a sped-up clock Chromium sometimes aborts its first navigation in a new context
    /// (net::ERR_ABORTED, measured here at 300 times): the load, not what the script measures, is tried up to 3 times.
    /// </summary>
    private async Task GotoAsync(IPage page, string url)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.GotoAsync(url);
                return;
            }
            catch (PlaywrightException ex) when (_clockRate != 1 && attempt < 3 && ex.Message.Contains("net::ERR_ABORTED", StringComparison.Ordinal))
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
