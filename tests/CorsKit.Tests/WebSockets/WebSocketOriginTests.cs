using CorsKit.Tests.Infrastructure;

namespace CorsKit.Tests.WebSockets;

/// <summary>
/// A WebSocket handshake's Origin is checked with the policy's own matching (exact, subdomain and port patterns, regex,
/// predicate), in memory and over Kestrel (HTTP/1.1 Upgrade and HTTP/2 extended CONNECT): refused origins get 403
/// before the app, allowed ones open and receive the server's message.
/// </summary>
public sealed class WebSocketOriginTests
{
    private const string App = "https://app.example.com";

    private static Task<WebSocketHost> Start(WebSocketTransport transport) => WebSocketHost.StartAsync(transport, o => o.AddDefaultPolicy(p => p
        .AllowOrigins(App, "https://*.example.net", "http://localhost:*")
        .AllowOriginRegexes("https://pr-[0-9]+\\.review\\.example\\.org")
        .AllowOriginWhen(origin => origin == "https://predicate.example")
        .AllowCredentials()));

    public static TheoryData<WebSocketTransport, string> AllowedOrigins()
    {
        var data = new TheoryData<WebSocketTransport, string>();
        foreach (var transport in Enum.GetValues<WebSocketTransport>())
        {
            foreach (var origin in new[]
                     {
                         App, "https://shop.example.net", "https://a.b.example.net", "http://localhost:5173", "http://localhost",
                         "https://pr-42.review.example.org", "https://predicate.example",
                     })
            {
                data.Add(transport, origin);
            }
        }

        return data;
    }

