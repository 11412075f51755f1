using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>Requests that need a preflight: other methods, JSON, custom headers; and each reason to refuse one.</summary>
internal static class PreflightScenarios
{
    private const string Group = "Preflighted requests";

    /// <summary>One preflight, then the actual request, and script reads a 200.</summary>
    private static Scenario Passed(string name, string script, string body) =>
        new(Group, name, Pages.App, script, Verdict.Allowed) { Status = 200, Body = body, Preflights = 1, ActualRequests = 1 };

    /// <summary>
    /// CorsKit answers 403 without CORS headers: only the preflight reaches the server, and Chromium reports the
    /// preflight's missing Access-Control-Allow-Origin.
    /// </summary>
    private static Scenario Refused(string name, string script, CorsKitReason reason, string page = Pages.App) =>
        new(Group, name, page, script, Verdict.Blocked)
        {
            Console = Says.PreflightRefused, Reason = reason, Preflights = 1, ActualRequests = 0,
        };

    private static Action<IReadOnlyList<ArrivedRequest>> PreflightAsked(string method, string? headers = null) => requests =>
        requests.Should().ContainSingle(r => r.IsPreflight)
            .Which.Should().Match<ArrivedRequest>(r => r.RequestMethod == method && r.RequestHeaders == headers);

    public static IEnumerable<Scenario> All()
    {
        yield return Passed("JSON POST goes through a preflight and is readable",
            "return send(API + '/strict/data', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{\"a\":1}' });",
            "POST ok") with { Server = PreflightAsked("POST", "content-type") };
        yield return Refused("JSON POST is refused when Content-Type is not an allowed header",
            "return send(API + '/readonly/data', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });",
            CorsKitReason.HeaderNotAllowed);
        yield return Passed("PUT is allowed when listed",
            "return send(API + '/strict/data', { method: 'PUT' });", "PUT ok") with { Server = PreflightAsked("PUT") };
        yield return Passed("DELETE is allowed when listed",
            "return send(API + '/strict/data', { method: 'DELETE' });", "DELETE ok") with { Server = PreflightAsked("DELETE") };
        yield return Passed("lower-case put is upper-cased by the browser and allowed",
            "return send(API + '/strict/data', { method: 'put' });", "PUT ok") with
        {
            Server = PreflightAsked("PUT"),
            Note = "Fetch normalises DELETE, GET, HEAD, OPTIONS, POST and PUT to upper case, and no other method.",
        };
        yield return Passed("PATCH is allowed when listed",
            "return send(API + '/strict/data', { method: 'PATCH' });", "PATCH ok") with { Server = PreflightAsked("PATCH") };
        yield return Refused("lower-case patch is sent as is and refused by a policy that lists PATCH",
            "return send(API + '/strict/data', { method: 'patch' });", CorsKitReason.MethodNotAllowed) with
        {
            Server = PreflightAsked("patch"),
            Note = "Methods are case-sensitive: the browser sends 'patch' unchanged, and 'PATCH' does not cover it.",
        };
        yield return Passed("lower-case patch is allowed by a policy that lists patch",
            "return send(API + '/lowercase/data', { method: 'patch' });", "patch ok") with { Server = PreflightAsked("patch") };
        yield return Refused("PUT is refused by a policy that lists no methods",
            "return send(API + '/readonly/data', { method: 'PUT' });", CorsKitReason.MethodNotAllowed) with
        {
            Note = "A refused preflight keeps the actual request from ever being sent.",
        };
        yield return Passed("A listed custom header is allowed",
            "return send(API + '/strict/data', { headers: { 'X-Custom': '1' } });", "GET ok") with
        {
            Server = PreflightAsked("GET", "x-custom"),
        };
        yield return Passed("Header names are case-insensitive",
            "return send(API + '/strict/data', { headers: { 'X-CUSTOM': '1' } });", "GET ok") with
        {
            Server = PreflightAsked("GET", "x-custom"),
            Note = "The browser lower-cases the names it lists in Access-Control-Request-Headers.",
        };
        yield return Refused("An unlisted custom header is refused",
            "return send(API + '/strict/data', { headers: { 'X-Other': '1' } });", CorsKitReason.HeaderNotAllowed);
        yield return Passed("A '*' header policy allows any custom header",
            "return send(API + '/public/data', { headers: { 'X-Anything': '1' } });", "GET ok");
        yield return Refused("Authorization is refused by a '*' header policy",
            "return send(API + '/public/data', { headers: { 'Authorization': 'Bearer t0ken' } });", CorsKitReason.HeaderNotAllowed) with
        {
            Note = "The Fetch Standard never lets '*' cover Authorization; CorsKit refuses it rather than send a '*' the browser would reject.",
        };
        yield return Passed("Authorization is allowed when listed by name next to '*'",
            "return send(API + '/public-auth/data', { headers: { 'Authorization': 'Bearer t0ken', 'X-Anything': '1' } });", "GET ok") with
        {
            Server = requests => requests.Should().Contain(r => !r.IsPreflight && r.Authorization == "Bearer t0ken"),
        };
        yield return Refused("A preflighted request from a non-allowed origin is blocked and only the preflight arrives",
            "return send(API + '/strict/data', { method: 'PUT' });", CorsKitReason.OriginNotAllowed, Pages.Evil);
        yield return Refused("A method longer than 64 characters is refused as malformed",
            "return send(API + '/public/data', { method: 'X'.repeat(65) });", CorsKitReason.MethodMalformed) with
        {
            Note = "CorsKit bounds what it reads from a request; a browser can send such a method, and it is refused.",
        };
        yield return Refused("More than 64 requested headers are refused as malformed, even by '*'",
            "const headers = {}; for (let i = 0; i < 65; i++) headers['x-h' + i] = '1'; return send(API + '/public/data', { headers });",
            CorsKitReason.HeadersMalformed);
        yield return Refused("A preflight from a sandboxed frame (Origin: null) is refused",
            "return inSandbox(\"return send(API + '/strict/data', { method: 'PUT' });\");", CorsKitReason.OriginNull) with
        {
            Console = Says.PreflightFromNullOrigin,
            Server = requests => requests.Should().ContainSingle(r => r.IsPreflight).Which.Origin.Should().Be("null"),
        };
    }
}
