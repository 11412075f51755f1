using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>
/// Console messages CorsKit never causes, made by layers in front of the app (ApiServer's misbehaving layers: a proxy
/// that adds Access-Control-Allow-Origin, a gateway without CORS behind it, a canonical-host redirect), so that
/// docs/troubleshooting.md quotes the engines' real words for them too.
/// </summary>
internal static class OtherLayerScenarios
{
    private const string Group = "Other layers";

    public static IEnumerable<Scenario> All()
    {
        yield return new(Group, "A proxy that adds Access-Control-Allow-Origin as well as CorsKit: two values are blocked", Pages.App,
            "return send(API + '/proxied/data');", Verdict.Blocked)
        {
            Console = Says.MultipleAllowOrigin, Reason = CorsKitReason.Allowed, Preflights = 0, ActualRequests = 1,
            Note = "CorsKit sets the header once and allowed the origin; the proxy appends its own copy, and browsers accept only one.",
        };
        yield return new(Group, "A gateway adds CORS headers but the app does not answer OPTIONS: the preflight status is not ok", Pages.App,
            "return send(API + '/gateway/orders', { method: 'PUT' });", Verdict.Blocked)
        {
            Console = Says.PreflightNotOk, ReachesCorsKit = false, Preflights = 1, ActualRequests = 0,
            Server = requests => requests.Should().ContainSingle(r => r.IsPreflight).Which.Status.Should().Be(405),
            Note = "No CORS middleware runs for /gateway/: routing answers the preflight 405, and the gateway's Access-Control-Allow-Origin makes Chromium and Firefox look at the status (WebKit looks at it first anyway).",
        };
        yield return new(Group, "A redirect in front of the app: a preflight must not be redirected", Pages.App,
            "return send(API + '/moved/data', { method: 'PUT' });", Verdict.Blocked)
        {
            Console = Says.PreflightRedirect, ReachesCorsKit = false, Preflights = 1, ActualRequests = 0,
            Server = requests => requests.Should().ContainSingle(r => r.IsPreflight).Which.Status.Should().Be(301),
            Note = "A canonical-host redirect (as an http-to-https or www redirect) answers before CorsKit can; the browser does not follow it for a preflight.",
        };
        yield return new(Group, "Hand-written 'Access-Control-Allow-Headers: *' and an Authorization header", Pages.App,
            "return send(API + '/wildcard/data', { headers: { 'Authorization': 'Bearer t0ken' } });", Verdict.Allowed)
        {
            Status = 200, Body = "GET ok", ReachesCorsKit = false, Preflights = 1, ActualRequests = 1,
            Server = requests => requests.Should().Contain(r => !r.IsPreflight && r.Authorization == "Bearer t0ken"),
            Note = "Not CorsKit (which lists Authorization by name, or refuses it): a server that answers '*'. The Fetch Standard says '*' "
                + "never covers Authorization (its one \"CORS non-wildcard request-header name\"); the engines measured here let it through.",
        };
    }
}
