using CorsKit.Cli.Tests.Audit.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>
/// CorsKit's own WebSocket check on Kestrel, audited: handshakes from the attacker's origin are refused with 403, so
/// <c>corskit audit</c> finds no cross-site WebSocket hijacking; the opt-out is found.
/// </summary>
public sealed class CorsKitWebSocketAuditTests
{
    private static Task<LoopbackServer> StartAsync(Action<CorsKitPolicyBuilder> policy) => LoopbackServer.StartAsync(app =>
    {
        app.UseWebSockets();
        app.UseCorsKit();
        app.MapAuditedSocket();
        app.MapGet("/api/data", () => "data");
    }, services => services.AddCorsKit(o => o.AddDefaultPolicy(policy)));

    [Fact]
    public async Task A_CorsKit_server_with_WebSockets_gives_no_WebSocket_finding()
    {
        await using var server = await StartAsync(p => p.AllowOrigins(HandMadeCors.Trusted).AllowCredentials());

        var webSocketRun = await Auditor.RunAsync(server.WebSocketUrl("/ws"), "--origin", HandMadeCors.Trusted);
        var besideRun = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--websocket", "/ws");

        webSocketRun.Ids.Should().BeEmpty(webSocketRun.ToString());
        webSocketRun.NotChecked.Should().BeEmpty("the trusted origin's handshake was accepted, so the check ran");
        besideRun.Ids.Should().BeEmpty(besideRun.ToString());
        server.Seen.Should().Contain(r => r.PathAndQuery == "/ws" && r.Origin == "https://attacker.test", "the attacker's handshake was sent");
    }

    [Fact]
    public async Task The_opt_out_is_found_as_websocket_any_origin()
    {
        await using var server = await StartAsync(p => p.AllowOrigins(HandMadeCors.Trusted).AllowAnyOriginForWebSockets());

        var run = await Auditor.RunAsync(server.WebSocketUrl("/ws"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().Equal(["websocket-any-origin"], run.ToString());
    }
}
