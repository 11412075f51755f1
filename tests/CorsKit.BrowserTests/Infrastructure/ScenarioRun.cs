using System.Text.Json;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>What the page's script observed: a response (ok) or the error the browser raised instead.</summary>
internal sealed record ScriptOutcome(bool Ok, int Status, string? Body, IReadOnlyDictionary<string, string> Headers, string? Error)
{
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
            result.TryGetProperty("error", out var error) ? error.GetString() : null);
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
    public int Preflights => Requests.Count(request => request.IsPreflight);

    public int ActualRequests => Requests.Count(request => !request.IsPreflight);

    public string Describe() =>
        $"""
        elapsed: {Elapsed.TotalMilliseconds:F0} ms
        outcome: {Outcome}
        console: {(ConsoleErrors.Count == 0 ? "(none)" : string.Join(Environment.NewLine + "         ", ConsoleErrors))}
        server:  {(Requests.Count == 0 ? "(nothing arrived)" : string.Join(Environment.NewLine + "         ", Requests))}
        corskit: {(Decisions.Count == 0 ? "(nothing counted)" : string.Join(", ", Decisions))}
        """;
}
