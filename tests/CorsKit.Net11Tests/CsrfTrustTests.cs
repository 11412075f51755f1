using System.Net;
using CorsKit.Net11Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CorsKit.Net11Tests.Infrastructure.Apps;

namespace CorsKit.Net11Tests;

/// <summary>One CorsKit app (<see cref="Apps.CorsKitAsync"/>) on Kestrel, started once for the class.</summary>
public sealed class CorsKitAppFixture : IAsyncLifetime
{
    internal KestrelApp App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await CorsKitAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// On ASP.NET Core 11 the automatic CSRF protection trusts a cross-site form post exactly when the CorsKit policy of its
/// endpoint allows the origin with credentials: form endpoints answer the others with 400.
/// </summary>
[Trait("Runtime", "11")]
public sealed class CsrfTrustTests(CorsKitAppFixture fixture) : IClassFixture<CorsKitAppFixture>
{
    private readonly KestrelApp _app = fixture.App;

    [Theory]
    [InlineData("/comments")]
    [InlineData("/mvc/comments")]
    public async Task Allowed_credentialed_origin_may_post_a_form_cross_site(string path)
    {
        using var response = await _app.PostFormAsync(path, AppOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("saved hello");
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(AppOrigin);
    }

    [Theory]
    [InlineData("/comments")]
    [InlineData("/mvc/comments")]
    public async Task Unlisted_origin_gets_400(string path)
    {
        using var response = await _app.PostFormAsync(path, UnlistedOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("http://app.localhost.evil.localhost:3000")]
    [InlineData("http://xapp.localhost:3000")]
    [InlineData("https://app.localhost:3000")]
    [InlineData("http://app.localhost:30000")]
    [InlineData("http://app.localhost")]
    [InlineData("http://APP.localhost:3000")]
    [InlineData("http://tenants.localhost:3000")]
    [InlineData("http://eu.tenants.localhost.evil.localhost:3000")]
    [InlineData("null")]
    public async Task Look_alike_origins_get_400(string origin)
    {
        using var response = await _app.PostFormAsync("/comments", origin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Origin_pattern_match_is_trusted()
    {
        using var response = await _app.PostFormAsync("/comments", TenantOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Origin_of_a_policy_without_credentials_gets_400()
    {
        using var response = await _app.PostFormAsync("/public/comments", PublicOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(AppOrigin)]
    [InlineData(UnlistedOrigin)]
    public async Task Any_origin_policy_trusts_no_origin(string origin)
    {
        using var response = await _app.PostFormAsync("/open/comments", origin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Disabled_endpoint_trusts_no_origin()
    {
        using var response = await _app.PostFormAsync("/internal/comments", AppOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/comments", "same-origin")]
    [InlineData("/comments", null)]
    [InlineData("/open/comments", "same-origin")]
    [InlineData("/internal/comments", "same-origin")]
    [InlineData("/mvc/comments", "same-origin")]
    public async Task Same_origin_form_posts_are_unaffected(string path, string? secFetchSite)
    {
        using var response = await _app.PostFormAsync(path, _app.OwnOrigin, secFetchSite);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/comments")]
    [InlineData("/internal/comments")]
    [InlineData("/mvc/comments")]
    public async Task Form_posts_without_an_Origin_are_unaffected(string path)
    {
        using var response = await _app.PostFormAsync(path, origin: null, secFetchSite: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/partner/comments", PartnerOrigin, HttpStatusCode.OK)]
    [InlineData("/partner/comments", AppOrigin, HttpStatusCode.BadRequest)]
    [InlineData("/mvc/partner/comments", PartnerOrigin, HttpStatusCode.OK)]
    [InlineData("/mvc/partner/comments", AppOrigin, HttpStatusCode.BadRequest)]
    public async Task Named_endpoint_policy_decides_instead_of_the_default(string path, string origin, HttpStatusCode expected)
    {
        using var response = await _app.PostFormAsync(path, origin);

        response.StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData(InlineOrigin, HttpStatusCode.OK)]
    [InlineData(AppOrigin, HttpStatusCode.BadRequest)]
    public async Task Inline_endpoint_policy_decides_instead_of_the_default(string origin, HttpStatusCode expected)
    {
        using var response = await _app.PostFormAsync("/inline/comments", origin);

        response.StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData(AppOrigin, HttpStatusCode.OK)]
    [InlineData(UnlistedOrigin, HttpStatusCode.BadRequest)]
    public async Task Older_browsers_without_Sec_Fetch_Site_get_the_same_verdict(string origin, HttpStatusCode expected)
    {
        using var response = await _app.PostFormAsync("/comments", origin, secFetchSite: null);

        response.StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData(null, "/comments", AppOrigin)]
    [InlineData(null, "/comments", TenantOrigin)]
    [InlineData(null, "/comments", UnlistedOrigin)]
    [InlineData("partner", "/partner/comments", PartnerOrigin)]
    [InlineData("partner", "/partner/comments", AppOrigin)]
    [InlineData("public", "/public/comments", PublicOrigin)]
    [InlineData("open", "/open/comments", AppOrigin)]
    public async Task The_explain_API_reports_the_verdict_the_runtime_reaches(string? policy, string path, string origin)
    {
        var explainer = _app.App.Services.GetRequiredService<ICorsKitExplainer>();

        var csrf = explainer.Explain(policy, new CorsKitRequestFacts { Origin = origin, Method = "POST" }).Csrf!;
        using var response = await _app.PostFormAsync(path, origin);

        response.StatusCode.Should().Be(csrf.Trusted ? HttpStatusCode.OK : HttpStatusCode.BadRequest, csrf.Message);
    }
}
