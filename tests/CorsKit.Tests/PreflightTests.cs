using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Tests;

public sealed class PreflightTests
{
    private const string Origin = "https://app.example.com";

    private static Task<TestApp> Start(Action<CorsKitPolicyBuilder> policy) =>
        TestApp.StartAsync(o => o.AddDefaultPolicy(p => policy(p.AllowOrigins(Origin))));

    [Fact]
    public async Task Allowed_preflight_is_answered_204_by_CorsKit_and_never_reaches_the_app()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowRequestHeaders("content-type", "x-trace"));

        var response = await app.PreflightAsync(Origin, "PUT", "content-type,x-trace");

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Origin").Should().Be(Origin);
        response.Single("Access-Control-Allow-Methods").Should().Be("PUT");
        response.Single("Access-Control-Allow-Headers").Should().Be("content-type, x-trace");
        response.Header("Access-Control-Allow-Credentials").Should().BeEmpty();
        response.Header("Access-Control-Max-Age").Should().BeEmpty();
        response.Header("Access-Control-Expose-Headers").Should().BeEmpty();
        (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
        app.EndpointHits.Should().Be(0);
    }

    [Fact]
    public async Task Preflight_response_varies_on_origin_method_and_headers()
    {
        await using var app = await Start(p => p.AllowMethods("PUT"));

        var allowed = await app.PreflightAsync(Origin, "PUT");
        var refused = await app.PreflightAsync("https://evil.example", "PUT");

        foreach (var response in new[] { allowed, refused })
        {
            response.VaryTokens().Should().BeEquivalentTo("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
        }
    }

    [Fact]
    public async Task Credentials_policy_sends_allow_credentials_true_and_the_exact_origin()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowCredentials());

        var response = await app.PreflightAsync(Origin, "PUT");

        response.Single("Access-Control-Allow-Credentials").Should().Be("true");
        response.Single("Access-Control-Allow-Origin").Should().Be(Origin);
    }

    [Fact]
    public async Task Max_age_is_sent_when_configured()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").SetPreflightMaxAge(TimeSpan.FromMinutes(10)));

        (await app.PreflightAsync(Origin, "PUT")).Single("Access-Control-Max-Age").Should().Be("600");
    }

    [Fact]
    public async Task Zero_max_age_is_sent_as_zero()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").SetPreflightMaxAge(TimeSpan.Zero));

        (await app.PreflightAsync(Origin, "PUT")).Single("Access-Control-Max-Age").Should().Be("0");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("POST")]
    public async Task Safelisted_methods_are_always_allowed(string method)
    {
        await using var app = await Start(p => p.AllowRequestHeaders("content-type"));

        var response = await app.PreflightAsync(Origin, method, "content-type");

        ((int)response.StatusCode).Should().Be(204);
        response.Header("Access-Control-Allow-Methods").Should().BeEmpty("no method beyond the safelisted ones is configured");
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("patch")]
    [InlineData("put")]
    [InlineData("CONNECT")]
    [InlineData("TRACE")]
    public async Task Method_not_configured_is_refused_with_403_and_no_cors_headers(string method)
    {
        await using var app = await Start(p => p.AllowMethods("PUT"));

        var response = await app.PreflightAsync(Origin, method);

        ((int)response.StatusCode).Should().Be(403);
        response.ShouldHaveNoCorsHeaders();
        app.EndpointHits.Should().Be(0);
    }

    [Fact]
    public async Task Method_case_is_significant_for_methods_browsers_do_not_normalise()
    {
        await using var app = await Start(p => p.AllowMethods("patch"));

        ((int)(await app.PreflightAsync(Origin, "patch")).StatusCode).Should().Be(204);
        ((int)(await app.PreflightAsync(Origin, "PATCH")).StatusCode).Should().Be(403);
    }

    [Fact]
    public async Task Any_method_without_credentials_answers_a_wildcard()
    {
        await using var app = await Start(p => p.AllowAnyMethod());

        var response = await app.PreflightAsync(Origin, "PROPFIND");

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Methods").Should().Be("*");
    }

    [Fact]
    public async Task Any_method_with_credentials_echoes_the_requested_method_because_browsers_read_a_star_literally()
    {
        await using var app = await Start(p => p.AllowAnyMethod().AllowCredentials());

        var response = await app.PreflightAsync(Origin, "PROPFIND");

        response.Single("Access-Control-Allow-Methods").Should().Be("PROPFIND");
    }

    [Fact]
    public async Task Any_method_still_refuses_methods_browsers_never_send()
    {
        await using var app = await Start(p => p.AllowAnyMethod());

        ((int)(await app.PreflightAsync(Origin, "TRACE")).StatusCode).Should().Be(403);
    }

    [Theory]
    [InlineData("x-other")]
    [InlineData("content-type,x-other")]
    [InlineData("authorization")]
    public async Task A_request_header_not_configured_refuses_the_preflight(string requested)
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowRequestHeaders("content-type"));

        var response = await app.PreflightAsync(Origin, "PUT", requested);

        ((int)response.StatusCode).Should().Be(403);
        response.ShouldHaveNoCorsHeaders();
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("x-trace, content-type")]
    [InlineData("content-type,content-type")]
    [InlineData(" content-type ,\tx-trace ")]
    [InlineData("content-type,,x-trace")]
    public async Task Request_headers_are_matched_case_insensitively_in_any_order_with_whitespace(string requested)
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowRequestHeaders("content-type", "X-Trace"));

        var response = await app.PreflightAsync(Origin, "PUT", requested);

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Headers").Should().Be("content-type, x-trace");
    }

    [Fact]
    public async Task Request_headers_split_over_several_lines_are_all_checked()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowRequestHeaders("content-type", "x-trace"));

        var allowed = await app.SendAsync(HttpMethod.Options, "/", ("Origin", Origin), ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "content-type"), ("Access-Control-Request-Headers", "x-trace"));
        var refused = await app.SendAsync(HttpMethod.Options, "/", ("Origin", Origin), ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "content-type"), ("Access-Control-Request-Headers", "x-evil"));

        ((int)allowed.StatusCode).Should().Be(204);
        ((int)refused.StatusCode).Should().Be(403);
    }

    [Fact]
    public async Task Any_header_without_credentials_answers_a_wildcard_but_never_covers_authorization()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowAnyRequestHeader());

        var custom = await app.PreflightAsync(Origin, "PUT", "x-anything,content-type");
        var auth = await app.PreflightAsync(Origin, "PUT", "authorization");

        ((int)custom.StatusCode).Should().Be(204);
        custom.Single("Access-Control-Allow-Headers").Should().Be("*");
        ((int)auth.StatusCode).Should().Be(403);
    }

    [Fact]
    public async Task Any_header_plus_authorization_by_name_allows_authorization()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowAnyRequestHeader().AllowRequestHeaders("Authorization"));

        var response = await app.PreflightAsync(Origin, "PUT", "authorization,x-anything");

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Headers").Should().Be("*, authorization");
    }

    [Fact]
    public async Task Any_header_with_credentials_echoes_the_requested_headers()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowAnyRequestHeader().AllowCredentials());

        var response = await app.PreflightAsync(Origin, "PUT", "x-a,x-b");

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Headers").Should().Be("x-a,x-b");
    }

    [Fact]
    public async Task No_allow_headers_is_sent_when_none_were_requested()
    {
        await using var app = await Start(p => p.AllowMethods("PUT").AllowRequestHeaders("x-a"));

        (await app.PreflightAsync(Origin, "PUT")).Header("Access-Control-Allow-Headers").Should().BeEmpty();
        (await app.PreflightAsync(Origin, "PUT", "")).Header("Access-Control-Allow-Headers").Should().BeEmpty();
    }

    [Fact]
    public async Task Any_origin_policy_answers_a_star_and_no_credentials()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowMethods("PUT")));

        var response = await app.PreflightAsync("https://whoever.example", "PUT");

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Origin").Should().Be("*");
        response.Header("Access-Control-Allow-Credentials").Should().BeEmpty();
    }

    [Fact]
    public async Task Refused_origin_gets_403_without_any_allow_header()
    {
        await using var app = await Start(p => p.AllowMethods("PUT"));

        var response = await app.PreflightAsync("https://evil.example", "PUT");

        ((int)response.StatusCode).Should().Be(403);
        response.ShouldHaveNoCorsHeaders();
        app.EndpointHits.Should().Be(0);
    }

    [Fact]
    public async Task Options_without_request_method_is_an_ordinary_request_for_the_app()
    {
        await using var app = await Start(p => p.AllowMethods("PUT"));

        var response = await app.SendAsync(HttpMethod.Options, "/", ("Origin", Origin));

        ((int)response.StatusCode).Should().Be(200);
        (await response.Content.ReadAsStringAsync()).Should().Be("hello");
        app.EndpointHits.Should().Be(1);
        response.Single("Access-Control-Allow-Origin").Should().Be(Origin, "an OPTIONS with Origin is an actual CORS request");
    }

    [Fact]
    public async Task Options_without_origin_is_an_ordinary_request_for_the_app()
    {
        await using var app = await Start(p => p.AllowMethods("PUT"));

        var response = await app.SendAsync(HttpMethod.Options, "/", ("Access-Control-Request-Method", "PUT"));

        ((int)response.StatusCode).Should().Be(200);
        app.EndpointHits.Should().Be(1);
        response.ShouldHaveNoCorsHeaders();
    }

    [Fact]
    public async Task Existing_vary_on_a_preflight_is_kept_and_not_duplicated()
    {
        await using var app = await TestApp.StartAsync(
            s => s.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins(Origin).AllowMethods("PUT"))),
            beforeCorsKit: a => a.Use((context, next) =>
            {
                context.Response.Headers.Vary = "Accept-Encoding, origin";
                return next(context);
            }));

        var response = await app.PreflightAsync(Origin, "PUT");

        response.VaryTokens().Should().BeEquivalentTo("Accept-Encoding", "origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
    }
}
