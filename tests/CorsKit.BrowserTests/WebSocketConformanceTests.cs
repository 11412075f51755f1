using CorsKit.BrowserTests.Infrastructure;
using CorsKit.BrowserTests.Scenarios;
using FluentAssertions.Execution;
using Xunit.Abstractions;

namespace CorsKit.BrowserTests;

/// <summary>
/// The WebSocket scenarios in the real browser: a page opens <c>new WebSocket(...)</c> (or a SignalR connection) and
/// the verdict is whether the socket opened and delivered the server's message. Browsers apply no CORS to WebSockets,
/// so a refused handshake shows up as Chromium's "Unexpected response code: 403" and CorsKit's websocket refusal.
/// </summary>
[Collection(ChromiumTests.Name)]
public sealed class WebSocketConformanceTests(ChromiumFixture fixture, WebSocketServerFixture server, ITestOutputHelper output)
    : IClassFixture<WebSocketServerFixture>
{
    public static TheoryData<string> Scenarios { get; } = new(WebSocketScenarios.All().Select(scenario => scenario.Name));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Chromium_opens_only_the_WebSockets_the_policy_allows(string name)
    {
        await server.EnsureStartedAsync(fixture);
        var scenario = WebSocketScenarios.All().Single(s => s.Name == name);
        var run = await fixture.RunAsync(scenario);
        output.WriteLine(run.Describe());

        using var scope = new AssertionScope(name);
        var outcome = run.Outcome;
        var failedSockets = run.ConsoleErrors.Where(text => text.Contains("WebSocket connection to", StringComparison.Ordinal)).ToList();
        var corsErrors = run.ConsoleErrors.Where(text => text.Contains("blocked by CORS policy", StringComparison.Ordinal)).ToList();
        var webSocketDecisions = run.Decisions.Where(d => d.Kind == "websocket").ToList();
        if (scenario.Verdict == Verdict.Allowed)
        {
            outcome.Ok.Should().BeTrue("the socket must open and deliver a message to the page");
            fixture.Ports.Normalize(outcome.Body ?? string.Empty).Should().Be(scenario.Body);
            failedSockets.Should().BeEmpty();
            corsErrors.Should().BeEmpty();
            // The SignalR client script itself is fetched without CORS (not_cors); nothing may be refused.
            run.Decisions.Should().NotContain(d => d.Outcome == "refused", "CorsKit allowed every request of this scenario");
            if (!name.Contains("Server-Sent Events", StringComparison.Ordinal))
            {
                webSocketDecisions.Should().ContainSingle("one handshake reached CorsKit").Which.Outcome.Should().Be("allowed");
            }
            else
            {
                webSocketDecisions.Should().BeEmpty("the Server-Sent Events transport opens no WebSocket");
                run.Decisions.Should().Contain(d => d.Kind == "actual" && d.Reason == CorsKitReason.Allowed);
            }
        }
        else
        {
            outcome.Ok.Should().BeFalse("the page must not get a working socket");
            run.ConsoleErrors.Should().Contain(text => text.Contains(fixture.Ports.Normalize(scenario.Console!.Chromium), StringComparison.Ordinal),
                "Chromium's console says why the connection failed");
            run.Decisions.Where(d => d.Outcome == "refused").Select(d => d.Reason).Should().OnlyContain(r => r == scenario.Reason)
                .And.NotBeEmpty("CorsKit refused the request that decided the scenario");
            if (scenario.Console == WebSocketScenarios.Refused403)
            {
                webSocketDecisions.Should().ContainSingle().Which.Should().Be(new CorsKitDecision("websocket", "refused", scenario.Reason));
                run.Requests.Should().ContainSingle(r => r.PathAndQuery == "/ws" || r.PathAndQuery.StartsWith("/hubs/chat", StringComparison.Ordinal))
                    .Which.Status.Should().Be(403, "CorsKit answered the handshake itself");
            }
            else
            {
                webSocketDecisions.Should().BeEmpty("the browser stopped at the CORS answer and never opened the socket");
            }
        }

        if (scenario.ActualRequests is { } actual) run.ActualRequests.Should().Be(actual, "that many requests reach the server");
    }
}
