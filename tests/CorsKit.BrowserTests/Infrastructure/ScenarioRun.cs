using System.Text.Json;
using CorsKit.BrowserTests.Engines;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// The request script asked the browser to send (harness.js records it as <c>new Request(url, init)</c> sees it): what
/// the check engine is given to send the same request.
/// </summary>
internal sealed record BrowserRequest(
    string Kind,
    string Origin,
    string Url,
    string Method,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    bool Credentials,
    string? Body)
{
    public bool IsXhr => Kind == "xhr";

    public override string ToString() =>
        $"{Kind} {Method} {Url} from {Origin}{(Credentials ? " with credentials" : string.Empty)}, headers [{string.Join(", ", Headers.Select(h => $"{h.Key}: {h.Value}"))}]";

    public static BrowserRequest From(JsonElement request) => new(
        request.GetProperty("kind").GetString()!,
        request.GetProperty("origin").GetString()!,
        request.GetProperty("url").GetString()!,
        request.GetProperty("method").GetString()!,
        request.GetProperty("headers").EnumerateArray()
            .Select(pair => new KeyValuePair<string, string>(pair[0].GetString()!, pair[1].GetString()!)).ToList(),
        request.GetProperty("credentials").GetBoolean(),
        request.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String ? body.GetString() : null);
}

/// <summary>What the page's script observed: a response (ok) or the error the browser raised instead.</summary>
internal sealed record ScriptOutcome(bool Ok, int Status, string? Body, IReadOnlyDictionary<string, string> Headers, string? Error)
{
    /// <summary>The request whose outcome this is, as harness.js recorded it.</summary>
    public BrowserRequest? Request { get; init; }

    public static ScriptOutcome From(JsonElement result)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (result.TryGetProperty("headers", out var readable) && readable.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in readable.EnumerateObject()) headers[header.Name] = header.Value.GetString() ?? string.Empty;
        }

        return new ScriptOutcome(
            result.GetProperty("ok").GetBoolean(),
            result.TryGetProperty("status", out var status) ? status.GetInt32() : 0,
            result.TryGetProperty("body", out var body) ? body.GetString() : null,
            headers,
            result.TryGetProperty("error", out var error) ? error.GetString() : null)
        {
            Request = result.TryGetProperty("request", out var request) && request.ValueKind == JsonValueKind.Object ? BrowserRequest.From(request) : null,
        };
    }

    public override string ToString() => Ok
        ? $"status {Status}, body '{Body}', readable headers [{string.Join(", ", Headers.Keys.Order(StringComparer.Ordinal))}]"
        : $"error '{Error}'";
}

/// <summary>Everything one scenario run produced: the browser's side, the server's side, and the console.</summary>
internal sealed record ScenarioRun(
    Scenario Scenario,
    ScriptOutcome Outcome,
    IReadOnlyList<string> ConsoleErrors,
    IReadOnlyList<ArrivedRequest> Requests,
    IReadOnlyList<CorsKitDecision> Decisions,
    TimeSpan Elapsed)
{
    /// <summary>The engine that ran the scenario.</summary>
    public Engine Engine { get; init; }

    /// <summary>What <c>corskit check --browser</c> made of the same request, once the test has compared it.</summary>
    public EngineComparison? Comparison { get; init; }

    public int Preflights => Requests.Count(request => request.IsPreflight);

    public int ActualRequests => Requests.Count(request => !request.IsPreflight);

    public string Describe() =>
        $"""
        elapsed: {Elapsed.TotalMilliseconds:F0} ms
        outcome: {Outcome}
        console: {(ConsoleErrors.Count == 0 ? "(none)" : string.Join(Environment.NewLine + "         ", ConsoleErrors))}
        server:  {(Requests.Count == 0 ? "(nothing arrived)" : string.Join(Environment.NewLine + "         ", Requests))}
        corskit: {(Decisions.Count == 0 ? "(nothing counted)" : string.Join(", ", Decisions))}
        request: {Outcome.Request?.ToString() ?? "(not recorded)"}
        """;
}
