using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

/// <summary>Preflights survive authentication and authorization; errors stay readable; misplacement is detected.</summary>
public sealed class PipelineTests
{
    private const string App = "https://app.example";

    private static void Services(WebApplicationBuilder b, bool fallback = false)
    {
        EndpointPolicyTests.AddPolicies(b.Services);
        b.Services.AddTestAuthentication();
        b.Services.AddAuthorization(o =>
        {
            o.AddPolicy("admin", p => p.RequireRole("admin"));
            if (fallback) o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
    }

    private static void SecureEndpoints(WebApplication app)
    {
        app.MapPut("/secure", () => "secret").RequireAuthorization();
        app.MapDelete("/admin", () => "gone").RequireAuthorization("admin");
        app.MapGet("/open", () => "open").AllowAnonymous();
    }

    public static TheoryData<bool> ExplicitRouting => new() { true, false };

    [Theory]
    [MemberData(nameof(ExplicitRouting))]
    public async Task Preflight_to_an_endpoint_requiring_authorization_is_answered_204(bool explicitRouting)
    {
        await using var app = await Host.StartAsync(b => Services(b), a =>
        {
            if (explicitRouting) a.UseRouting();
            a.UseCorsKit();
            a.UseAuthentication();
            a.UseAuthorization();
            SecureEndpoints(a);
        });

        var preflight = await app.PreflightAsync("/secure", App, "PUT", "authorization");

        ((int)preflight.StatusCode).Should().Be(204);
        preflight.Single("Access-Control-Allow-Origin").Should().Be(App);
        preflight.Single("Access-Control-Allow-Credentials").Should().Be("true");
    }

    [Fact]
    public async Task Actual_request_is_still_authenticated_and_its_401_and_403_carry_cors_headers()
    {
        await using var app = await Host.StartAsync(b => Services(b), a =>
        {
            a.UseRouting();
            a.UseCorsKit();
            a.UseAuthentication();
            a.UseAuthorization();
            SecureEndpoints(a);
        });

        var anonymous = await app.SendAsync(HttpMethod.Put, "/secure", ("Origin", App));
        var user = await app.SendAsync(HttpMethod.Put, "/secure", ("Origin", App), ("Authorization", "Bearer user"));
        var forbidden = await app.SendAsync(HttpMethod.Delete, "/admin", ("Origin", App), ("Authorization", "Bearer user"));

        ((int)anonymous.StatusCode).Should().Be(401);
        anonymous.Single("Access-Control-Allow-Origin").Should().Be(App);
        anonymous.Single("Access-Control-Allow-Credentials").Should().Be("true");
        ((int)user.StatusCode).Should().Be(200);
        (await user.Content.ReadAsStringAsync()).Should().Be("secret");
        user.Single("Access-Control-Allow-Origin").Should().Be(App);
        ((int)forbidden.StatusCode).Should().Be(403);
        forbidden.Single("Access-Control-Allow-Origin").Should().Be(App);
    }

    [Theory]
    [InlineData("/secure")]
    [InlineData("/open")]
    [InlineData("/no/such/path")]
    public async Task Under_a_fallback_policy_every_preflight_is_answered_204(string path)
    {
        await using var app = await Host.StartAsync(b => Services(b, fallback: true), a =>
        {
            a.UseRouting();
            a.UseCorsKit();
            a.UseAuthentication();
            a.UseAuthorization();
            SecureEndpoints(a);
        });

        var preflight = await app.PreflightAsync(path, App, "PUT");
        var actual = await app.SendAsync(HttpMethod.Get, "/no/such/path", ("Origin", App));

        ((int)preflight.StatusCode).Should().Be(204);
        ((int)actual.StatusCode).Should().Be(401, "the fallback policy still applies to actual requests");
        actual.Single("Access-Control-Allow-Origin").Should().Be(App);
    }

    [Fact]
    public async Task A_500_from_UseExceptionHandler_with_problem_details_carries_cors_headers()
    {
        await using var app = await Host.StartAsync(b =>
        {
            Services(b);
            b.Services.AddProblemDetails();
        }, a =>
        {
            a.UseExceptionHandler();
            a.UseRouting();
            a.UseCorsKit();
            a.UseAuthentication();
            a.UseAuthorization();
            a.MapGet("/boom", string () => throw new InvalidOperationException("boom"));
            a.MapGet("/problem", () => Results.Problem("nope", statusCode: 409));
        });

        var boom = await app.SendAsync(HttpMethod.Get, "/boom", ("Origin", App));
        var problem = await app.SendAsync(HttpMethod.Get, "/problem", ("Origin", App));

        ((int)boom.StatusCode).Should().Be(500);
        boom.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        boom.Single("Access-Control-Allow-Origin").Should().Be(App);
        boom.VaryTokens().Should().ContainSingle(t => t == "Origin");
        ((int)problem.StatusCode).Should().Be(409);
        problem.Single("Access-Control-Allow-Origin").Should().Be(App);
    }

    [Fact]
    public async Task A_500_from_an_exception_handler_path_that_re_executes_the_pipeline_carries_cors_headers_once()
    {
        await using var app = await Host.StartAsync(b => Services(b), a =>
        {
            a.UseExceptionHandler("/error");
            a.UseRouting();
            a.UseCorsKit();
            a.MapGet("/boom", string () => throw new InvalidOperationException("boom"));
            a.Map("/error", () => Results.Text("error page", statusCode: 500));
        });

        var boom = await app.SendAsync(HttpMethod.Get, "/boom", ("Origin", App));

        ((int)boom.StatusCode).Should().Be(500);
        (await boom.Content.ReadAsStringAsync()).Should().Be("error page");
        boom.Single("Access-Control-Allow-Origin").Should().Be(App);
        boom.VaryTokens().Should().ContainSingle(t => t == "Origin");
    }

    [Fact]
    public async Task Resolution_order_is_disable_then_endpoint_then_middleware_name_then_default_then_none()
    {
        await using var named = await Host.StartAsync(b => EndpointPolicyTests.AddPolicies(b.Services), a =>
        {
            a.UseCorsKit("admin");
            a.MapDelete("/disabled", () => "x").RequireCorsKit("partner").DisableCorsKit();
            a.MapDelete("/endpoint", () => "x").RequireCorsKit("partner");
            a.MapDelete("/plain", () => "x");
        });
        await using var byDefault = await Host.StartAsync(b => EndpointPolicyTests.AddPolicies(b.Services), a =>
        {
            a.UseCorsKit();
            a.MapDelete("/plain", () => "x");
        });
        await using var none = await Host.StartAsync(b => b.Services.AddCorsKit(o => o.AddPolicy("partner", p => p.AllowOrigins("https://partner.example"))), a =>
        {
            a.UseCorsKit();
            a.MapDelete("/plain", () => "x");
        });

        async Task<string?> AllowedOrigin(WebApplication app, string path, string origin) =>
            (await app.PreflightAsync(path, origin, "DELETE")).Single("Access-Control-Allow-Origin");

        (await AllowedOrigin(named, "/disabled", "https://partner.example")).Should().BeNull("1. endpoint disable");
        (await AllowedOrigin(named, "/endpoint", "https://partner.example")).Should().Be("https://partner.example", "2. endpoint policy");
        (await AllowedOrigin(named, "/plain", "https://admin.example")).Should().Be("https://admin.example", "3. UseCorsKit(name)");
        (await AllowedOrigin(named, "/plain", App)).Should().BeNull("the default is not used when UseCorsKit names a policy");
        (await AllowedOrigin(byDefault, "/plain", App)).Should().Be(App, "4. default policy");
        var noPolicy = await none.PreflightAsync("/plain", "https://partner.example", "DELETE");
        ((int)noPolicy.StatusCode).Should().Be(405, "5. no CORS: the request goes on to routing untouched");
        noPolicy.ShouldHaveNoCorsHeaders();
    }

    [Fact]
    public async Task UseCorsKit_after_authentication_fails_naming_the_right_order()
    {
        var act = () => Host.StartAsync(b => Services(b), a =>
        {
            a.UseRouting();
            a.UseAuthentication();
            a.UseCorsKit();
        });

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain("app.UseRouting(); app.UseCorsKit(); app.UseAuthentication(); app.UseAuthorization();");
    }

    [Fact]
    public async Task UseCorsKit_after_authorization_fails_at_start_up()
    {
        var act = () => Host.StartAsync(b => Services(b), a =>
        {
            a.UseRouting();
            a.UseAuthorization();
            a.UseCorsKit();
        });

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*after app.UseAuthentication() or app.UseAuthorization()*");
    }

    [Fact]
    public async Task Implicit_authorization_before_CorsKit_is_reported_on_the_first_request_that_shows_it()
    {
        var logs = new ListLoggerProvider();
        await using var app = await Host.StartAsync(b => Services(b, fallback: true), a =>
        {
            a.UseCorsKit();
            SecureEndpoints(a);
        }, logs);

        var preflight = await app.PreflightAsync("/secure", App, "PUT");
        await app.SendAsync(HttpMethod.Put, "/secure", ("Origin", App), ("Authorization", "Bearer user"));

        ((int)preflight.StatusCode).Should().Be(401, "this is the misconfiguration being reported: WebApplication's implicit authorization ran first");
        logs.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.Event.Name == "AfterAuthorization"
            && e.Message.Contains("app.UseCorsKit(); app.UseAuthentication(); app.UseAuthorization();"));
    }

    [Fact]
    public async Task Endpoint_metadata_without_UseCorsKit_fails_at_start_up()
    {
        var act = () => Host.StartAsync(b => EndpointPolicyTests.AddPolicies(b.Services), a =>
        {
            a.MapPut("/x", () => "x").RequireCorsKit("partner");
        });

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*app.UseCorsKit() is not in the pipeline*");
    }

    [Fact]
    public async Task UseCorsKit_before_UseRouting_fails_when_endpoints_carry_policies()
    {
        var act = () => Host.StartAsync(b => EndpointPolicyTests.AddPolicies(b.Services), a =>
        {
            a.UseCorsKit();
            a.UseRouting();
            a.MapPut("/x", () => "x").RequireCorsKit("partner");
        });

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*runs before app.UseRouting()*'*/x*'*");
    }

    [Fact]
    public async Task Endpoint_naming_an_unknown_policy_fails_at_start_up()
    {
        var act = () => Host.StartAsync(b => EndpointPolicyTests.AddPolicies(b.Services), a =>
        {
            a.UseCorsKit();
            a.MapPut("/x", () => "x").RequireCorsKit("parnter");
        });

        (await act.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Message.Should().Contain("'parnter'").And.Contain("'partner'");
    }

    [Fact]
    public void Invalid_inline_policy_fails_while_configuring()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins(App)));
        var app = builder.Build();

        var act = () => app.MapPut("/x", () => "x").RequireCorsKit(p => p.AllowAnyOrigin().AllowCredentials());

        act.Should().Throw<CorsKitConfigurationException>().Which.Errors.Should().ContainSingle(e => e.Option == "AllowCredentials");
    }

    [Fact]
    public async Task Microsoft_UseCors_before_CorsKit_fails_clearly()
    {
        await using var app = await Host.StartAsync(b =>
        {
            EndpointPolicyTests.AddPolicies(b.Services);
            b.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(App)));
        }, a =>
        {
            a.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = c => c.Response.WriteAsync(c.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()!.Error.Message) });
            a.UseRouting();
            a.UseCors();
            a.UseCorsKit();
            a.MapPut("/x", () => "x").RequireCorsKit("partner");
        });

        var response = await app.SendAsync(HttpMethod.Put, "/x", ("Origin", "https://partner.example"));

        ((int)response.StatusCode).Should().Be(500);
        (await response.Content.ReadAsStringAsync()).Should().Contain("remove app.UseCors()");
    }
}
