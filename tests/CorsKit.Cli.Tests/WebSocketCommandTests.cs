using System.Text.Json;
using CorsKit.Cli.Tests.Audit.Infrastructure;
using CorsKit.Cli.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static CorsKit.Cli.Tests.Infrastructure.TestHost;

namespace CorsKit.Cli.Tests;

/// <summary>
/// <c>corskit check ws://…</c> performs a real handshake against a real Kestrel server with CorsKit in front of a
/// WebSocket endpoint; <c>corskit explain --websocket</c> says the same offline.
/// </summary>
public sealed class WebSocketCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-ws-").FullName;
    private LoopbackServer _server = null!;
    private LoopbackServer _debugServer = null!;
    private int _accepted;

    private string Config => Path.Combine(_directory, "appsettings.json");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Config, DemoCorsKitSection);
        _server = await Start(debug: false);
        _debugServer = await Start(debug: true);
    }

    private Task<LoopbackServer> Start(bool debug) => LoopbackServer.StartAsync(app =>
    {
        app.UseWebSockets();
        app.UseCorsKit();
        app.Map("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            Interlocked.Increment(ref _accepted);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            try
            {
                var result = await socket.ReceiveAsync(new byte[16], context.RequestAborted);
                if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                // The check closes the socket right after the handshake.
            }
        });
    }, services => services.AddCorsKit(o =>
    {
        o.DebugMode = debug;
        o.AddDefaultPolicy(p => p.AllowOrigins(AllowedOrigin).AllowCredentials());
    }));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _debugServer.DisposeAsync();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<CliRun> Run(params string[] args) => CliRunner.RunAsync(null, args);

    [Fact]
    public async Task Check_of_a_ws_url_from_an_allowed_origin_opens_a_real_WebSocket_and_exits_0()
    {
        var run = await Run("check", _server.WebSocketUrl("/ws"), "--origin", AllowedOrigin);

        run.ExitCode.Should().Be(0, run.Output + run.Error);
        run.Output.Should().Contain($"> GET {_server.WebSocketUrl("/ws")} (WebSocket handshake: Upgrade: websocket)")
            .And.Contain($"> Origin: {AllowedOrigin}").And.Contain("< 101 Switching Protocols").And.Contain("ACCEPTED");
        Volatile.Read(ref _accepted).Should().Be(1, "the server really accepted one socket");
        _server.Seen.Should().ContainSingle(r => r.PathAndQuery == "/ws").Which.Origin.Should().Be(AllowedOrigin);
    }

    [Fact]
    public async Task Check_of_a_ws_url_from_a_refused_origin_exits_1_and_says_the_browser_cannot_connect()
    {
        var run = await Run("check", _server.WebSocketUrl("/ws"), "--origin", "https://app.example.com.evil.example");

        run.ExitCode.Should().Be(1);
        run.Output.Should().Contain("< 403 Forbidden").And.Contain("REFUSED: the server answered 403 instead of 101 Switching Protocols")
            .And.NotContain("CorsKit says");
        Volatile.Read(ref _accepted).Should().Be(0);
    }

    [Fact]
    public async Task In_debug_mode_the_check_prints_CorsKits_reason()
    {
        var run = await Run("check", _debugServer.WebSocketUrl("/ws"), "--origin", "null");

        run.ExitCode.Should().Be(1);
        run.Output.Should().Contain("CorsKit says: WebSocket handshake refused: the origin 'null'");
    }

    [Fact]
    public async Task Check_of_a_ws_url_as_json_follows_the_documented_schema()
    {
        var refused = JsonDocument.Parse((await Run("check", _debugServer.WebSocketUrl("/ws"), "--origin", RefusedOrigin, "--json")).Output).RootElement;
        var accepted = JsonDocument.Parse((await Run("check", _server.WebSocketUrl("/ws"), "--origin", AllowedOrigin, "--json")).Output).RootElement;

        refused.GetProperty("kind").GetString().Should().Be("websocket");
        refused.GetProperty("verdict").GetString().Should().Be("refused");
        refused.GetProperty("exitCode").GetInt32().Should().Be(1);
        refused.GetProperty("status").GetInt32().Should().Be(403);
        refused.GetProperty("request").GetProperty("origin").GetString().Should().Be(RefusedOrigin);
        refused.GetProperty("debugReason").GetString().Should()
            .Be($"WebSocket handshake refused: origin '{RefusedOrigin}' is not allowed by CorsKit policy 'default'");
        accepted.GetProperty("verdict").GetString().Should().Be("accepted");
        accepted.GetProperty("status").GetInt32().Should().Be(101);
        accepted.GetProperty("headers").EnumerateArray().Select(h => h[0].GetString()).Should().Contain("Sec-WebSocket-Accept");
    }

    [Fact]
    public async Task Check_of_a_ws_url_sends_the_cookie_and_headers_it_is_given()
    {
        var run = await Run("check", _server.WebSocketUrl("/ws"), "--origin", AllowedOrigin, "--cookie", "session=1", "--credentials");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Warning: --credentials changes nothing for a WebSocket");
    }

    [Theory]
    [InlineData("-X", "POST", "always a GET")]
    [InlineData("-d", "hello", "has no body")]
    public async Task Check_of_a_ws_url_with_fetch_only_options_is_a_usage_error(string option, string value, string message)
    {
        var run = await Run("check", _server.WebSocketUrl("/ws"), "--origin", AllowedOrigin, option, value);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain(message);
    }

    [Fact]
    public async Task Check_of_a_ws_url_where_nothing_listens_is_an_error_exit_2()
    {
        var closedPort = _server.BaseUrl.Port;
        await _server.DisposeAsync();
        _server = await Start(debug: false);

        var run = await Run("check", $"ws://127.0.0.1:{closedPort}/ws", "--origin", AllowedOrigin, "--timeout", "5");

        run.ExitCode.Should().Be(2);
        run.Output.Should().Contain("ERROR: The handshake failed before the server answered");
    }

    [Theory]
    [InlineData(AllowedOrigin, 0, "ALLOWED (Allowed)")]
    [InlineData(RefusedOrigin, 1, "REFUSED (OriginNotAllowed)")]
    [InlineData("null", 1, "REFUSED (OriginNull)")]
    public async Task Explain_websocket_answers_for_a_handshake_as_the_server_does(string origin, int exitCode, string verdict)
    {
        var explained = await Run("explain", "--config", Config, "--origin", origin, "--websocket");
        var checkedLive = await Run("check", _server.WebSocketUrl("/ws"), "--origin", origin);

        explained.ExitCode.Should().Be(exitCode, explained.Output + explained.Error);
        checkedLive.ExitCode.Should().Be(exitCode, "the live server (same origins) agrees");
        explained.Output.Should().Contain($"CorsKit policy 'frontend': WebSocket handshake from origin {origin}")
            .And.Contain("Handshake: GET, Upgrade: websocket").And.Contain(verdict);
        if (exitCode == 0) explained.Output.Should().Contain("CorsKit passes the handshake to the app");
        else explained.Output.Should().Contain("CorsKit answers 403 with:").And.Contain("Vary: Origin");
    }

    [Fact]
    public async Task Explain_websocket_as_json_puts_the_handshake_in_request()
    {
        var run = await Run("explain", "--config", Config, "--origin", RefusedOrigin, "--websocket", "--json");
        var json = JsonDocument.Parse(run.Output).RootElement;

        json.GetProperty("webSocket").GetBoolean().Should().BeTrue();
        json.GetProperty("preflight").ValueKind.Should().Be(JsonValueKind.Null);
        json.GetProperty("request").GetProperty("status").GetInt32().Should().Be(403);
        json.GetProperty("request").GetProperty("reason").GetString().Should().Be("OriginNotAllowed");
    }

    [Fact]
    public async Task Explain_websocket_with_fetch_only_options_is_a_usage_error()
    {
        var run = await Run("explain", "--config", Config, "--origin", AllowedOrigin, "--websocket", "-X", "PUT");

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("--websocket explains a handshake");
    }
}
