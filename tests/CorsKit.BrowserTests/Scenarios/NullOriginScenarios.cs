using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>
/// Requests whose Origin is <c>null</c>: after a cross-origin redirect, and from a sandboxed frame. CorsKit never
/// allows <c>null</c>; only an any-origin policy's <c>*</c> serves it.
/// </summary>
internal static class NullOriginScenarios
{
    private const string Group = "Origin null";

    private static void SecondHopCameFromNull(IReadOnlyList<ArrivedRequest> requests)
    {
        requests.Should().HaveCount(2);
        requests[0].Should().Match<ArrivedRequest>(r => r.Host == "api.localhost:{api}" && r.Origin == Pages.App);
        requests[1].Should().Match<ArrivedRequest>(r => r.Host == "127.0.0.1:{api}" && r.Origin == "null");
    }

    public static IEnumerable<Scenario> All()
    {
        yield return new(Group, "A cross-origin redirect turns the Origin into null, which CorsKit refuses", Pages.App,
            "return send(API + '/strict/redirect/data');", Verdict.Blocked)
        {
            Console = Says.Redirected, Reason = CorsKitReason.OriginNull, Server = SecondHopCameFromNull,
            Note = "The first hop (api.localhost) allows the page; the browser then sends Origin: null to 127.0.0.1.",
        };
        yield return new(Group, "The same redirect to an any-origin endpoint is readable", Pages.App,
            "return send(API + '/public/redirect/data');", Verdict.Allowed)
        {
            Status = 200, Body = "GET ok", Server = SecondHopCameFromNull,
        };
        yield return new(Group, "GET from a sandboxed frame (Origin: null) is blocked", Pages.App,
            "return inSandbox(\"return send(API + '/strict/data');\");", Verdict.Blocked)
        {
            Console = Says.FromNullOrigin, Reason = CorsKitReason.OriginNull, Preflights = 0, ActualRequests = 1,
        };
    }
}
