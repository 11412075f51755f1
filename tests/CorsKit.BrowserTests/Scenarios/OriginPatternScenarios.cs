using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>
/// Subdomain, port and regex origins, with real subdomain pages (Chromium resolves every <c>*.localhost</c> name to
/// loopback). Policies: <c>tenants</c> allows <c>http://*.tenants.localhost:{page}</c>, <c>ports</c> allows
/// <c>http://app.localhost:*</c>, <c>previews</c> allows the regex <c>http://pr-[0-9]+\.preview\.localhost:{page}</c>.
/// </summary>
internal static class OriginPatternScenarios
{
    private const string Group = "Origin patterns";

    private static Scenario Allowed(string name, string page, string policy) =>
        new(Group, name, page, $"return send(API + '/{policy}/data');", Verdict.Allowed)
        {
            Status = 200, Body = "GET ok",
        };

    private static Scenario Refused(string name, string page, string policy) =>
        new(Group, name, page, $"return send(API + '/{policy}/data');", Verdict.Blocked)
        {
            Console = Says.NoAllowOrigin, Reason = CorsKitReason.OriginNotAllowed, ActualRequests = 1,
        };

    public static IEnumerable<Scenario> All()
    {
        yield return Allowed("Subdomain pattern allows a subdomain", "http://acme.tenants.localhost:{page}", "tenants");
        yield return Allowed("Subdomain pattern allows a nested subdomain", "http://eu.acme.tenants.localhost:{page}", "tenants");
        yield return Refused("Subdomain pattern refuses the bare domain", "http://tenants.localhost:{page}", "tenants");
        yield return Refused("Subdomain pattern refuses a look-alike host ending in the same letters", "http://eviltenants.localhost:{page}", "tenants");
        yield return Refused("Subdomain pattern refuses a host that only contains the domain", "http://acme.tenants.localhost.evil.localhost:{page}", "tenants");
        yield return Refused("Subdomain pattern with a port refuses the same host on another port", "http://acme.tenants.localhost:{page2}", "tenants");
        yield return Allowed("Port pattern allows the host on another port", "http://app.localhost:{page2}", "ports");
        yield return Refused("Port pattern refuses a look-alike host", "http://xapp.localhost:{page2}", "ports");
        yield return Allowed("Regex allows a matching origin", "http://pr-42.preview.localhost:{page}", "previews");
        yield return Refused("Regex with escaped dots refuses a host where a dot became a letter", "http://pr-42xpreview.localhost:{page}", "previews");
        yield return Refused("Regex is anchored: a longer host is refused", "http://pr-42.preview.localhost.evil.localhost:{page}", "previews");
    }
}
