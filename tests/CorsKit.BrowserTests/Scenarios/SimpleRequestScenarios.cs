using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>GET, HEAD and POST with safelisted headers: no preflight, and the server runs them whatever the origin.</summary>
internal static class SimpleRequestScenarios
{
    private const string Group = "Simple requests";

    /// <summary>No preflight, one request, and script reads a 200.</summary>
    private static Scenario Readable(string name, string page, string script, string body) =>
        new(Group, name, page, script, Verdict.Allowed) { Status = 200, Body = body, Preflights = 0, ActualRequests = 1 };

    /// <summary>No preflight, the request reaches the server and runs, and the browser withholds the response.</summary>
    private static Scenario Withheld(string name, string script, ConsoleSays console) =>
        new(Group, name, Pages.Evil, script, Verdict.Blocked)
        {
            Console = console, Reason = CorsKitReason.OriginNotAllowed, Preflights = 0, ActualRequests = 1,
        };

    public static IEnumerable<Scenario> All()
    {
        yield return Readable("GET from the allowed origin is readable", Pages.App,
            "return send(API + '/strict/data');", "GET ok");
        yield return Readable("GET through XMLHttpRequest from the allowed origin is readable", Pages.App,
            "return sendXhr(API + '/strict/data');", "GET ok");
        yield return Readable("HEAD from the allowed origin is readable", Pages.App,
            "return send(API + '/strict/data', { method: 'HEAD' });", string.Empty);
        yield return Readable("POST of text/plain from the allowed origin needs no preflight", Pages.App,
            "return send(API + '/strict/data', { method: 'POST', body: 'hello' });", "POST ok");
        yield return Readable("POST of a form from the allowed origin needs no preflight", Pages.App,
            "return send(API + '/strict/data', { method: 'POST', body: new URLSearchParams({ q: 'cors' }) });", "POST ok");
        yield return Withheld("GET from a non-allowed origin is blocked, yet the server ran it",
            "return send(API + '/strict/data');", Says.NoAllowOrigin) with
        {
            Server = requests => requests.Should().ContainSingle(r => r.Method == "GET" && r.Origin == Pages.Evil),
            Note = "CORS does not stop a simple request: the endpoint runs, only the response is withheld from script.",
        };
        yield return Withheld("POST from a non-allowed origin is blocked, yet the server ran it",
            "return send(API + '/strict/data', { method: 'POST', body: 'transfer=100' });", Says.NoAllowOrigin) with
        {
            Note = "A simple POST has its side effects even when the browser blocks the response: CORS is not CSRF protection.",
        };
        yield return Withheld("HEAD from a non-allowed origin is blocked",
            "return send(API + '/strict/data', { method: 'HEAD' });", Says.NoAllowOrigin);
        yield return Withheld("XMLHttpRequest from a non-allowed origin is blocked",
            "return sendXhr(API + '/strict/data');", Says.XhrBlocked);
        yield return Readable("GET under an any-origin policy is readable from any page", Pages.Evil,
            "return send(API + '/public/data');", "GET ok");
    }
}
