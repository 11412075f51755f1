using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Tests;

/// <summary>Debug mode names the reason and lets the browser name the missing method or header; it grants nothing more.</summary>
public sealed class DebugModeTests
{
    private const string App = "https://app.example";

    private static Task<WebApplication> Start(bool debug, bool credentials = false) => Host.StartAsync(
        b => b.Services.AddCorsKit(o =>
        {
            o.DebugMode = debug;
            o.AddDefaultPolicy(p =>
            {
                p.AllowOrigins(App).AllowMethods("PUT").AllowRequestHeaders("content-type");
                if (credentials) p.AllowCredentials();
            });
        }),
        a =>
        {
            a.UseCorsKit();
            a.MapMethods("/", ["GET", "PUT", "DELETE"], () => "ok");
            a.MapGet("/off", () => "off").DisableCorsKit();
        });

    [Fact]
    public async Task Header_refusal_answers_the_allowed_lists_so_the_browser_names_the_missing_header()
    {
        await using var app = await Start(debug: true, credentials: true);

        var response = await app.PreflightAsync("/", App, "PUT", "content-type,x-secret");

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Origin").Should().Be(App);
        response.Single("Access-Control-Allow-Credentials").Should().Be("true");
        response.Single("Access-Control-Allow-Headers").Should().Be("content-type", "the allowed list, which does not cover x-secret");
        response.Single("X-CorsKit-Reason").Should().Contain("x-secret").And.Contain("'default'");
    }

    [Fact]
    public async Task Authorization_refused_by_a_wildcard_policy_is_not_answered_with_a_wildcard()
    {
        // Chromium accepts 'Access-Control-Allow-Headers: *' for Authorization, so a '*' here would grant the request.
        await using var app = await Host.StartAsync(
            b => b.Services.AddCorsKit(o =>
            {
                o.DebugMode = true;
                o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyRequestHeader());
            }),
            a =>
            {
                a.UseCorsKit();
                a.MapGet("/", () => "ok");
            });

        var response = await app.PreflightAsync("/", App, "GET", "authorization,x-trace");

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Origin").Should().Be("*");
        response.Single("Access-Control-Allow-Headers").Should().Be("x-trace", "the requested headers the policy allows, and not '*'");
        response.Single("X-CorsKit-Reason").Should().Contain("'authorization'");
    }

    [Fact]
    public async Task Method_refusal_answers_the_allowed_methods()
    {
        await using var app = await Start(debug: true);

        var response = await app.PreflightAsync("/", App, "DELETE");

        ((int)response.StatusCode).Should().Be(204);
        response.Single("Access-Control-Allow-Methods").Should().Be("PUT");
        response.Single("X-CorsKit-Reason").Should().Contain("method 'DELETE' is not allowed");
    }

    [Fact]
    public async Task Origin_refusal_still_gets_no_allow_origin_only_the_reason()
    {
        await using var app = await Start(debug: true);

        var preflight = await app.PreflightAsync("/", "https://evil.example", "PUT");
        var actual = await app.SendAsync(HttpMethod.Get, "/", ("Origin", "https://evil.example"));

        ((int)preflight.StatusCode).Should().Be(403);
        preflight.ShouldHaveNoCorsHeaders();
        preflight.Single("X-CorsKit-Reason").Should().Be("origin 'https://evil.example' is not allowed by CorsKit policy 'default'");
        actual.ShouldHaveNoCorsHeaders();
        actual.Single("X-CorsKit-Reason").Should().Contain("https://evil.example");
    }

    [Fact]
    public async Task Disabled_endpoint_says_so_on_actual_requests()
    {
        await using var app = await Start(debug: true);

        var response = await app.SendAsync(HttpMethod.Get, "/off", ("Origin", App));

        response.ShouldHaveNoCorsHeaders();
        response.Single("X-CorsKit-Reason").Should().Be("CorsKit is disabled for this endpoint");
    }

    [Fact]
    public async Task Normal_mode_sends_no_reason_and_refuses_with_403()
    {
        await using var app = await Start(debug: false);

        var preflight = await app.PreflightAsync("/", App, "PUT", "x-secret");
        var actual = await app.SendAsync(HttpMethod.Get, "/", ("Origin", "https://evil.example"));

        ((int)preflight.StatusCode).Should().Be(403);
        preflight.Header("X-CorsKit-Reason").Should().BeEmpty();
        preflight.ShouldHaveNoCorsHeaders();
        actual.Header("X-CorsKit-Reason").Should().BeEmpty();
    }

    [Fact]
    public async Task Debug_mode_changes_nothing_for_allowed_requests()
    {
        await using var debug = await Start(debug: true);
        await using var normal = await Start(debug: false);

        foreach (var app in new[] { debug, normal })
        {
            var response = await app.PreflightAsync("/", App, "PUT", "content-type");
            ((int)response.StatusCode).Should().Be(204);
            response.Header("X-CorsKit-Reason").Should().BeEmpty();
        }

        var debugHeaders = (await debug.PreflightAsync("/", App, "PUT", "content-type")).Headers.Select(h => h.Key).Order();
        var normalHeaders = (await normal.PreflightAsync("/", App, "PUT", "content-type")).Headers.Select(h => h.Key).Order();
        debugHeaders.Should().Equal(normalHeaders);
    }

    [Fact]
    public async Task Debug_mode_reads_from_configuration()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:DebugMode"] = "true",
            ["CorsKit:DefaultPolicy"] = "web",
            ["CorsKit:Policies:web:Origins:0"] = App,
        }).Build();
        await using var app = await Host.StartAsync(b => b.Services.AddCorsKit(configuration.GetSection("CorsKit")), a =>
        {
            a.UseCorsKit();
            a.MapGet("/", () => "ok");
        });

        (await app.SendAsync(HttpMethod.Get, "/", [("Origin", "https://evil.example")])).Header("X-CorsKit-Reason").Should().ContainSingle();
    }
}
