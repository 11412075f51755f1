using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>Access-Control-Max-Age as the engines apply it. Each scenario starts with an empty preflight cache.</summary>
internal static class CachingScenarios
{
    private const string Group = "Preflight caching";

    /// <summary>What corskit check, which has no preflight cache, does instead of answering from one.</summary>
    private const string EngineSendsItsOwnPreflight =
        "The browser answered the second request's preflight from its cache; corskit check sends the second request alone, with its own preflight, and CorsKit answers it as it answered the first.";

    /// <summary>
    /// Two requests in a row; script reads the second. corskit check sends only the second (with a preflight: it has
    /// no cache), so each scenario says how the engine's exchange differs from the browser's.
    /// </summary>
    private static Scenario Twice(string name, string first, string second, Verdict verdict) =>
        new(Group, name, Pages.App, $"await send(API + {first}); return send(API + {second});", verdict) { EngineNote = EngineSendsItsOwnPreflight };

    public static IEnumerable<Scenario> All()
    {
        yield return Twice("Max-age 600: a second identical request sends no preflight",
            "'/cached/data', { method: 'PUT' }", "'/cached/data', { method: 'PUT' }", Verdict.Allowed) with
        {
            Status = 200, Body = "PUT ok", Preflights = 1, ActualRequests = 2,
        };
        yield return Twice("Max-age 0: every request sends its own preflight",
            "'/uncached/data', { method: 'PUT' }", "'/uncached/data', { method: 'PUT' }", Verdict.Allowed) with
        {
            Status = 200, Body = "PUT ok", Preflights = 2, ActualRequests = 2,
            EngineNote = "The browser preflights both requests (max-age 0 caches nothing); corskit check sends the second request with its preflight, as the browser did.",
        };
        yield return Twice("No max-age: the 5-second default spares an immediate second preflight",
            "'/strict/data', { method: 'PUT' }", "'/strict/data', { method: 'PUT' }", Verdict.Allowed) with
        {
            Status = 200, Body = "PUT ok", Preflights = 1, ActualRequests = 2,
        };
        yield return Twice("A cached preflight covers every method it listed: DELETE after PUT needs none",
            "'/cached/data', { method: 'PUT' }", "'/cached/data', { method: 'DELETE' }", Verdict.Allowed) with
        {
            Status = 200, Body = "DELETE ok", Preflights = 1, ActualRequests = 2,
            Note = "CorsKit answers with every allowed method (PUT, DELETE), and every engine caches the whole list.",
        };
        yield return Twice("A cached preflight does not let an unlisted header through",
            "'/cached/data', { method: 'PUT' }", "'/cached/data', { method: 'PUT', headers: { 'X-Other': '1' } }", Verdict.Blocked) with
        {
            Console = Says.PreflightRefused, Reason = CorsKitReason.HeaderNotAllowed, Preflights = 2, ActualRequests = 1,
            Note = "The cache holds the methods and headers a preflight allowed; anything new asks the server again.",
            EngineNote = "The cached preflight did not cover X-Other, so the browser preflighted the second request, as corskit check does.",
        };
    }
}
