using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>
/// Scenarios against <see cref="EndpointServer"/>, where CorsKit runs after routing and picks the policy from the
/// endpoint, and authentication runs after CorsKit.
/// </summary>
internal static class EndpointScenarios
{
    private const string Group = "Endpoints";
    private const string EndpointsApi = "'http://api.localhost:{endpoints}";

    public static IEnumerable<Scenario> All()
    {
        yield return new(Group, "RequireCorsKit gives an endpoint its own policy", Pages.App,
            $"return send({EndpointsApi}/orders', {{ method: 'PUT' }});", Verdict.Allowed)
        {
            Status = 200, Body = "PUT orders", Preflights = 1, ActualRequests = 1,
            Note = "The default policy allows no PUT; the endpoint's policy does. The preflight must find the PUT endpoint's policy although routing matched no OPTIONS endpoint.",
        };
        yield return new(Group, "An endpoint without its own policy uses the default policy", Pages.App,
            $"return send({EndpointsApi}/catalog', {{ method: 'PUT' }});", Verdict.Blocked)
        {
            Console = Says.PreflightRefused, Reason = CorsKitReason.MethodNotAllowed, Preflights = 1, ActualRequests = 0,
        };
        yield return new(Group, "[CorsKitPolicy] gives an endpoint its own policy", Pages.App,
            $"return send({EndpointsApi}/attributed', {{ method: 'PUT' }});", Verdict.Allowed)
        {
            Status = 200, Body = "PUT attributed", Preflights = 1, ActualRequests = 1,
        };
        yield return new(Group, "DisableCorsKit: the allowed origin gets no CORS headers", Pages.App,
            $"return send({EndpointsApi}/internal');", Verdict.Blocked)
        {
            Console = Says.NoAllowOrigin, Reason = CorsKitReason.EndpointDisabled, Preflights = 0, ActualRequests = 1,
        };
        yield return new(Group, "[DisableCorsKit]: the allowed origin gets no CORS headers", Pages.App,
            $"return send({EndpointsApi}/internal-attributed');", Verdict.Blocked)
        {
            Console = Says.NoAllowOrigin, Reason = CorsKitReason.EndpointDisabled, Preflights = 0, ActualRequests = 1,
        };
        yield return new(Group, "A preflight to a disabled endpoint is refused", Pages.App,
            $"return send({EndpointsApi}/internal', {{ method: 'PUT' }});", Verdict.Blocked)
        {
            Console = Says.PreflightRefused, Reason = CorsKitReason.EndpointDisabled,
            Preflights = 1, ActualRequests = 0,
        };
        yield return new(Group, "A preflight to an authenticated endpoint succeeds, then the authenticated request is readable", Pages.App,
            $"return send({EndpointsApi}/profile', {{ headers: {{ 'Authorization': 'Bearer good-token' }} }});", Verdict.Allowed)
        {
            Status = 200, Body = "profile of alice", Preflights = 1, ActualRequests = 1,
            Server = requests =>
            {
                requests.Should().ContainSingle(r => r.IsPreflight).Which.Authorization.Should().BeNull("a preflight never carries credentials");
                requests.Should().ContainSingle(r => !r.IsPreflight).Which.Authorization.Should().Be("Bearer good-token");
            },
            Note = "Authentication would answer the credential-less preflight 401; CorsKit answers it first.",
        };
        yield return new(Group, "An authenticated endpoint's 401 for a wrong token is readable", Pages.App,
            $"return send({EndpointsApi}/profile', {{ headers: {{ 'Authorization': 'Bearer wrong-token' }} }});", Verdict.Allowed)
        {
            Status = 401, Preflights = 1, ActualRequests = 1,
        };
        yield return new(Group, "An authenticated endpoint's 401 without a token is readable", Pages.App,
            $"return send({EndpointsApi}/profile');", Verdict.Allowed)
        {
            Status = 401, Preflights = 0, ActualRequests = 1,
        };
        yield return new(Group, "A preflight to an authenticated endpoint with its own policy uses that policy", Pages.App,
            $"return send({EndpointsApi}/admin', {{ method: 'PUT', headers: {{ 'Authorization': 'Bearer good-token' }} }});", Verdict.Allowed)
        {
            Status = 200, Body = "PUT admin by alice", Preflights = 1, ActualRequests = 1,
        };
    }
}
