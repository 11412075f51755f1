using CorsKit.Cli.Tests.Audit.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>Microsoft.AspNetCore.Cors on Kestrel, configured as its users configure it.</summary>
public sealed class MicrosoftCorsAuditTests
{
    private static Task<LoopbackServer> StartAsync(Action<CorsPolicyBuilder> policy) => LoopbackServer.StartAsync(app =>
    {
        app.UseCors();
        app.MapGet("/api/data", () => new[] { 1, 2 });
    }, services => services.AddCors(options => options.AddDefaultPolicy(policy)));

    [Fact]
    public async Task Any_origin_allowed_by_a_predicate_with_credentials_is_reported()
    {
        await using var server = await StartAsync(policy => policy.SetIsOriginAllowed(_ => true).AllowCredentials());

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEquivalentTo(["reflects-any-origin", "trusts-null", "missing-vary"], run.ToString());
        run.Finding("reflects-any-origin").GetProperty("severity").GetString().Should().Be("high");
        run.ExitCode.Should().Be(1);
    }

    [Fact]
    public async Task The_allow_everything_policy_also_reflects_the_preflights_headers_and_methods()
    {
        await using var server = await StartAsync(policy => policy.SetIsOriginAllowed(_ => true).AllowAnyHeader().AllowAnyMethod().AllowCredentials());

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEquivalentTo(["reflects-any-origin", "trusts-null", "missing-vary", "preflight-reflects-headers", "preflight-reflects-methods"],
            run.ToString());
    }

    [Fact]
    public async Task Any_origin_without_credentials_gives_no_finding()
    {
        await using var server = await StartAsync(policy => policy.AllowAnyOrigin());

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
    }

    [Fact]
    public async Task One_exact_origin_with_credentials_lacks_vary_on_its_answers()
    {
        // Microsoft's middleware adds Vary: Origin only for several origins or a predicate: with one origin the
        // answer still depends on the Origin (the origin, or nothing), but nothing tells a cache so.
        await using var server = await StartAsync(policy => policy.WithOrigins(HandMadeCors.Trusted).AllowCredentials());

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().Equal(["missing-vary"], run.ToString());
    }
}
