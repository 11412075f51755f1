using CorsKit.Cli.Tests.Audit.Infrastructure;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>
/// Debian's nginx with the snippet that answers "how do I enable CORS in nginx" most often: add_header with
/// $http_origin (and credentials). It reflects every origin, sends no Vary, and add_header without 'always' skips
/// error responses.
/// </summary>
public sealed class NginxAuditTests
{
    private static readonly Dictionary<string, string> Files = new() { ["api/data.json"] = """{ "items": [1, 2] }""" };

    [Fact]
    public async Task Add_header_with_http_origin_reflects_any_origin_with_the_findings_that_come_with_it()
    {
        await using var nginx = await NginxServer.StartAsync("""
            location /api/ {
                add_header Access-Control-Allow-Origin $http_origin;
                add_header Access-Control-Allow-Credentials true;
            }
            """, Files);

        var run = await Auditor.RunAsync(nginx.Url("/api/data.json"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEquivalentTo(["reflects-any-origin", "trusts-null", "missing-vary", "error-responses-lack-cors"], run.ToString());
        run.Finding("reflects-any-origin").GetProperty("severity").GetString().Should().Be("high");
        var error = run.Finding("error-responses-lack-cors").GetProperty("evidence")[1].GetProperty("response");
        error.GetProperty("status").GetInt32().Should().Be(404);
        SharedCacheTests.Header(error, "Server").Should().StartWith("nginx", "the answer came from nginx itself");
    }

    [Fact]
    public async Task A_map_of_allowed_origins_with_vary_and_always_gets_no_finding()
    {
        // The careful version: a map with the exact origin, Vary, and 'always' so errors carry the headers too.
        await using var nginx = await NginxServer.StartAsync("""
            set $cors "";
            if ($http_origin = "https://app.example.com") { set $cors $http_origin; }
            location /api/ {
                add_header Vary Origin always;
                add_header Access-Control-Allow-Origin $cors always;
                add_header Access-Control-Allow-Credentials true always;
            }
            """, Files);

        var run = await Auditor.RunAsync(nginx.Url("/api/data.json"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
    }
}
