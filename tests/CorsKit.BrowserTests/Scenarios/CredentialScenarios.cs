using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>
/// Cookies across origins. Every <c>*.localhost</c> name is its own site in Chromium, and a browser context blocks
/// third-party cookies, so these pages talk to the API as <c>SAME_SITE_API</c> (<c>http://app.localhost:{api}</c>):
/// same site as the page, another origin because of the port. One scenario shows what happens cross-site.
/// </summary>
internal static class CredentialScenarios
{
    private const string Group = "Credentials";

    private const string Login = "await send(SAME_SITE_API + '/creds/login', { method: 'POST', credentials: 'include' }); ";

    private static void CookieReached(IReadOnlyList<ArrivedRequest> requests, string pathStart) =>
        requests.Should().Contain(r => r.PathAndQuery.StartsWith(pathStart, StringComparison.Ordinal) && !r.IsPreflight)
            .Which.Cookie.Should().Be(ApiServer.SessionCookie);

    public static IEnumerable<Scenario> All()
    {
        yield return new(Group, "Credentialed GET with an exact origin sends the cookie and is readable", Pages.App,
            Login + "return send(SAME_SITE_API + '/creds/me', { credentials: 'include' });", Verdict.Allowed)
        {
            Status = 200, Body = "hello s1", Server = requests => CookieReached(requests, "/creds/me"),
        };
        yield return new(Group, "Set-Cookie of a credentialed response is stored but never readable", Pages.App,
            "const login = await send(SAME_SITE_API + '/creds/login', { method: 'POST', credentials: 'include' }); "
            + "await send(SAME_SITE_API + '/creds/me', { credentials: 'include' }); return login;", Verdict.Allowed)
        {
            Status = 200, Body = "logged in", Hidden = ["set-cookie"], Server = requests => CookieReached(requests, "/creds/me"),
        };
        yield return new(Group, "Credentialed PUT: the preflight carries no cookie, the PUT does", Pages.App,
            Login + "return send(SAME_SITE_API + '/creds/data', { method: 'PUT', credentials: 'include', headers: { 'X-Custom': '1' } });",
            Verdict.Allowed)
        {
            Status = 200, Body = "PUT ok", Preflights = 1,
            Server = requests =>
            {
                requests.Should().ContainSingle(r => r.IsPreflight).Which.Cookie.Should().BeNull();
                CookieReached(requests, "/creds/data");
            },
        };
        yield return new(Group, "Without the credentials flag no cookie is sent, and the 401 is readable", Pages.App,
            Login + "return send(SAME_SITE_API + '/creds/me');", Verdict.Allowed)
        {
            Status = 401, Body = "anonymous",
            Server = requests => requests.Should().ContainSingle(r => r.PathAndQuery == "/creds/me").Which.Cookie.Should().BeNull(),
            Note = "fetch defaults to credentials: 'same-origin', so a cross-origin call sends no cookie unless asked.",
        };
        yield return new(Group, "Credentials against a policy without AllowCredentials are blocked", Pages.App,
            "return send(SAME_SITE_API + '/strict/data', { credentials: 'include' });", Verdict.Blocked)
        {
            Console = Says.CredentialsNotTrue, Reason = CorsKitReason.Allowed, ActualRequests = 1,
            Note = "CorsKit allowed the origin; the browser needs Access-Control-Allow-Credentials: true as well.",
        };
        yield return new(Group, "Credentials against an any-origin policy are blocked", Pages.App,
            "return send(SAME_SITE_API + '/public/data', { credentials: 'include' });", Verdict.Blocked)
        {
            Console = Says.WildcardWithCredentials, Reason = CorsKitReason.Allowed, ActualRequests = 1,
            Note = "CorsKit refuses to build '*' together with credentials, so such a policy cannot give credentialed access.",
        };
        yield return new(Group, "Credentials with any method and any header: the echoed preflight satisfies the browser", Pages.App,
            "await send(SAME_SITE_API + '/creds-any/login', { method: 'POST', credentials: 'include' }); "
            + "return send(SAME_SITE_API + '/creds-any/data', { method: 'PUT', credentials: 'include', headers: { 'X-Anything': '1' } });",
            Verdict.Allowed)
        {
            Status = 200, Body = "PUT ok", Preflights = 1, Server = requests => CookieReached(requests, "/creds-any/data"),
            Note = "With credentials '*' would name a method or header literally called '*', so CorsKit echoes the request.",
        };
        yield return new(Group, "XMLHttpRequest withCredentials sends the cookie and is readable", Pages.App,
            Login + "return sendXhr(SAME_SITE_API + '/creds/me', { withCredentials: true });", Verdict.Allowed)
        {
            Status = 200, Body = "hello s1", Server = requests => CookieReached(requests, "/creds/me"),
        };
        yield return new(Group, "A cross-site API passes CORS, but the browser keeps its cookies from it", Pages.App,
            "await send(API + '/creds/login', { method: 'POST', credentials: 'include' }); "
            + "return send(API + '/creds/me', { credentials: 'include' });", Verdict.Allowed)
        {
            Status = 401, Body = "anonymous",
            Server = requests => requests.Should().OnlyContain(r => r.Cookie == null),
            Note = "api.localhost is another site than app.localhost. Chromium's fresh context and WebKit block the third-party cookie; Firefox rejects "
                + "the SameSite=Lax cookie set in a cross-site context (its console says so). Not a CORS failure.",
        };
    }
}
