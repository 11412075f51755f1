using CorsKit.BrowserTests.Engines;
using CorsKit.BrowserTests.Infrastructure;
using CorsKit.BrowserTests.Scenarios;
using FluentAssertions.Execution;
using Xunit.Abstractions;

// The engines run one after the other: each collection is one engine with its own servers, and CorsKit's metric,
// which every scenario reads, is process-wide.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CorsKit.BrowserTests;

[CollectionDefinition(Name)]
public sealed class ChromiumTests : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Chromium";
}

[CollectionDefinition(Name)]
public sealed class FirefoxTests : ICollectionFixture<FirefoxFixture>
{
    public const string Name = "Firefox";
}

[CollectionDefinition(Name)]
public sealed class WebKitTests : ICollectionFixture<WebKitFixture>
{
    public const string Name = "WebKit";
}

/// <summary>Every scenario in Chromium.</summary>
[Collection(ChromiumTests.Name)]
public sealed class ChromiumConformanceTests(ChromiumFixture fixture, ITestOutputHelper output) : BrowserConformanceTests(fixture, output);

/// <summary>Every scenario in Firefox.</summary>
[Collection(FirefoxTests.Name)]
public sealed class FirefoxConformanceTests(FirefoxFixture fixture, ITestOutputHelper output) : BrowserConformanceTests(fixture, output);

/// <summary>Every scenario in WebKit.</summary>
[Collection(WebKitTests.Name)]
public sealed class WebKitConformanceTests(WebKitFixture fixture, ITestOutputHelper output) : BrowserConformanceTests(fixture, output);

/// <summary>
/// Runs each scenario in a real browser engine and checks the engine's verdict, the server's side and the console,
/// then has <c>corskit check --browser &lt;engine&gt;</c> send the same request and reach the same verdict.
/// </summary>
public abstract class BrowserConformanceTests(BrowserFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Scenarios { get; } = new(ScenarioCatalog.All.Select(scenario => scenario.Name));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Engine_reaches_the_expected_verdict(string name)
    {
        var engineName = fixture.Engine;
        var run = await fixture.RunAsync(ScenarioCatalog.Find(name).For(engineName));
        output.WriteLine($"{engineName} {fixture.BrowserVersion}");
        output.WriteLine(run.Describe());

        using (new AssertionScope($"{name} ({engineName})"))
        {
            Verify(run, engineName);
        }

        // corskit check sends the same request to the same server and must reach this engine's verdict (docs/cli.md).
        var engine = await EngineComparison.RunAsync(run, fixture.Ports, engineName);
        output.WriteLine(engine.Describe());
        using (new AssertionScope($"{name} (corskit check --browser {engineName.ToString().ToLowerInvariant()})"))
        {
            VerifyEngine(run, engine, engineName);
        }

        fixture.RecordPassed(run with { Comparison = engine });
    }

    private static void Verify(ScenarioRun run, Engine engineName)
    {
        var scenario = run.Scenario;
        var outcome = run.Outcome;
        var corsErrors = run.ConsoleErrors.Where(text => EngineConsole.IsCorsError(engineName, text)).ToList();

        if (scenario.Verdict == Verdict.Allowed)
        {
            outcome.Ok.Should().BeTrue("the browser must hand the response to script");
            if (scenario.Status is { } status) outcome.Status.Should().Be(status);
            if (scenario.Body is { } body) outcome.Body.Should().Be(body);
            corsErrors.Should().BeEmpty("an allowed request leaves no CORS error in the console");
        }
        else
        {
            outcome.Ok.Should().BeFalse("the browser must withhold the response from script");
            outcome.Error.Should().Match(error => error!.StartsWith(EngineConsole.FetchError(engineName), StringComparison.Ordinal)
                || error.StartsWith("XMLHttpRequest error event", StringComparison.Ordinal));
            if (scenario.Console?.For(engineName) is { } expected)
            {
                corsErrors.Should().Contain(text => text.Contains(expected, StringComparison.Ordinal), "the console names why the engine blocked the response");
            }
            else
            {
                corsErrors.Should().NotBeEmpty("the console says that the engine blocked the response");
            }
        }

        foreach (var (header, value) in scenario.Readable)
        {
            outcome.Headers.Should().Contain(header, value, "script must be able to read {0}", header);
        }

        foreach (var header in scenario.Hidden)
        {
            outcome.Headers.Should().NotContainKey(header, "script must not see {0}", header);
        }

        if (scenario.Preflights is { } preflights) run.Preflights.Should().Be(preflights, "that many preflights reach the server");
        if (scenario.ActualRequests is { } actual) run.ActualRequests.Should().Be(actual, "that many actual requests reach the server");

        var refusals = run.Decisions.Where(decision => decision.Reason != CorsKitReason.Allowed).Select(decision => decision.Reason).ToList();
        if (!scenario.ReachesCorsKit) run.Decisions.Should().BeEmpty("another layer answered before CorsKit");
        else if (scenario.Reason == CorsKitReason.Allowed) refusals.Should().BeEmpty("CorsKit allowed every request of this scenario");
        else refusals.Should().Contain(scenario.Reason, "CorsKit reports why it refused");

        if (scenario.ServerReason is { } reason)
        {
            run.Requests.Should().Contain(r => r.DebugReason != null && r.DebugReason.Contains(reason, StringComparison.Ordinal),
                "debug mode says why on the refused response (X-CorsKit-Reason)");
        }
        else
        {
            run.Requests.Should().NotContain(r => r.DebugReason != null, "only a refusal in debug mode carries X-CorsKit-Reason");
        }

        foreach (var error in corsErrors)
        {
            TroubleshootingGuide.Quotes(error).Should().BeTrue("{0} must explain every CORS message the engines print; it lacks '{1}'",
                TroubleshootingGuide.Path, TroubleshootingGuide.Normalize(error));
        }

        scenario.Server?.Invoke(run.Requests);
    }

    private static void VerifyEngine(ScenarioRun run, EngineComparison engine, Engine engineName)
    {
        engine.VerdictAgrees.Should().BeTrue("corskit check must reach {0}'s verdict, {1}", engineName, run.Outcome);
        engine.MessageAgrees.Should().BeTrue("corskit check must print the message {0} printed: {1}", engineName, string.Join(" | ", run.ConsoleErrors));
        engine.ReadableHeadersAgree.Should().BeTrue("corskit check must name the response headers script could read: [{0}]",
            string.Join(", ", run.Outcome.Headers.Keys.Order(StringComparer.Ordinal)));

        if (run.Scenario.ServerReason is { } reason) engine.ServerReason.Should().Contain(reason, "corskit check shows CorsKit's debug reason");
        else engine.ServerReason.Should().BeNull();

        if (run.Scenario.EngineNote is not null)
        {
            var first = engine.Exchanges.Count == 0 ? null : engine.Exchanges[0];
            first.Should().StartWith("Preflight ", "corskit check has no preflight cache");
        }
    }
}
