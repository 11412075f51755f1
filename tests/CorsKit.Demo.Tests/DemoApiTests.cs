using System.Net;

namespace CorsKit.Demo.Tests;

/// <summary>
/// Smoke tests of the demo's API pipeline (routing, CorsKit, authentication, authorization, MVC) with the policies of
/// its appsettings.json: what the demo page shows in a browser, checked over HTTP.
/// </summary>
public sealed class DemoApiTests : IAsyncLifetime
{
    private DemoApi _api = null!;

    public async Task InitializeAsync() => _api = await DemoApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Authenticated_put_preflight_is_answered_without_credentials_and_the_put_then_succeeds()
    {
        using var preflight = await _api.PreflightAsync("/api/items/1", DemoApi.AllowedPage, "PUT", "authorization, content-type");

        preflight.StatusCode.Should().Be(HttpStatusCode.NoContent);
        preflight.Header("Access-Control-Allow-Origin").Should().Be(DemoApi.AllowedPage);
        preflight.Header("Access-Control-Allow-Credentials").Should().Be("true");
        preflight.Header("Access-Control-Allow-Methods").Should().Contain("PUT");
        preflight.Header("Access-Control-Allow-Headers").Should().Contain("authorization");

        var cookie = await LogInAsync();
        using var put = await _api.SendAsync(HttpMethod.Put, "/api/items/1", """{"name":"renamed"}""",
            ("Origin", DemoApi.AllowedPage), ("Authorization", "Bearer demo"), ("Cookie", cookie));

        put.StatusCode.Should().Be(HttpStatusCode.OK);
        put.Header("Access-Control-Allow-Origin").Should().Be(DemoApi.AllowedPage);
        put.Header("Access-Control-Allow-Credentials").Should().Be("true");
        (await put.Content.ReadAsStringAsync()).Should().Contain("renamed").And.Contain("demo-user");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    public async Task Put_without_a_valid_token_is_a_401_the_allowed_page_can_read(string? authorization)
    {
        var cookie = await LogInAsync();
        (string, string)[] headers = authorization is null
            ? [("Origin", DemoApi.AllowedPage), ("Cookie", cookie)]
            : [("Origin", DemoApi.AllowedPage), ("Cookie", cookie), ("Authorization", authorization)];

        using var put = await _api.SendAsync(HttpMethod.Put, "/api/items/1", """{"name":"renamed"}""", headers);

        put.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        put.Header("Access-Control-Allow-Origin").Should().Be(DemoApi.AllowedPage);
        put.Header("Access-Control-Allow-Credentials").Should().Be("true");
        (await put.Content.ReadAsStringAsync()).Should().Contain("Bearer demo");
    }

    [Fact]
    public async Task Put_preflight_from_the_refused_page_is_403_with_the_debug_reason()
    {
        using var preflight = await _api.PreflightAsync("/api/items/1", DemoApi.RefusedPage, "PUT", "authorization, content-type");

        preflight.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        preflight.Header("Access-Control-Allow-Origin").Should().BeNull();
        preflight.Header("X-CorsKit-Reason").Should().Contain(DemoApi.RefusedPage).And.Contain("'frontend'");
    }

    [Fact]
    public async Task Reports_controller_exposes_its_own_header_and_not_the_default_policys()
    {
        using var response = await _api.SendAsync(HttpMethod.Get, "/api/reports", json: null, ("Origin", DemoApi.AllowedPage));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Header("Access-Control-Allow-Origin").Should().Be(DemoApi.AllowedPage);
        response.Header("X-Report-Id").Should().NotBeNull();
        response.Header("X-Total-Count").Should().NotBeNull("the controller sends it, so hiding it is the policy's doing");
        response.Header("Access-Control-Expose-Headers").Should().ContainEquivalentOf("X-Report-Id")
            .And.NotContainEquivalentOf("X-Total-Count");
        response.Header("Access-Control-Allow-Credentials").Should().BeNull("'reports' does not allow credentials");
    }

    [Fact]
    public async Task Reports_post_action_uses_its_own_policy_which_allows_the_json_preflight()
    {
        using var preflight = await _api.PreflightAsync("/api/reports", DemoApi.AllowedPage, "POST", "content-type");
        using var post = await _api.SendAsync(HttpMethod.Post, "/api/reports", """{"title":"weekly"}""", ("Origin", DemoApi.AllowedPage));

        preflight.StatusCode.Should().Be(HttpStatusCode.NoContent);
        preflight.Header("Access-Control-Allow-Headers").Should().Contain("content-type");
        post.StatusCode.Should().Be(HttpStatusCode.Created);
        post.Header("Access-Control-Allow-Origin").Should().Be(DemoApi.AllowedPage);
        post.Header("Access-Control-Expose-Headers").Should().ContainEquivalentOf("X-Total-Count", "the action's policy is 'frontend'");
    }

    [Fact]
    public async Task Admin_endpoint_refuses_the_allowed_page_that_the_default_policy_allows()
    {
        using var admin = await _api.PreflightAsync("/api/admin/cache", DemoApi.AllowedPage, "DELETE", "authorization");
        using var items = await _api.PreflightAsync("/api/items/1", DemoApi.AllowedPage, "DELETE", "authorization");

        admin.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        admin.Header("Access-Control-Allow-Origin").Should().BeNull();
        admin.Header("X-CorsKit-Reason").Should().Contain(DemoApi.AllowedPage).And.Contain("'admin'");
        items.StatusCode.Should().Be(HttpStatusCode.NoContent, "the same request to an endpoint on the default policy is allowed");
    }

    [Fact]
    public async Task Admin_endpoint_allows_the_admin_console_and_still_requires_the_token()
    {
        using var preflight = await _api.PreflightAsync("/api/admin/cache", DemoApi.AdminConsole, "DELETE", "authorization");
        using var anonymous = await _api.SendAsync(HttpMethod.Delete, "/api/admin/cache", json: null, ("Origin", DemoApi.AdminConsole));
        using var signedIn = await _api.SendAsync(HttpMethod.Delete, "/api/admin/cache", json: null,
            ("Origin", DemoApi.AdminConsole), ("Authorization", "Bearer demo"));

        preflight.StatusCode.Should().Be(HttpStatusCode.NoContent);
        preflight.Header("Access-Control-Allow-Origin").Should().Be(DemoApi.AdminConsole);
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        anonymous.Header("Access-Control-Allow-Origin").Should().Be(DemoApi.AdminConsole);
        signedIn.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Internal_endpoint_runs_but_gets_no_cors_headers_and_its_preflight_is_refused()
    {
        using var get = await _api.SendAsync(HttpMethod.Get, "/api/internal", json: null, ("Origin", DemoApi.AllowedPage));
        using var preflight = await _api.PreflightAsync("/api/internal", DemoApi.AllowedPage, "GET", "authorization");

        get.StatusCode.Should().Be(HttpStatusCode.OK);
        get.Header("Access-Control-Allow-Origin").Should().BeNull();
        preflight.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        preflight.Header("Access-Control-Allow-Origin").Should().BeNull();
        preflight.Header("X-CorsKit-Reason").Should().Contain("disabled");
    }

    [Fact]
    public async Task Request_log_records_what_a_refused_page_cannot_read()
    {
        using var get = await _api.SendAsync(HttpMethod.Get, "/api/hello", json: null, ("Origin", DemoApi.RefusedPage));
        using var preflight = await _api.PreflightAsync("/api/items/1", DemoApi.AllowedPage, "PUT", "authorization");

        get.Header("Access-Control-Allow-Origin").Should().BeNull();
        var entries = _api.Log.Snapshot();
        var hello = entries.Single(e => e.Path == "/api/hello");
        hello.Origin.Should().Be(DemoApi.RefusedPage);
        hello.Status.Should().Be(200);
        hello.Reason.Should().Be(get.Header("X-CorsKit-Reason")).And.NotBeNull();
        var options = entries.Single(e => e.Method == "OPTIONS");
        options.Credentials.Should().BeNull("a preflight carries no credentials");
        options.AllowOrigin.Should().Be(DemoApi.AllowedPage);
    }

    private async Task<string> LogInAsync()
    {
        using var login = await _api.SendAsync(HttpMethod.Post, "/api/login", json: null, ("Origin", DemoApi.AllowedPage));
        login.StatusCode.Should().Be(HttpStatusCode.OK);
        var setCookie = login.Headers.GetValues("Set-Cookie").Single();
        return setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }
}

/// <summary>The demo with the allowed page moved by --allowed-port: every policy meant for it follows.</summary>
public sealed class MovedAllowedPageTests
{
    private const string MovedPage = "http://127.0.0.1:5201";

    [Fact]
    public async Task Frontend_and_reports_allow_the_moved_page_and_admin_still_refuses_it()
    {
        await using var api = await DemoApi.StartAsync(DemoPorts.Defaults with { Allowed = 5201 });

        using var hello = await api.SendAsync(HttpMethod.Get, "/api/hello", json: null, ("Origin", MovedPage));
        using var reports = await api.SendAsync(HttpMethod.Get, "/api/reports", json: null, ("Origin", MovedPage));
        using var configured = await api.SendAsync(HttpMethod.Get, "/api/reports", json: null, ("Origin", DemoApi.AllowedPage));
        using var admin = await api.PreflightAsync("/api/admin/cache", MovedPage, "DELETE");

        hello.Header("Access-Control-Allow-Origin").Should().Be(MovedPage);
        reports.Header("Access-Control-Allow-Origin").Should().Be(MovedPage);
        configured.Header("Access-Control-Allow-Origin").Should().Be(DemoApi.AllowedPage, "the configured origin stays allowed");
        admin.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public void Refused_page_on_a_configured_origin_stops_the_demo_with_one_clear_line()
    {
        var build = () => ApiApp.Build([], DemoPorts.Defaults with { Allowed = 5201, Refused = 5101 });

        build.Should().Throw<DemoStartupException>().WithMessage("*http://127.0.0.1:5101*--refused-port*");
    }
}
