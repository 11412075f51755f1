using CorsKit.Cli.Tests.Audit.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>Servers that answer every probe the same way, or refuse them all: nothing to find, and nothing found.</summary>
public sealed class WellConfiguredServerTests
{
    [Fact]
    public async Task A_server_that_always_names_its_one_front_end_gets_no_finding()
    {
        // Access-Control-Allow-Origin fixed to the one origin, whatever the request: nothing depends on the Origin,
        // so no Vary is needed, and no other origin can read.
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                context.Response.Headers.AccessControlAllowOrigin = HandMadeCors.Trusted;
                context.Response.Headers.AccessControlAllowCredentials = "true";
                return next(context);
            });
            app.MapGet("/api/data", () => new[] { 1, 2 });
        });

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
        run.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task A_server_without_CORS_gets_no_finding_and_a_note_that_the_trusted_origin_was_refused()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/api/data", () => new[] { 1, 2 }));

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
        run.Report.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should()
            .ContainSingle(n => n!.StartsWith("The trusted origin https://app.example.com was not allowed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redirecting_url_gets_a_note_to_audit_the_final_url()
    {
        await using var server = await LoopbackServer.StartAsync(app => app.MapGet("/api/data", () => Results.Redirect("/api/data/")));

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
        run.Report.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should()
            .Contain(n => n!.Contains("answers 302 with Location: /api/data/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Answers_no_cache_may_store_need_no_vary()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.Use((context, next) =>
            {
                context.Response.Headers.CacheControl = "private, no-store";
                return next(context);
            });
            (HandMadeCors.Correct with { Vary = false }).Build(app);
        });

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
    }
}
