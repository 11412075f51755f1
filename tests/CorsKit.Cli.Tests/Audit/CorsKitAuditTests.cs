using CorsKit.Cli.Tests.Audit.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>
/// CorsKit itself on Kestrel. With the demo's policies (samples/CorsKit.Demo/appsettings.json, as the demo loads
/// them, on endpoints shaped like the demo's) every audit comes back clean; CorsKit's own wildcard subdomains with
/// credentials are reported unless the audit is told they are meant.
/// </summary>
public sealed class CorsKitAuditTests : IAsyncLifetime
{
    private const string AllowedPage = "http://127.0.0.1:5101";
    private const string AdminConsole = "https://admin.example.com";

    private LoopbackServer _demo = null!;

    public async Task InitializeAsync() => _demo = await LoopbackServer.StartAsync(app =>
    {
        app.UseRouting();
        app.UseCorsKit();
        app.MapGet("/api/hello", () => new { message = "hello" });
        app.MapGet("/api/items", () => new[] { 1, 2 });
        app.MapPost("/api/items", () => Microsoft.AspNetCore.Http.Results.Created("/api/items/3", new { id = 3 }));
        app.MapPut("/api/items/{id:int}", (int id) => new { id });
        app.MapGet("/api/reports", () => new[] { "weekly" }).RequireCorsKit("reports");
        app.MapDelete("/api/admin/cache", () => new { cleared = true }).RequireCorsKit("admin");
    }, services =>
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "Audit", "demo-appsettings.json"), optional: false, reloadOnChange: false)
            .Build();
        services.AddCorsKit(configuration.GetSection("CorsKit"));
        services.AddRouting();
    });

    public async Task DisposeAsync() => await _demo.DisposeAsync();

    public static TheoryData<string, string[]> DemoAudits() => new()
    {
        { "/api/hello", ["--origin", AllowedPage] },
        { "/api/items", ["--origin", AllowedPage] },
        { "/api/items", ["--origin", AllowedPage, "--method", "POST", "--header", "content-type"] },
        { "/api/items/1", ["--origin", AllowedPage, "--method", "PUT", "--header", "authorization", "--header", "content-type"] },
        { "/api/reports", ["--origin", AllowedPage] },
        { "/api/admin/cache", ["--origin", AdminConsole, "--method", "DELETE", "--header", "authorization"] },
        { "/api/hello", [] },
    };

    [Theory]
    [MemberData(nameof(DemoAudits))]
    public async Task The_demos_policies_give_no_finding(string path, string[] options)
    {
        var run = await Auditor.RunAsync(_demo.Url(path), options);

        run.Ids.Should().BeEmpty(run.ToString());
        run.ExitCode.Should().Be(0);
        run.NotChecked.Should().BeEmpty();
    }

    [Fact]
    public async Task An_address_origin_is_probed_with_the_attacks_an_address_allows()
    {
        var run = await Auditor.RunAsync(_demo.Url("/api/hello"), "--origin", AllowedPage);

        // No domain can be derived from 127.0.0.1: no suffix, subdomain or dot look-alike; an http origin has no http twin.
        var gets = _demo.Seen.Where(r => r.Method == "GET" && r.PathAndQuery == "/api/hello").Select(r => r.Origin);
        gets.Should().BeEquivalentTo([AllowedPage, null, "https://attacker.test", "null", "http://127.0.0.1.attacker.test:5101",
            "http://127.0.0.1_.attacker.test:5101", "http://127.0.0.1`.attacker.test:5101", "http://127.0.0.1%60.attacker.test:5101"]);
        run.Ids.Should().BeEmpty(run.ToString());
    }

    [Fact]
    public async Task The_admin_policy_is_probed_with_every_derived_origin_and_refuses_them_all()
    {
        var run = await Auditor.RunAsync(_demo.Url("/api/admin/cache"), "--origin", AdminConsole, "--method", "DELETE", "--header", "authorization");

        // The attack origins were asked for as preflights (DELETE is never sent) and CorsKit refused each one.
        var preflights = _demo.Seen.Where(r => r.Method == "OPTIONS").Select(r => r.Origin).ToList();
        preflights.Should().Contain(["https://attacker.test", "null", "https://corskit-audit.example.com", "https://evilexample.com",
            "https://eviladmin.example.com", "https://admin.example.com.attacker.test", "https://adminxexample.com", "http://admin.example.com",
            "https://admin.example.com_.attacker.test"]);
        _demo.Seen.Should().NotContain(r => r.Method == "DELETE");
        run.Ids.Should().BeEmpty(run.ToString());
    }

    [Fact]
    public async Task A_public_any_origin_policy_gives_no_finding()
    {
        await using var server = await StartCorsKitAsync(policy => policy.AllowAnyOrigin().AllowAnyMethod().AllowAnyRequestHeader());

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", "https://app.example.com", "--method", "PUT", "--header", "x-trace");

        run.Ids.Should().BeEmpty(run.ToString());
    }

    [Fact]
    public async Task Wildcard_subdomains_without_credentials_give_no_finding()
    {
        await using var server = await StartCorsKitAsync(policy => policy.AllowOrigins("https://*.example.com"));

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", "https://app.example.com");

        run.Ids.Should().BeEmpty(run.ToString());
    }

    [Fact]
    public async Task Wildcard_subdomains_with_credentials_are_arbitrary_subdomain_when_one_subdomain_is_trusted()
    {
        await using var server = await StartCorsKitAsync(policy => policy.AllowOrigins("https://*.example.com").AllowCredentials());

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", "https://app.example.com");

        run.Ids.Should().Equal(["arbitrary-subdomain"], run.ToString());
        run.Finding("arbitrary-subdomain").GetProperty("origin").GetString().Should().Be("https://corskit-audit.example.com");
        run.Finding("arbitrary-subdomain").GetProperty("severity").GetString().Should().Be("medium");
    }

    [Fact]
    public async Task Wildcard_subdomains_with_credentials_give_no_finding_when_the_audit_is_told_they_are_meant()
    {
        await using var server = await StartCorsKitAsync(policy => policy.AllowOrigins("https://*.example.com").AllowCredentials());

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", "https://*.example.com");

        run.Ids.Should().BeEmpty(run.ToString());
        // The attacks on the wildcard itself were still sent.
        server.Seen.Select(r => r.Origin).Should().Contain(["https://evilexample.com", "https://corskit-audit.example.com.attacker.test", "https://corskit-auditxexample.com"]);
    }

    internal static Task<LoopbackServer> StartCorsKitAsync(Action<CorsKitPolicyBuilder> policy) => LoopbackServer.StartAsync(app =>
    {
        app.UseCorsKit();
        app.MapGet("/api/data", () => new[] { 1, 2 });
    }, services => services.AddCorsKit(options => options.AddDefaultPolicy(policy)));
}
