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

        fixture.RecordPassed(run);
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
        if (scenario.Reason == CorsKitReason.Allowed) refusals.Should().BeEmpty("CorsKit allowed every request of this scenario");
        else refusals.Should().Contain(scenario.Reason, "CorsKit reports why it refused");

        scenario.Server?.Invoke(run.Requests);
    }
}
