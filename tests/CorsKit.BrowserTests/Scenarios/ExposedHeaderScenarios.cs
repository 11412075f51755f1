using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>Which response headers script may read. Every /data response carries X-Total-Count and X-Secret.</summary>
internal static class ExposedHeaderScenarios
{
    private const string Group = "Exposed headers";

    public static IEnumerable<Scenario> All()
    {
        yield return new(Group, "Only listed response headers are readable", Pages.App,
            "return send(API + '/strict/data');", Verdict.Allowed)
        {
            Status = 200, Body = "GET ok",
            Readable = new Dictionary<string, string> { ["x-total-count"] = "42", ["content-type"] = "text/plain; charset=utf-8" },
            Hidden = ["x-secret"],
            Note = "Content-Type is CORS-safelisted and always readable; X-Secret is not listed.",
        };
        yield return new(Group, "Only listed response headers are readable through XMLHttpRequest", Pages.App,
            "return sendXhr(API + '/strict/data');", Verdict.Allowed)
        {
            Status = 200, Body = "GET ok",
            Readable = new Dictionary<string, string> { ["x-total-count"] = "42" },
            Hidden = ["x-secret"],
        };
        yield return new(Group, "Expose '*' makes every header readable without credentials", Pages.App,
            "return send(API + '/public/data');", Verdict.Allowed)
        {
            Status = 200, Body = "GET ok",
            Readable = new Dictionary<string, string> { ["x-total-count"] = "42", ["x-secret"] = "s3cr3t" },
        };
        yield return new(Group, "A listed header is readable on a credentialed response", Pages.App,
            "return send(SAME_SITE_API + '/creds/data', { credentials: 'include' });", Verdict.Allowed)
        {
            Status = 200, Body = "GET ok",
            Readable = new Dictionary<string, string> { ["x-total-count"] = "42" },
            Hidden = ["x-secret"],
        };
    }
}
