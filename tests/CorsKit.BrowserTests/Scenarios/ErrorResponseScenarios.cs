using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>Error responses keep their CORS headers, so the front end can read them.</summary>
internal static class ErrorResponseScenarios
{
    private const string Group = "Error responses";

    public static IEnumerable<Scenario> All()
    {
        yield return new(Group, "A 500 from a throwing endpoint is readable from the allowed origin", Pages.App,
            "return send(API + '/strict/throw');", Verdict.Allowed)
        {
            Status = 500, Body = "server error",
            Note = "UseExceptionHandler clears the response; CorsKit writes its headers when the response starts, after that.",
        };
        yield return new(Group, "A 401 is readable from the allowed origin", Pages.App,
            "return send(API + '/strict/me');", Verdict.Allowed)
        {
            Status = 401, Body = "anonymous",
        };
        yield return new(Group, "A 404 is readable from the allowed origin", Pages.App,
            "return send(API + '/strict/no-such-endpoint');", Verdict.Allowed)
        {
            Status = 404, Body = string.Empty,
        };
        yield return new(Group, "A 500 is not readable from a non-allowed origin", Pages.Evil,
            "return send(API + '/strict/throw');", Verdict.Blocked)
        {
            Console = Says.NoAllowOrigin, Reason = CorsKitReason.OriginNotAllowed, ActualRequests = 1,
        };
    }
}
