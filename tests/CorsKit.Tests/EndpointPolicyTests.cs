using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Tests;

/// <summary>Per-endpoint policies and the resolution order, with preflights routed to the right endpoint.</summary>
public sealed class EndpointPolicyTests : IAsyncLifetime
{
    private const string App = "https://app.example";
    private const string Partner = "https://partner.example";
    private const string Admin = "https://admin.example";
    private const string Inline = "https://inline.example";
    private WebApplication _app = null!;

    internal static void AddPolicies(IServiceCollection services) => services.AddCorsKit(o =>
    {
        o.AddDefaultPolicy(p => p.AllowOrigins(App).AllowMethods("PUT", "DELETE", "PATCH").AllowRequestHeaders("authorization", "content-type").AllowCredentials());
        o.AddPolicy("partner", p => p.AllowOrigins(Partner).AllowMethods("PUT", "DELETE", "PATCH"));
        o.AddPolicy("admin", p => p.AllowOrigins(Admin).AllowMethods("DELETE"));
    });

    public async Task InitializeAsync()
    {
        _app = await Host.StartAsync(
            b =>
            {
                AddPolicies(b.Services);
                b.Services.AddControllers().AddApplicationPart(typeof(ItemsController).Assembly);
                b.Services.AddTestAuthentication();
                b.Services.AddAuthorization();
            },
            app =>
            {
                app.UseRouting();
                app.UseCorsKit();
                app.UseAuthentication();
                app.UseAuthorization();

                app.MapPut("/min/put", () => "put").RequireCorsKit("partner");
                app.MapDelete("/min/delete", () => "delete").RequireCorsKit("partner");
                app.MapPatch("/min/patch", () => "patch").RequireCorsKit("partner");
                app.MapPut("/min/default", () => "default");
                app.MapPut("/min/inline", () => "inline").RequireCorsKit(p => p.AllowOrigins(Inline).AllowMethods("PUT"));
                app.MapPut("/min/disabled", () => "disabled").DisableCorsKit();
                app.MapGet("/min/disabled", () => "disabled").DisableCorsKit();

                var group = app.MapGroup("/group").RequireCorsKit("partner");
                group.MapPut("/a", () => "a");
                group.MapDelete("/b", () => "b").RequireCorsKit("admin");
                group.MapPut("/off", () => "off").DisableCorsKit();

                app.MapControllers();
            });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/min/put", "PUT")]
    [InlineData("/min/delete", "DELETE")]
    [InlineData("/min/patch", "PATCH")]
    [InlineData("/group/a", "PUT")]
    [InlineData("/mvc/items/1", "PUT")]
    public async Task Preflight_reaches_the_endpoint_policy_and_never_405(string path, string method)
    {
        var allowed = await _app.PreflightAsync(path, Partner, method);
        var defaultOrigin = await _app.PreflightAsync(path, App, method);

        ((int)allowed.StatusCode).Should().Be(204);
        allowed.Single("Access-Control-Allow-Origin").Should().Be(Partner);
        ((int)defaultOrigin.StatusCode).Should().Be(403, "the endpoint's policy, not the default, decides");
    }

    [Fact]
    public async Task Actual_request_to_an_endpoint_policy_gets_that_policy()
    {
        var partner = await _app.SendAsync(HttpMethod.Put, "/min/put", ("Origin", Partner));
        var app = await _app.SendAsync(HttpMethod.Put, "/min/put", ("Origin", App));

        ((int)partner.StatusCode).Should().Be(200);
        partner.Single("Access-Control-Allow-Origin").Should().Be(Partner);
        app.Single("Access-Control-Allow-Origin").Should().BeNull();
    }

    [Fact]
    public async Task Endpoint_policies_apply_when_the_app_registers_its_own_endpoint_data_source()
    {
        // CorsKit skips the endpoint lookup when no endpoint carries its metadata. That scan reads every
        // EndpointDataSource in DI, as the start-up checks do; reading only the last one registered would let an app's
        // own (here empty) data source hide routing's and silently fall back to the default policy.
        await using var app = await Host.StartAsync(
            b =>
            {
                AddPolicies(b.Services);
                b.Services.AddSingleton<Microsoft.AspNetCore.Routing.EndpointDataSource>(new Microsoft.AspNetCore.Routing.DefaultEndpointDataSource());
            },
            a =>
            {
                a.UseRouting();
                a.UseCorsKit();
                a.MapPut("/min/put", () => "put").RequireCorsKit("partner");
            });

        var partner = await app.SendAsync(HttpMethod.Put, "/min/put", ("Origin", Partner));
        var defaultOrigin = await app.SendAsync(HttpMethod.Put, "/min/put", ("Origin", App));

        partner.Single("Access-Control-Allow-Origin").Should().Be(Partner);
        defaultOrigin.Single("Access-Control-Allow-Origin").Should().BeNull("the endpoint's policy, not the default, decides");
    }

    [Fact]
    public async Task Endpoint_policy_beats_the_group_policy()
    {
        ((int)(await _app.PreflightAsync("/group/b", Admin, "DELETE")).StatusCode).Should().Be(204);
        ((int)(await _app.PreflightAsync("/group/b", Partner, "DELETE")).StatusCode).Should().Be(403);
    }

    [Fact]
    public async Task Action_attribute_beats_the_controller_attribute()
    {
        ((int)(await _app.PreflightAsync("/mvc/items/1", Admin, "DELETE")).StatusCode).Should().Be(204);
        ((int)(await _app.PreflightAsync("/mvc/items/1", Partner, "DELETE")).StatusCode).Should().Be(403);
        (await _app.SendAsync(HttpMethod.Get, "/mvc/items", ("Origin", Partner))).Single("Access-Control-Allow-Origin").Should().Be(Partner);
    }

    [Fact]
    public async Task Action_policy_beats_a_disabled_controller()
    {
        ((int)(await _app.PreflightAsync("/mvc/internal", Partner, "PATCH")).StatusCode).Should().Be(204);
        ((int)(await _app.PreflightAsync("/mvc/internal", App, "PUT")).StatusCode).Should().Be(403);
    }

    [Fact]
    public async Task Inline_policy_applies_to_its_endpoint()
    {
        var inline = await _app.PreflightAsync("/min/inline", Inline, "PUT");

        ((int)inline.StatusCode).Should().Be(204);
        inline.Single("Access-Control-Allow-Origin").Should().Be(Inline);
        ((int)(await _app.PreflightAsync("/min/inline", App, "PUT")).StatusCode).Should().Be(403);
    }

    [Theory]
    [InlineData("/min/disabled")]
    [InlineData("/group/off")]
    public async Task Disabled_endpoint_refuses_preflights_and_sends_no_cors_headers(string path)
    {
        var preflight = await _app.PreflightAsync(path, App, "PUT");
        var actual = await _app.SendAsync(HttpMethod.Put, path, ("Origin", App));

        ((int)preflight.StatusCode).Should().Be(403);
        preflight.ShouldHaveNoCorsHeaders();
        ((int)actual.StatusCode).Should().Be(200);
        actual.ShouldHaveNoCorsHeaders();
    }

    [Fact]
    public async Task Endpoint_without_metadata_uses_the_default_policy_even_when_routing_would_answer_405()
    {
        var preflight = await _app.PreflightAsync("/min/default", App, "PUT");

        ((int)preflight.StatusCode).Should().Be(204);
        preflight.Single("Access-Control-Allow-Origin").Should().Be(App);
    }

    [Fact]
    public async Task Preflight_to_a_path_with_no_endpoint_gets_the_default_policy_and_no_405()
    {
        var preflight = await _app.PreflightAsync("/nothing/here", App, "DELETE");

        ((int)preflight.StatusCode).Should().Be(204);
        preflight.Single("Access-Control-Allow-Origin").Should().Be(App);
    }

    [Fact]
    public async Task Preflight_to_an_authorized_mvc_action_is_answered_without_credentials()
    {
        var preflight = await _app.PreflightAsync("/mvc/items/secure", Partner, "POST", "content-type");
        var actual = await _app.SendAsync(HttpMethod.Post, "/mvc/items/secure", ("Origin", Partner));

        ((int)preflight.StatusCode).Should().Be(403, "'partner' does not allow content-type, and the answer comes from CorsKit, not from authorization");
        ((int)(await _app.PreflightAsync("/mvc/items/secure", Partner, "POST")).StatusCode).Should().Be(204);
        ((int)actual.StatusCode).Should().Be(401);
        actual.Single("Access-Control-Allow-Origin").Should().Be(Partner, "the 401 must be readable by the front end");
    }
}