    public static TheoryData<WebSocketTransport, string, string> RefusedOrigins()
    {
        var data = new TheoryData<WebSocketTransport, string, string>();
        foreach (var transport in Enum.GetValues<WebSocketTransport>())
        {
            data.Add(transport, "https://evil.example", "origin_not_allowed");
            data.Add(transport, "https://app.example.com.evil.example", "origin_not_allowed");
            data.Add(transport, "https://evilexample.net", "origin_not_allowed");
            data.Add(transport, "http://app.example.com", "origin_not_allowed");
            data.Add(transport, "https://example.net", "origin_not_allowed");
            data.Add(transport, "https://pr-x.review.example.org", "origin_not_allowed");
            data.Add(transport, "https://predicate.example.evil", "origin_not_allowed");
            data.Add(transport, "null", "origin_null");
            data.Add(transport, "https://App.example.com", "origin_malformed");
            data.Add(transport, "https://app.example.com/", "origin_malformed");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedOrigins))]
    public async Task A_handshake_from_an_origin_the_policy_allows_opens_and_receives_the_servers_message(WebSocketTransport transport, string origin)
    {
        await using var host = await Start(transport);

        var outcome = await host.ConnectAsync("/ws/feed", origin);

        outcome.Opened.Should().BeTrue($"{origin} is allowed (status {outcome.Status})");
        outcome.Message.Should().Be("hello from /ws/feed");
        host.AppHandshakes.Should().Be(1);
        host.Measurements.Should().ContainSingle(m => m["corskit.kind"] == "websocket" && m["corskit.outcome"] == "allowed"
            && m["corskit.reason"] == "allowed" && m["corskit.policy"] == "default");
    }

    [Theory]
    [MemberData(nameof(RefusedOrigins))]
    public async Task A_handshake_from_an_origin_the_policy_does_not_allow_gets_403_before_the_app(
        WebSocketTransport transport, string origin, string reason)
    {
        await using var host = await Start(transport);

        var outcome = await host.ConnectAsync("/ws/feed", origin);

        outcome.Opened.Should().BeFalse($"{origin} is not allowed");
        outcome.Status.Should().Be(403);
        host.AppHandshakes.Should().Be(0, "a refused handshake never reaches the app");
        host.Measurements.Should().ContainSingle(m => m["corskit.kind"] == "websocket" && m["corskit.outcome"] == "refused"
            && m["corskit.reason"] == reason && m["corskit.policy"] == "default");
        host.Logs.Entries.Should().ContainSingle(e => e.Event.Name == "WebSocketRefused" && e.Event.Id == 17)
            .Which.Message.Should().Contain("refused with 403").And.Contain("policy 'default'");
    }

    [Theory]
    [InlineData(WebSocketTransport.TestServer)]
    [InlineData(WebSocketTransport.Kestrel)]
    [InlineData(WebSocketTransport.KestrelHttp2)]
    public async Task A_handshake_without_an_Origin_is_not_from_a_browser_page_and_passes(WebSocketTransport transport)
    {
        await using var host = await Start(transport);

        var outcome = await host.ConnectAsync("/ws/feed", origin: null);

        outcome.Opened.Should().BeTrue();
        outcome.Message.Should().Be("hello from /ws/feed");
        host.Measurements.Should().NotContain(m => m["corskit.kind"] == "websocket");
    }

    [Theory]
    [InlineData(WebSocketTransport.TestServer)]
    [InlineData(WebSocketTransport.Kestrel)]
    [InlineData(WebSocketTransport.KestrelHttp2)]
    public async Task A_page_of_the_servers_own_origin_may_open_a_WebSocket_although_the_policy_does_not_list_it(WebSocketTransport transport)
    {
        await using var host = await Start(transport);

        var outcome = await host.ConnectAsync("/ws/feed", host.OwnOrigin);

        outcome.Opened.Should().BeTrue($"{host.OwnOrigin} is the server's own origin");
        host.AppHandshakes.Should().Be(1);
    }

    [Theory]
    [InlineData(WebSocketTransport.Kestrel)]
    [InlineData(WebSocketTransport.KestrelHttp2)]
    public async Task A_page_on_the_same_host_but_another_port_is_another_origin_and_is_refused(WebSocketTransport transport)
    {
        await using var host = await Start(transport);
        var otherPort = $"http://127.0.0.1:{(host.HttpBase.Port == 1 ? 2 : host.HttpBase.Port - 1)}";

        var outcome = await host.ConnectAsync("/ws/feed", otherPort);

        outcome.Status.Should().Be(403);
    }

    [Fact]
    public async Task An_any_origin_policy_lets_every_origin_open_a_WebSocket()
    {
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.Kestrel, o => o.AddDefaultPolicy(p => p.AllowAnyOrigin()));

        foreach (var origin in new[] { "https://evil.example", "null", "https://app.example.com.evil.example" })
        {
            (await host.ConnectAsync("/ws/public", origin)).Opened.Should().BeTrue(origin);
        }

        host.AppHandshakes.Should().Be(3);
    }

    [Fact]
    public async Task Without_any_policy_a_handshake_passes_untouched_and_is_counted_as_ungoverned()
    {
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer, o => o.AddPolicy("unused", p => p.AllowOrigins(App)));

        var outcome = await host.ConnectAsync("/ws/feed", "https://evil.example");

        outcome.Opened.Should().BeTrue("CorsKit knows no trusted origins for this endpoint");
        host.Measurements.Should().ContainSingle(m => m["corskit.kind"] == "websocket" && m["corskit.reason"] == "no_policy");
    }

    [Fact]
    public async Task A_plain_request_from_a_refused_origin_still_reaches_the_app_only_handshakes_get_403()
    {
        await using var host = await Start(WebSocketTransport.TestServer);

        var response = await host.GetAsync("/ws/feed", "https://evil.example");

        ((int)response.StatusCode).Should().Be(200);
        (await response.Content.ReadAsStringAsync()).Should().Be("not a WebSocket request");
        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        host.Measurements.Should().ContainSingle(m => m["corskit.kind"] == "actual" && m["corskit.reason"] == "origin_not_allowed");
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("WebSocket")]
    [InlineData("WEBSOCKET")]
    [InlineData("h2c, websocket")]
    [InlineData("foo,\twebsocket")]
    public async Task Every_spelling_of_Upgrade_that_names_websocket_is_checked(string upgrade)
    {
        await using var host = await Start(WebSocketTransport.TestServer);

        var response = await host.SendHandshakeAsync("/ws/feed", ("Origin", "https://evil.example"), ("Upgrade", upgrade));

        ((int)response.StatusCode).Should().Be(403);
        host.AppHandshakes.Should().Be(0);
    }

    [Fact]
    public async Task A_handshake_without_Connection_upgrade_is_still_checked()
    {
        await using var host = await Start(WebSocketTransport.TestServer);

        var response = await host.SendHandshakeAsync("/ws/feed", ("Origin", "https://evil.example"), ("Connection", "keep-alive"));

        ((int)response.StatusCode).Should().Be(403);
    }

    [Fact]
    public async Task An_Upgrade_to_another_protocol_is_an_ordinary_CORS_request()
    {
        await using var host = await Start(WebSocketTransport.TestServer);

        var response = await host.SendHandshakeAsync("/ws/feed", ("Origin", "https://evil.example"), ("Upgrade", "h2c"));

        ((int)response.StatusCode).Should().Be(200);
        host.Measurements.Should().ContainSingle(m => m["corskit.kind"] == "actual");
    }

    [Fact]
    public async Task Two_Origin_headers_on_a_handshake_are_malformed_and_refused()
    {
        await using var host = await Start(WebSocketTransport.TestServer);

        var response = await host.SendHandshakeAsync("/ws/feed", ("Origin", App), ("Origin", "https://evil.example"));

        ((int)response.StatusCode).Should().Be(403);
        host.Measurements.Should().ContainSingle(m => m["corskit.kind"] == "websocket" && m["corskit.reason"] == "origin_malformed");
    }

    [Fact]
    public async Task An_allowed_handshake_is_logged_at_debug_level_with_its_own_event()
    {
        await using var host = await Start(WebSocketTransport.TestServer);

        await host.ConnectAsync("/ws/feed", App);

        host.Logs.Entries.Should().ContainSingle(e => e.Event.Name == "WebSocketAllowed" && e.Event.Id == 16)
            .Which.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Debug);
    }

    [Theory]
    [InlineData(WebSocketTransport.TestServer)]
    [InlineData(WebSocketTransport.Kestrel)]
    public async Task Debug_mode_explains_a_refused_handshake(WebSocketTransport transport)
    {
        await using var host = await WebSocketHost.StartAsync(transport, o =>
        {
            o.DebugMode = true;
            o.AddDefaultPolicy(p => p.AllowOrigins(App));
        });

        string? reason;
        if (transport == WebSocketTransport.TestServer)
        {
            var response = await host.SendHandshakeAsync("/ws/feed", ("Origin", "https://evil.example"));
            ((int)response.StatusCode).Should().Be(403);
            reason = response.Headers.GetValues("X-CorsKit-Reason").Single();
            response.Headers.Vary.Should().Contain("Origin");
        }
        else
        {
            var outcome = await host.ConnectAsync("/ws/feed", "https://evil.example");
            outcome.Status.Should().Be(403);
            reason = outcome.DebugReason;
        }

        reason.Should().Be("WebSocket handshake refused: origin 'https://evil.example' is not allowed by CorsKit policy 'default'");
    }

    [Fact]
    public async Task Outside_debug_mode_a_refusal_says_nothing_but_403()
    {
        await using var host = await Start(WebSocketTransport.TestServer);

        var response = await host.SendHandshakeAsync("/ws/feed", ("Origin", "https://evil.example"));

        ((int)response.StatusCode).Should().Be(403);
        response.Headers.Contains("X-CorsKit-Reason").Should().BeFalse();
        (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task UseWebSockets_after_UseCorsKit_is_protected_as_well()
    {
        await using var host = await WebSocketHost.StartAsync(
            WebSocketTransport.Kestrel, o => o.AddDefaultPolicy(p => p.AllowOrigins(App)), webSocketsAfterCorsKit: true);

        (await host.ConnectAsync("/ws/late", "https://evil.example")).Status.Should().Be(403);
        (await host.ConnectAsync("/ws/late", App)).Opened.Should().BeTrue();
    }
}
