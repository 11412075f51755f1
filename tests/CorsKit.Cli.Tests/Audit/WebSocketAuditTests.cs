using CorsKit.Cli.Tests.Audit.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>
/// WebSocket endpoints on Kestrel: browsers apply no CORS to a handshake and send cookies with it, so the server must
/// check the Origin itself. These use ASP.NET Core's check; CorsKitWebSocketAuditTests audits CorsKit's own.
/// </summary>
public sealed class WebSocketAuditTests
{
    private static Task<LoopbackServer> StartAsync(WebSocketOptions options) => LoopbackServer.StartAsync(app =>
    {
        app.UseWebSockets(options);
        app.MapAuditedSocket();
        app.MapGet("/", () => "home");
    });

    [Fact]
    public async Task A_handshake_accepted_from_any_origin_is_websocket_any_origin()
    {
        await using var server = await StartAsync(new WebSocketOptions());

        var run = await Auditor.RunAsync(server.WebSocketUrl("/ws"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().Equal(["websocket-any-origin"], run.ToString());
        var finding = run.Finding("websocket-any-origin");
        finding.GetProperty("origin").GetString().Should().Be("https://attacker.test");
        var evidence = finding.GetProperty("evidence")[0];
        evidence.GetProperty("response").GetProperty("status").GetInt32().Should().Be(101);
        SharedCacheTests.Header(evidence.GetProperty("request"), "Upgrade").Should().Be("websocket");
        finding.GetProperty("fix").GetProperty("corskit").GetProperty("note").GetString().Should().Contain("CorsKit checks every WebSocket handshake")
            .And.Contain("\"Origins\": [ \"https://app.example.com\" ]");
    }

    [Fact]
    public async Task A_handshake_checked_against_AllowedOrigins_gets_no_finding()
    {
        await using var server = await StartAsync(new WebSocketOptions { AllowedOrigins = { HandMadeCors.Trusted } });

        var run = await Auditor.RunAsync(server.WebSocketUrl("/ws"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
        run.ExitCode.Should().Be(0);
        server.Seen.Select(r => r.Origin).Should().BeEquivalentTo([HandMadeCors.Trusted, "https://attacker.test"], "one handshake from each");
        run.Report.GetProperty("notes").GetArrayLength().Should().Be(0, "the trusted origin's handshake was accepted");
    }

    [Fact]
    public async Task The_websocket_option_audits_a_path_beside_an_http_url()
    {
        await using var server = await StartAsync(new WebSocketOptions());

        var run = await Auditor.RunAsync(server.Url("/"), "--origin", HandMadeCors.Trusted, "--websocket", "/ws");

        run.Ids.Should().Equal(["websocket-any-origin"], run.ToString());
        server.Seen.Should().Contain(r => r.PathAndQuery == "/ws" && r.Origin == "https://attacker.test");
    }
}
