using System.Net;
using CorsKit.Net11Tests.Infrastructure;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CorsKit.Net11Tests.Infrastructure.Apps;

namespace CorsKit.Net11Tests;

/// <summary>
/// Apps that also register Microsoft's CORS services (AddCors, which AddControllers calls too) keep Microsoft's
/// answers where Microsoft's middleware asks, and CorsKit's trust reaches the CSRF protection in either order.
/// </summary>
[Trait("Runtime", "11")]
public sealed class MicrosoftCorsServicesTests
{
    private const string LegacyOrigin = "http://legacy.localhost:9000";

    private static void AddCorsKitDefault(WebApplicationBuilder builder) =>
        builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins(AppOrigin).AllowCredentials()));

    private static void AddMicrosoftDefault(WebApplicationBuilder builder) =>
        builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(LegacyOrigin).AllowCredentials()));

    /// <summary>AddCors and AddCorsKit in the given order, and <see cref="Pipeline"/>.</summary>
    private static Task<KestrelApp> StartBothAsync(bool addCorsFirst) => KestrelApp.StartAsync(
        builder =>
        {
            if (addCorsFirst) AddMicrosoftDefault(builder);
            AddCorsKitDefault(builder);
            if (!addCorsFirst) AddMicrosoftDefault(builder);
        },
        Pipeline);

    /// <summary>CorsKit for the app; Microsoft's UseCors() (its default policy) in a /legacy branch CorsKit never sees.</summary>
    private static void Pipeline(WebApplication app)
    {
        app.Map("/legacy", legacy =>
        {
            legacy.UseCors();
            legacy.Run(context => context.Response.WriteAsync("legacy"));
        });
        app.UseRouting();
        app.UseCorsKit();
        app.MapCommentForm("/comments");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CorsKit_trust_reaches_the_CSRF_protection_whether_AddCors_comes_first_or_last(bool addCorsFirst)
    {
        await using var app = await StartBothAsync(addCorsFirst);

        using var allowed = await app.PostFormAsync("/comments", AppOrigin);
        using var microsoftOnly = await app.PostFormAsync("/comments", LegacyOrigin);

        allowed.StatusCode.Should().Be(HttpStatusCode.OK);
        microsoftOnly.StatusCode.Should().Be(HttpStatusCode.BadRequest, "CorsKit governs /comments and does not allow that origin");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Microsofts_middleware_still_gets_Microsofts_default_policy(bool addCorsFirst)
    {
        await using var app = await StartBothAsync(addCorsFirst);

        using var legacy = await Get(app, "/legacy", LegacyOrigin);
        using var corsKitOrigin = await Get(app, "/legacy", AppOrigin);

        legacy.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(LegacyOrigin);
        legacy.Headers.GetValues("Access-Control-Allow-Credentials").Should().Equal("true");
        corsKitOrigin.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }

    [Fact]
    public async Task MVC_apps_which_register_Microsofts_CORS_services_get_CorsKit_trust()
    {
        await using var app = await KestrelApp.StartAsync(
            builder =>
            {
                builder.Services.AddControllersOnly(typeof(CommentsController));
                AddCorsKitDefault(builder);
            },
            app =>
            {
                app.UseRouting();
                app.UseCorsKit();
                app.MapControllers();
            });

        using var allowed = await app.PostFormAsync("/mvc/comments", AppOrigin);
        using var unlisted = await app.PostFormAsync("/mvc/comments", UnlistedOrigin);

        allowed.StatusCode.Should().Be(HttpStatusCode.OK);
        unlisted.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    private sealed class NoPolicies : ICorsPolicyProvider
    {
        public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName) => Task.FromResult<CorsPolicy?>(null);
    }

    [Fact]
    public async Task A_policy_provider_registered_after_AddCorsKit_is_reported_at_start_up()
    {
        var logs = new LogCollector();
        await using var app = await KestrelApp.StartAsync(
            builder =>
            {
                AddCorsKitDefault(builder);
                builder.Services.AddSingleton<ICorsPolicyProvider, NoPolicies>();
            },
            app =>
            {
                app.UseRouting();
                app.UseCorsKit();
                app.MapCommentForm("/comments");
            },
            logs);

        using var response = await app.PostFormAsync("/comments", AppOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        logs.Entries.Should().ContainSingle(e => e.EventName == "CsrfProviderReplaced").Which.Should().Match<LogEntry>(e =>
            e.Level == LogLevel.Warning && e.Message.Contains(typeof(NoPolicies).FullName!) && e.Message.Contains("Register it before AddCorsKit()"));
    }

    [Fact]
    public async Task A_policy_provider_registered_before_AddCorsKit_keeps_answering_Microsofts_middleware()
    {
        await using var app = await KestrelApp.StartAsync(
            builder =>
            {
                AddMicrosoftDefault(builder);
                builder.Services.AddSingleton<ICorsPolicyProvider, NoPolicies>();
                AddCorsKitDefault(builder);
            },
            Pipeline);

        using var legacy = await Get(app, "/legacy", LegacyOrigin);
        using var form = await app.PostFormAsync("/comments", AppOrigin);

        legacy.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse("the app's own provider has no policies");
        form.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> Get(KestrelApp app, string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        return app.Client.SendAsync(request);
    }
}
