using System.Net;
using CorsKit.Net11Tests.Infrastructure;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CorsKit.Net11Tests.Infrastructure.Apps;

namespace CorsKit.Net11Tests;

/// <summary>
/// The policy the CSRF protection is given when the endpoint names none: UseCorsKit(name), then the default, as the
/// middleware resolves it; with every kind of origin a policy can allow, and after a reload.
/// </summary>
[Trait("Runtime", "11")]
public sealed class PipelinePolicyTests
{
    [Theory]
    [InlineData(PartnerOrigin, HttpStatusCode.OK)]
    [InlineData(AppOrigin, HttpStatusCode.BadRequest)]
    public async Task UseCorsKit_name_decides_for_endpoints_that_name_no_policy(string origin, HttpStatusCode expected)
    {
        await using var app = await CorsKitAsync(pipelinePolicy: "partner");

        using var response = await app.PostFormAsync("/comments", origin);

        response.StatusCode.Should().Be(expected);
    }

    [Theory]
    [InlineData("http://localhost:8081")]
    [InlineData("http://localhost")]
    [InlineData("http://pr-42.preview.localhost")]
    [InlineData("http://when.localhost:7000")]
    public async Task Port_patterns_regexes_and_predicates_are_trusted(string origin)
    {
        await using var app = await StartAsync(EveryOriginKind);

        using var response = await app.PostFormAsync("/comments", origin);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("http://localhost.evil.localhost:8081")]
    [InlineData("http://pr-x.preview.localhost")]
    [InlineData("http://pr-42.preview.localhost.evil.localhost")]
    [InlineData("http://when.localhost:7001")]
    public async Task Near_misses_of_patterns_regexes_and_predicates_get_400(string origin)
    {
        await using var app = await StartAsync(EveryOriginKind);

        using var response = await app.PostFormAsync("/comments", origin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_predicate_that_throws_trusts_nothing()
    {
        await using var app = await StartAsync(p => p.AllowOriginWhen(_ => throw new InvalidOperationException("store down")).AllowCredentials());

        using var response = await app.PostFormAsync("/comments", AppOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/a/comments", "http://both.localhost:3000", HttpStatusCode.OK)]
    [InlineData("/b/comments", "http://both.localhost:3000", HttpStatusCode.OK)]
    [InlineData("/a/comments", PartnerOrigin, HttpStatusCode.BadRequest)]
    [InlineData("/b/comments", AppOrigin, HttpStatusCode.BadRequest)]
    public async Task With_UseCorsKit_in_branches_only_origins_every_branch_allows_are_trusted(string path, string origin, HttpStatusCode expected)
    {
        await using var app = await KestrelApp.StartAsync(
            builder => builder.Services.AddCorsKit(options =>
            {
                options.AddDefaultPolicy(p => p.AllowOrigins(AppOrigin, "http://both.localhost:3000").AllowCredentials());
                options.AddPolicy("partner", p => p.AllowOrigins(PartnerOrigin, "http://both.localhost:3000").AllowCredentials());
            }),
            app =>
            {
                app.UseRouting();
                app.UseWhen(c => c.Request.Path.StartsWithSegments("/a"), a => a.UseCorsKit("partner"));
                app.UseWhen(c => !c.Request.Path.StartsWithSegments("/a"), b => b.UseCorsKit());
                app.MapCommentForm("/a/comments");
                app.MapCommentForm("/b/comments");
            });

        using var response = await app.PostFormAsync(path, origin);

        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task Trust_follows_a_configuration_reload()
    {
        await using var app = await KestrelApp.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["CorsKit:DefaultPolicy"] = "web",
                    ["CorsKit:Policies:web:Origins:0"] = AppOrigin,
                    ["CorsKit:Policies:web:AllowCredentials"] = "true",
                });
                builder.Services.AddCorsKit(builder.Configuration.GetSection("CorsKit"));
            },
            app =>
            {
                app.UseRouting();
                app.UseCorsKit();
                app.MapCommentForm("/comments");
            });
        using (var before = await app.PostFormAsync("/comments", PartnerOrigin)) before.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        app.App.Configuration["CorsKit:Policies:web:Origins:0"] = PartnerOrigin;
        ((IConfigurationRoot)app.App.Configuration).Reload();

        using var after = await app.PostFormAsync("/comments", PartnerOrigin);
        after.StatusCode.Should().Be(HttpStatusCode.OK);
        using var former = await app.PostFormAsync("/comments", AppOrigin);
        former.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_untrusted_form_post_is_logged_with_the_reason_and_the_fix()
    {
        var logs = new LogCollector();
        await using var app = await CorsKitAsync(logs: logs);

        using var response = await app.PostFormAsync("/public/comments", PublicOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        logs.Entries.Should().ContainSingle(e => e.EventName == "CsrfNotTrusted").Which.Should().Match<LogEntry>(e =>
            e.Category == "CorsKit" && e.Level == LogLevel.Information
            && e.Message.Contains("POST /public/comments (NoCredentials)")
            && e.Message.Contains("CorsKit policy 'public' does not allow credentials. Call AllowCredentials()"));
    }

    [Fact]
    public async Task A_trusted_form_post_is_logged_at_debug()
    {
        var logs = new LogCollector();
        await using var app = await CorsKitAsync(logs: logs);

        using var response = await app.PostFormAsync("/comments", AppOrigin);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        logs.Entries.Should().ContainSingle(e => e.EventName == "CsrfTrusted").Which.Should().Match<LogEntry>(e =>
            e.Level == LogLevel.Debug && e.Message.Contains($"trusts unsafe requests from '{AppOrigin}': CorsKit policy 'default' allows that origin with credentials"));
    }

    /// <summary>A port pattern, a regex and a predicate, with credentials.</summary>
    private static void EveryOriginKind(CorsKitPolicyBuilder policy) => policy
        .AllowOrigins("http://localhost:*")
        .AllowOriginRegexes(@"http://pr-[0-9]+\.preview\.localhost")
        .AllowOriginWhen(o => o == "http://when.localhost:7000")
        .AllowCredentials();

    private static Task<KestrelApp> StartAsync(Action<CorsKitPolicyBuilder> policy) => KestrelApp.StartAsync(
        builder => builder.Services.AddCorsKit(options => options.AddDefaultPolicy(policy)),
        app =>
        {
            app.UseRouting();
            app.UseCorsKit();
            app.MapCommentForm("/comments");
        });
}
