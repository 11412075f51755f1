using CorsKit.BrowserTests.Engines;
using CorsKit.BrowserTests.Infrastructure;
using Xunit.Abstractions;

namespace CorsKit.BrowserTests;

/// <summary>
/// How long Chromium and WebKit keep a preflight answer at most, measured: the engine runs with its clocks sped up by
/// Debian's libfaketime (WebKit 100 times, Chromium 300 times; at 1000 times Chromium's own timeouts abort page loads),
/// so WebKit's ten minutes pass in six seconds and Chromium's two hours in 25. After a warm-up request (so the connection exists), a PUT is preflighted; it is
/// repeated before and after the limit (counted from the moment the first PUT had its answer; the margins, 60 s for
/// WebKit and 200 s for Chromium, are about 0.6 s of real time, for timers that fire late on a busy machine), and the
/// API's log shows which repeat was preflighted again. A max-age below the limit is the control: the faster clock
/// expires cache entries as max-age says. Firefox's 24 hours come from its source: under libfaketime fast enough to
/// measure it here, Firefox did not start.
/// </summary>
[Collection(WebKitTests.Name)]
public sealed class PreflightCacheCapTests(WebKitFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string, int, string, int, int> Measurements { get; } = new()
    {
        { "webkit", 100, "day-cache", 540, 660 },
        { "webkit", 100, "five-minute-cache", 240, 360 },
        { "chromium", 300, "day-cache", 7000, 7400 },
        { "chromium", 300, "five-minute-cache", 150, 450 },
    };

    [Theory]
    [MemberData(nameof(Measurements))]
    public async Task A_preflight_answer_is_kept_until_the_engines_limit(string engineName, int clockRate, string policy, int kept, int expired)
    {
        await using IBrowserEngine engine = engineName == "webkit" ? new WebKitEngine(clockRate) : new ChromiumEngine(clockRate);
        await engine.StartAsync();
        fixture.Log.Clear();

        // Seconds as the page's clock counts them: clockRate times faster than the server's.
        var script = $$"""
            const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
            const put = () => send(API + '/{{policy}}/data', { method: 'PUT' });
            await send(API + '/{{policy}}/data');
            await put();
            const answered = performance.now();
            const until = (seconds) => sleep(Math.max(0, seconds - (performance.now() - answered) / 1000));
            await until({{kept}}); await put(); await until({{expired}}); return put();
            """;
        var run = await engine.RunAsync(fixture.AppPageUrl, script, expectedConsole: null);
        output.WriteLine($"{engine.Name} {engine.Version} at {clockRate}x: {run.Json}");

        var sequence = fixture.Log.Requests.Select(request => request.IsPreflight ? "preflight" : request.Method).ToList();
        output.WriteLine(string.Join(", ", sequence));
        sequence.Should().Equal(["GET", "preflight", "PUT", "PUT", "preflight", "PUT"],
            $"{engine.Name} keeps the answer of /{policy}/ {kept} s after it came (no preflight) and not {expired} s after (a new preflight)");
    }
}
