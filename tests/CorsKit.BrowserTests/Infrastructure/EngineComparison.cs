using CorsKit.Cli.Check;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// What <c>corskit check</c> (its check engine, as the command runs it) made of a scenario's request, sent again to
/// the same server after the browser's run, and whether that agrees with Chromium: the same verdict, and when allowed
/// the same status and readable response headers, when blocked the same console message.
/// </summary>
internal sealed record EngineComparison(
    CheckOutcome Outcome,
    int? Status,
    string? Message,
    string? ServerReason,
    string? Error,
    IReadOnlyList<string> Exchanges,
    IReadOnlyList<string> ReadableHeaders,
    bool VerdictAgrees,
    bool MessageAgrees,
    bool ReadableHeadersAgree)
{
    public bool Agrees => VerdictAgrees && MessageAgrees && ReadableHeadersAgree;

    /// <summary>Sends the request harness.js recorded for the script's result through the check engine.</summary>
    public static async Task<EngineComparison> RunAsync(ScenarioRun run, PortNames ports)
    {
        var request = run.Outcome.Request
            ?? throw new InvalidOperationException($"The script of '{run.Scenario.Name}' returned no recorded request: return the result of send, sendXhr or inSandbox.");
        var url = new Uri(request.Url);
        var result = await CorsCheckEngine.CheckAsync(new CorsCheckRequest
        {
            Url = url,
            Origin = request.Origin,
            Method = request.Method,
            Headers = request.Headers,
            Credentials = request.Credentials,
            Body = request.Body,
            Cookie = CookieSent(run, url, ports),
        });

        var message = result.ChromiumMessage is null ? null : ports.Normalize(result.ChromiumMessage);
        var browserVerdict = run.Outcome.Ok ? CheckOutcome.Allowed : CheckOutcome.Blocked;
        var verdictAgrees = result.Outcome == browserVerdict && (!run.Outcome.Ok || result.Status == run.Outcome.Status);
        var messageAgrees = run.Outcome.Ok || (message is not null && ConsoleHas(run, request, message));
        var readableAgree = !run.Outcome.Ok || result.ReadableHeaders.Order(StringComparer.Ordinal)
            .SequenceEqual(run.Outcome.Headers.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        return new EngineComparison(
            result.Outcome,
            result.Status,
            message,
            result.ServerReason is null ? null : ports.Normalize(result.ServerReason),
            result.Error is null ? null : ports.Normalize(result.Error),
            result.Exchanges.Select(e => ports.Normalize($"{e.Kind} {e.Method} {e.Url.AbsoluteUri} -> {e.Status}")).ToList(),
            result.ReadableHeaders,
            verdictAgrees,
            messageAgrees,
            readableAgree);
    }

    /// <summary>
    /// The engine has no cookie jar: it gets the Cookie header the browser really sent with this request (as the
    /// server recorded it), as a user gives <c>corskit check --cookie</c> the cookies their browser holds.
    /// </summary>
    private static string? CookieSent(ScenarioRun run, Uri url, PortNames ports)
    {
        var host = ports.Normalize(url.Authority);
        return run.Requests.LastOrDefault(r => !r.IsPreflight && r.Host == host && r.PathAndQuery == url.PathAndQuery)?.Cookie;
    }

    /// <summary>
    /// A fetch() error must be in the console word for word. XMLHttpRequest errors say "Access to XMLHttpRequest at"
    /// where the engine, which models fetch(), says "Access to fetch at": for them only the reason is compared.
    /// </summary>
    private static bool ConsoleHas(ScenarioRun run, BrowserRequest request, string message) => request.IsXhr
        ? run.ConsoleErrors.Any(text => text.StartsWith("Access to XMLHttpRequest at ", StringComparison.Ordinal)
            && ConformanceReport.ReasonPart(text) == ConformanceReport.ReasonPart(message))
        : run.ConsoleErrors.Contains(message, StringComparer.Ordinal);

    public string Describe() =>
        $"""
        corskit check: {Outcome}{(Status is { } status ? $", status {status}" : string.Empty)}{(Agrees ? ", agrees with Chromium" : ", DISAGREES with Chromium")}
                       {(Message ?? Error ?? "(no message)")}
                       exchanges: {string.Join("; ", Exchanges)}
                       readable headers: [{string.Join(", ", ReadableHeaders)}]
                       X-CorsKit-Reason: {ServerReason ?? "(none)"}
        """;
}
