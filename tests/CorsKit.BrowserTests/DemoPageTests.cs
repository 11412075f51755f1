using System.Text.Json;
using CorsKit.BrowserTests.Engines;
using CorsKit.BrowserTests.Infrastructure;
using Xunit.Abstractions;

namespace CorsKit.BrowserTests;

/// <summary>The demo's page in Chromium.</summary>
[Collection(ChromiumTests.Name)]
public sealed class ChromiumDemoPageTests(ChromiumFixture fixture, ITestOutputHelper output) : DemoPageTests(fixture, output);

/// <summary>The demo's page in Firefox.</summary>
[Collection(FirefoxTests.Name)]
public sealed class FirefoxDemoPageTests(FirefoxFixture fixture, ITestOutputHelper output) : DemoPageTests(fixture, output);

/// <summary>The demo's page in WebKit.</summary>
[Collection(WebKitTests.Name)]
public sealed class WebKitDemoPageTests(WebKitFixture fixture, ITestOutputHelper output) : DemoPageTests(fixture, output);

/// <summary>
/// samples/CorsKit.Demo in each engine: both pages press "Run all" and every demo must end as the demo's README table
/// says (samples/CorsKit.Demo/README.md), and every CORS message the engine prints must be one docs/troubleshooting.md
/// explains.
/// </summary>
public abstract class DemoPageTests(BrowserFixture fixture, ITestOutputHelper output)
{
    // Presses "Run all" and waits until every demo has an outcome (the page sets data-outcome when one finishes).
    private const string RunAll = """
        document.getElementById('run-all').click();
        const results = [...document.querySelectorAll('.result')];
        while (results.some((r) => !r.dataset.outcome)) await new Promise((resolve) => setTimeout(resolve, 50));
        return Object.fromEntries(results.map((r) => [r.id, r.dataset.outcome + (r.dataset.status ? ' ' + r.dataset.status : '')]));
        """;

    /// <summary>The README's table: the allowed page's column.</summary>
    private static readonly Dictionary<string, string> AllowedPage = new()
    {
        ["simpleGet"] = "allowed 200",
        ["jsonPost"] = "allowed 201",
        ["authenticatedPut"] = "allowed 200",
        ["putWithoutToken"] = "allowed 401",
        ["exposedHeaders"] = "allowed 200",
        ["reportsList"] = "allowed 200",
        ["reportsCreate"] = "allowed 201",
        ["adminDelete"] = "blocked",
        ["internalGet"] = "blocked",
        ["webSocket"] = "allowed 101",
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_demo_ends_as_the_README_says(bool allowedPage)
    {
        await using var site = await DemoSite.StartAsync();
        var page = allowedPage ? site.Ports.AllowedOrigin : site.Ports.RefusedOrigin;

        var run = await fixture.RunPageAsync(page + "/", RunAll);
        output.WriteLine($"{fixture.Engine} {fixture.BrowserVersion}: {run.Json}");
        foreach (var text in run.ConsoleErrors) output.WriteLine("console: " + text);

        var outcomes = JsonSerializer.Deserialize<Dictionary<string, string>>(run.Json)!;
        var expected = allowedPage ? AllowedPage : AllowedPage.ToDictionary(entry => entry.Key, _ => "blocked");
        outcomes.Should().Equal(expected);

        var corsErrors = run.ConsoleErrors.Where(text => EngineConsole.IsCorsError(fixture.Engine, text)).ToList();
        corsErrors.Should().NotBeEmpty("the blocked demos leave CORS errors in the console");
        foreach (var error in corsErrors)
        {
            TroubleshootingGuide.Quotes(error).Should().BeTrue("{0} must explain every CORS message the demo makes {1} print; it lacks '{2}'",
                TroubleshootingGuide.Path, fixture.Engine, TroubleshootingGuide.Normalize(error));
        }
    }
}
