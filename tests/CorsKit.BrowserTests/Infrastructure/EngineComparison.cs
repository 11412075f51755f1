using CorsKit.BrowserTests.Engines;
using CorsKit.Cli.Check;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// What <c>corskit check --browser &lt;engine&gt;</c> (its check engine, as the command runs it) made of a scenario's
/// request, sent again to the same server after the browser's run, and whether that agrees with the engine: the same
/// verdict, and when allowed the same status and readable response headers, when blocked the same console message.
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

    /// <summary>The check engine's rules for a browser engine of the suite.</summary>
    public static CheckBrowser BrowserOf(Engine engine) => engine switch
    {
        Engine.Chromium => CheckBrowser.Chromium,
        Engine.Firefox => CheckBrowser.Firefox,
        _ => CheckBrowser.WebKit,
    };

    /// <summary>Sends the request harness.js recorded for the script's result through the check engine.</summary>
    public static async Task<EngineComparison> RunAsync(ScenarioRun run, PortNames ports, Engine engine)
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
            Browser = BrowserOf(engine),
        });

        var message = result.ConsoleMessage is null ? null : ports.Normalize(result.ConsoleMessage);
        var browserVerdict = run.Outcome.Ok ? CheckOutcome.Allowed : CheckOutcome.Blocked;
        var verdictAgrees = result.Outcome == browserVerdict && (!run.Outcome.Ok || result.Status == run.Outcome.Status);
        var messageAgrees = run.Outcome.Ok || (message is not null && ConsoleHas(run, request, message, engine));
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
    /// A fetch() error must be in the console word for word. XMLHttpRequest errors name XMLHttpRequest where the
    /// engine, which models fetch(), names fetch: for them only the reason is compared.
    /// </summary>
    private static bool ConsoleHas(ScenarioRun run, BrowserRequest request, string message, Engine engine) => request.IsXhr
        ? run.ConsoleErrors.Any(text => EngineConsole.IsCorsError(engine, text)
            && TroubleshootingGuide.ReasonPart(text) == TroubleshootingGuide.ReasonPart(message.Replace("Fetch API", "XMLHttpRequest", StringComparison.Ordinal)))
        : run.ConsoleErrors.Contains(message, StringComparer.Ordinal);

    public string Describe() =>
        $"""
        corskit check: {Outcome}{(Status is { } status ? $", status {status}" : string.Empty)}{(Agrees ? ", agrees with the engine" : ", DISAGREES with the engine")}
                       {(Message ?? Error ?? "(no message)")}
                       exchanges: {string.Join("; ", Exchanges)}
                       readable headers: [{string.Join(", ", ReadableHeaders)}]
                       X-CorsKit-Reason: {ServerReason ?? "(none)"}
        """;
}
