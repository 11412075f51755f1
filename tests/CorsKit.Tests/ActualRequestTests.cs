using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Tests;

public sealed class ActualRequestTests
{
    private const string Origin = "https://app.example.com";

    [Fact]
    public async Task Allowed_origin_gets_allow_origin_credentials_and_exposed_headers()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p
            .AllowOrigins(Origin).AllowCredentials().ExposeHeaders("X-Total-Count", "x-page")));

        var response = await app.GetAsync("/", Origin);

        ((int)response.StatusCode).Should().Be(200);
        (await response.Content.ReadAsStringAsync()).Should().Be("hello");
        response.Single("Access-Control-Allow-Origin").Should().Be(Origin);
        response.Single("Access-Control-Allow-Credentials").Should().Be("true");
        response.Single("Access-Control-Expose-Headers").Should().Be("x-total-count, x-page");
        response.VaryTokens().Should().Equal("Origin");
        response.Header("Access-Control-Allow-Methods").Should().BeEmpty("methods belong to preflights only");
        response.Header("Access-Control-Max-Age").Should().BeEmpty();
    }

    [Fact]
    public async Task Refused_origin_reaches_the_app_and_gets_no_cors_header_but_vary()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins(Origin).AllowCredentials().ExposeHeaders("x-total-count")));

        var response = await app.GetAsync("/", "https://evil.example");

        ((int)response.StatusCode).Should().Be(200);
        app.EndpointHits.Should().Be(1);
        response.ShouldHaveNoCorsHeaders();
        response.VaryTokens().Should().Equal("Origin");
    }

    [Fact]
    public async Task Request_without_origin_gets_vary_origin_and_nothing_else()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins(Origin)));

        var response = await app.GetAsync("/");

        response.ShouldHaveNoCorsHeaders();
        response.VaryTokens().Should().Equal("Origin");
    }

    [Fact]
    public async Task Vary_set_by_the_app_is_appended_to()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins(Origin)));

        var response = await app.GetAsync("/vary", Origin);

        response.VaryTokens().Should().Equal("Accept-Encoding", "Origin");
    }

    [Fact]
    public async Task Vary_origin_set_by_the_app_is_not_duplicated()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins(Origin)));

        var response = await app.GetAsync("/vary-origin", Origin);

        response.VaryTokens().Should().Equal("origin");
    }

    [Fact]
    public async Task Any_origin_without_credentials_sends_a_star_on_every_response_and_no_vary()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().ExposeHeaders("x-total-count")));

        var withOrigin = await app.GetAsync("/", "https://anyone.example");
        var withoutOrigin = await app.GetAsync("/");

        foreach (var response in new[] { withOrigin, withoutOrigin })
        {
            response.Single("Access-Control-Allow-Origin").Should().Be("*");
            response.Single("Access-Control-Expose-Headers").Should().Be("x-total-count");
            response.Header("Access-Control-Allow-Credentials").Should().BeEmpty();
            response.VaryTokens().Should().NotContain("Origin");
        }
    }

    [Fact]
    public async Task Headers_survive_a_response_cleared_by_the_app()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins(Origin).AllowCredentials()));

        var response = await app.GetAsync("/clear", Origin);

        ((int)response.StatusCode).Should().Be(500);
        response.Header("X-Before-Clear").Should().BeEmpty();
        response.Single("Access-Control-Allow-Origin").Should().Be(Origin);
        response.Single("Access-Control-Allow-Credentials").Should().Be("true");
        response.VaryTokens().Should().Contain("Origin");
    }

    [Fact]
    public async Task Headers_survive_an_exception_handled_by_UseExceptionHandler()
    {
        await using var app = await TestApp.StartAsync(
            s => s.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins(Origin))),
            beforeCorsKit: a => a.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = context =>
                {
                    context.Response.StatusCode = 500;
                    return context.Response.WriteAsync("handled");
                },
            }));

        var response = await app.GetAsync("/throw", Origin);

        ((int)response.StatusCode).Should().Be(500);
        (await response.Content.ReadAsStringAsync()).Should().Be("handled");
        response.Single("Access-Control-Allow-Origin").Should().Be(Origin);
    }

    [Fact]
    public async Task Named_policy_in_UseCorsKit_applies_instead_of_the_default()
    {
        await using var app = await TestApp.StartAsync(
            s => s.AddCorsKit(o =>
            {
                o.AddDefaultPolicy(p => p.AllowOrigins("https://default.example"));
                o.AddPolicy("partner", p => p.AllowOrigins("https://partner.example"));
            }),
            useCorsKitPolicy: "partner");

        (await app.GetAsync("/", "https://partner.example")).Single("Access-Control-Allow-Origin").Should().Be("https://partner.example");
        (await app.GetAsync("/", "https://default.example")).Single("Access-Control-Allow-Origin").Should().BeNull();
    }

    [Fact]
    public async Task Without_a_default_policy_UseCorsKit_adds_nothing()
    {
        await using var app = await TestApp.StartAsync(o => o.AddPolicy("only-named", p => p.AllowOrigins(Origin)));

        var actual = await app.GetAsync("/", Origin);
        var preflight = await app.PreflightAsync(Origin, "PUT");

        actual.ShouldHaveNoCorsHeaders();
        actual.Header("Vary").Should().BeEmpty();
        ((int)preflight.StatusCode).Should().Be(200, "with no policy the OPTIONS request goes to the app");
    }
}
