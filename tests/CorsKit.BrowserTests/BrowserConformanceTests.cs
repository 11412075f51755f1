using CorsKit.BrowserTests.Infrastructure;
using CorsKit.BrowserTests.Scenarios;
using FluentAssertions.Execution;
using Xunit.Abstractions;

namespace CorsKit.BrowserTests;

[CollectionDefinition(Name)]
public sealed class ChromiumTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Chromium";
}

/// <summary>Runs each scenario in a real Chromium and checks the browser's verdict, the server's side and the console.</summary>
[Collection(ChromiumTests.Name)]
public sealed class BrowserConformanceTests(BrowserFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string> Scenarios { get; } = new(ScenarioCatalog.All.Select(scenario => scenario.Name));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Chromium_reaches_the_expected_verdict(string name)
    {
        var run = await fixture.RunAsync(ScenarioCatalog.Find(name));
        output.WriteLine(run.Describe());

        using (new AssertionScope(name))
        {
            Verify(run);
        }

        // corskit check sends the same request to the same server and must reach Chromium's verdict (docs/cli.md).
        var engine = await EngineComparison.RunAsync(run, fixture.Ports);
        output.WriteLine(engine.Describe());
        using (new AssertionScope(name + " (corskit check)"))
        {
            VerifyEngine(run, engine);
        }

        fixture.RecordPassed(run with { Engine = engine });
    }

    private static void Verify(ScenarioRun run)
    {
        var scenario = run.Scenario;
        var outcome = run.Outcome;
        var corsErrors = run.ConsoleErrors.Where(text => text.Contains("blocked by CORS policy", StringComparison.Ordinal)).ToList();

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
            outcome.Error.Should().Match(error => error!.StartsWith("TypeError: Failed to fetch", StringComparison.Ordinal)
                || error.StartsWith("XMLHttpRequest error event", StringComparison.Ordinal));
            corsErrors.Should().Contain(text => text.Contains(scenario.Console!, StringComparison.Ordinal),
                "Chromium's console names why it blocked the response");
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
            run.Requests.Should().OnlyContain(r => r.DebugReason == null, "only a refusal in debug mode carries X-CorsKit-Reason");
        }

        foreach (var error in corsErrors)
        {
            TroubleshootingGuide.Quotes(error).Should().BeTrue("{0} must explain every CORS message Chromium prints; it lacks '{1}'",
                TroubleshootingGuide.Path, TroubleshootingGuide.Normalize(ConformanceReport.ReasonPart(error)));
        }

        scenario.Server?.Invoke(run.Requests);
    }

    private static void VerifyEngine(ScenarioRun run, EngineComparison engine)
    {
        engine.VerdictAgrees.Should().BeTrue("corskit check must reach Chromium's verdict, {0}", run.Outcome);
        engine.MessageAgrees.Should().BeTrue("corskit check must print the message Chromium printed: {0}", string.Join(" | ", run.ConsoleErrors));
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
