using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>
/// A shared cache in front of the API (<see cref="CachedApiServer"/>: UseResponseCaching and UseOutputCache before
/// UseCorsKit). Before the browser's request, other origins' requests fill the cache: a refused origin first, then an
/// allowed one, then a second allowed one. Each browser must then read, or be refused, exactly as without the cache;
/// when its own origin's answer was cached, script reads it from the cache (an Age header), with its own origin.
/// </summary>
internal static class SharedCacheScenarios
{
    private const string Group = "Shared cache in front";
    private const string SecondApp = "http://app.localhost:{page2}";

    /// <summary>Script reads the response and says whether it came from the cache (the cache adds Age; the app never does).</summary>
    private static string Script(string path) =>
        $"const r = await send('http://api.localhost:{{cached}}{path}'); "
        + "if (r.ok) r.body += r.headers.age === undefined ? ' (from the app)' : ' (from the cache)'; return r;";

    private static Task Prime(PortNames ports, string path) => CachedApiServer.PrimeAsync(ports, path, Pages.Evil, Pages.App, SecondApp);

    private static IEnumerable<Scenario> For(string cache, string path)
    {
        yield return new(Group, $"{cache}: the allowed origin reads its own cached answer, cached after a refused origin's", Pages.App,
            Script(path), Verdict.Allowed)
        {
            Status = 200, Body = "cached GET ok (from the cache)", Preflights = 0, ActualRequests = 1, ReachesCorsKit = false,
            Before = ports => Prime(ports, path),
            Note = "The cache holds one answer per Origin (CorsKit's Vary: Origin, and its key in the output cache).",
        };
        yield return new(Group, $"{cache}: a second allowed origin reads its own cached answer, not the first one's", SecondApp,
            Script(path), Verdict.Allowed)
        {
            Status = 200, Body = "cached GET ok (from the cache)", Preflights = 0, ActualRequests = 1, ReachesCorsKit = false,
            Before = ports => Prime(ports, path),
        };
        yield return new(Group, $"{cache}: the refused origin is refused from the cache, as without it", Pages.Evil,
            Script(path), Verdict.Blocked)
        {
            Console = Says.NoAllowOrigin, Preflights = 0, ActualRequests = 1, ReachesCorsKit = false,
            Before = ports => Prime(ports, path),
        };
    }

    /// <summary>
    /// nginx's proxy_cache in front of the app, as a CDN: when it serves from its cache nothing reaches the app, so
    /// no request arrives and CorsKit decides nothing; the answer is the one the app gave the same origin.
    /// </summary>
    private static IEnumerable<Scenario> ThroughCdn()
    {
        const string path = "/response-cache/data";
        const string script = "return send('http://api.localhost:{cdn}" + path + "');";
        Task Prime(PortNames ports) => CachedApiServer.PrimeViaAsync(ports, "cdn", path, Pages.Evil, Pages.App, SecondApp);
        yield return new(Group, "nginx proxy_cache: the allowed origin reads its own answer from the CDN's cache", Pages.App, script, Verdict.Allowed)
        {
            Status = 200, Body = "cached GET ok", Preflights = 0, ActualRequests = 0, ReachesCorsKit = false, Before = Prime,
            Note = "nginx keeps one variant per value of the headers in Vary (CorsKit's Vary: Origin), like ASP.NET Core's caches.",
        };
        yield return new(Group, "nginx proxy_cache: a second allowed origin reads its own answer from the CDN's cache", SecondApp, script, Verdict.Allowed)
        {
            Status = 200, Body = "cached GET ok", Preflights = 0, ActualRequests = 0, ReachesCorsKit = false, Before = Prime,
        };
        yield return new(Group, "nginx proxy_cache: the refused origin is refused from the CDN's cache", Pages.Evil, script, Verdict.Blocked)
        {
            Console = Says.NoAllowOrigin, Preflights = 0, ActualRequests = 0, ReachesCorsKit = false, Before = Prime,
        };
    }

    public static IEnumerable<Scenario> All() =>
        For("UseResponseCaching", "/response-cache/data").Concat(For("UseOutputCache with CacheOutput", "/output-cache/data")).Concat(ThroughCdn());
}
