using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>
/// CorsKit's debug mode (<see cref="CorsKitOptions.DebugMode"/>) against normal mode, with the same <c>guarded</c>
/// policy: <see cref="DebugServer"/> (<c>{debug}</c>) and <see cref="ApiServer"/> (<c>{api}</c>). Debug mode must make
/// each engine's console name the refused method or header (Firefox's names a header but never the method), say why on the server's answer (X-CorsKit-Reason), and grant
/// nothing: the browser still blocks, and the actual request is never sent.
/// </summary>
internal static class DebugModeScenarios
{
    private const string Group = "Debug mode";
    private const string DebugApi = "'http://api.localhost:{debug}/guarded/data'";
    private const string NormalApi = "API + '/guarded/data'";

    /// <summary>A refused preflight: only it reaches the server, and the request script asked for never does.</summary>
    private static Scenario Refused(string name, string page, string script, ConsoleSays console, CorsKitReason reason) =>
        new(Group, name, page, script, Verdict.Blocked) { Console = console, Reason = reason, Preflights = 1, ActualRequests = 0 };

    private static Action<IReadOnlyList<ArrivedRequest>> PreflightAnswered(int status) => requests =>
        requests.Should().ContainSingle(r => r.IsPreflight).Which.Status.Should().Be(status);

    public static IEnumerable<Scenario> All()
    {
        const string secretHeader = "{ headers: { 'X-Secret': '1' } }";
        yield return Refused("Debug mode: the console names the request header the policy does not allow", Pages.App,
            $"return send({DebugApi}, {secretHeader});", Says.HeaderNotAllowed("X-Secret"), CorsKitReason.HeaderNotAllowed) with
        {
            ServerReason = "'x-secret'", Server = PreflightAnswered(204),
            Note = "Debug mode answers the refused preflight with the allowed origin and lists (204), so each engine checks the list and names the missing header. It still blocks.",
        };
        yield return Refused("Normal mode: the same request header gets the generic message", Pages.App,
            $"return send({NormalApi}, {secretHeader});", Says.PreflightRefused, CorsKitReason.HeaderNotAllowed) with
        {
            Server = PreflightAnswered(403),
        };
        yield return Refused("Debug mode: the console names the method the policy does not allow", Pages.App,
            $"return send({DebugApi}, {{ method: 'DELETE' }});", Says.MethodNotAllowed("DELETE"), CorsKitReason.MethodNotAllowed) with
        {
            ServerReason = "'DELETE'", Server = PreflightAnswered(204),
        };
        yield return Refused("Normal mode: the same method gets the generic message", Pages.App,
            $"return send({NormalApi}, {{ method: 'DELETE' }});", Says.PreflightRefused, CorsKitReason.MethodNotAllowed) with
        {
            Server = PreflightAnswered(403),
        };
        yield return Refused("Debug mode: a preflight from a non-allowed origin still gets no CORS headers", Pages.Evil,
            $"return send({DebugApi}, {{ method: 'PUT' }});", Says.PreflightRefused, CorsKitReason.OriginNotAllowed) with
        {
            ServerReason = "'http://evil.localhost:{page}'", Server = PreflightAnswered(403),
            Note = "The allowed lists are only shown to an allowed origin; anyone else gets the 403 of normal mode, and the reason only in X-CorsKit-Reason.",
        };
        yield return new(Group, "Debug mode: a GET from a non-allowed origin is still blocked; the reason is on the response", Pages.Evil,
            $"return send({DebugApi});", Verdict.Blocked)
        {
            Console = Says.NoAllowOrigin, Reason = CorsKitReason.OriginNotAllowed, Preflights = 0, ActualRequests = 1,
            ServerReason = "'http://evil.localhost:{page}'",
            Note = "X-CorsKit-Reason shows in the browser's network panel; script never sees it, as the response is withheld.",
        };
        yield return Refused("Debug mode: Authorization stays refused by a '*' header policy", Pages.App,
            "return send('http://api.localhost:{debug}/public/data', { headers: { 'Authorization': 'Bearer t0ken' } });",
            Says.HeaderNotAllowed("Authorization"), CorsKitReason.HeaderNotAllowed) with
        {
            ServerReason = "'authorization'", Server = PreflightAnswered(204),
            Note = "All three engines let 'Access-Control-Allow-Headers: *' cover Authorization, which the Fetch Standard forbids (see 'Other layers'); so the debug answer must list the allowed names, not '*', or it would let the request through.",
        };
        yield return new(Group, "Debug mode: an allowed request is answered as in normal mode", Pages.App,
            $"return send({DebugApi}, {{ method: 'PUT', headers: {{ 'X-Custom': '1' }} }});", Verdict.Allowed)
        {
            Status = 200, Body = "PUT ok", Preflights = 1, ActualRequests = 1,
        };
    }
}
