using CorsKit.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Tests.WebSockets;

/// <summary>The explain API answers for a WebSocket handshake what the middleware does with it.</summary>
public sealed class WebSocketExplainTests
{
    private const string App = "https://app.example.com";

    public static TheoryData<bool, string?> Cases()
    {
        var data = new TheoryData<bool, string?>();
        foreach (var debug in new[] { false, true })
        {
            foreach (var origin in new[] { App, "https://a.example.net", "https://evil.example", "https://app.example.com.evil.example", "null",
                         "https://app.example.com/", null })
            {
                data.Add(debug, origin);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_explanation_of_a_handshake_matches_the_wire(bool debug, string? origin)
    {
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer, o =>
        {
            o.DebugMode = debug;
            o.AddDefaultPolicy(p => p.AllowOrigins(App, "https://*.example.net").AllowCredentials());
        });
        var response = origin is null ? await host.SendHandshakeAsync("/ws/x") : await host.SendHandshakeAsync("/ws/x", ("Origin", origin));

        var explanation = host.Services.GetRequiredService<ICorsKitExplainer>()
            .Explain((string?)null, new CorsKitRequestFacts { Origin = origin, IsWebSocket = true });

        var refused = (int)response.StatusCode == 403;
        explanation.Allowed.Should().Be(!refused);
        explanation.StatusCode.Should().Be(refused ? 403 : null);
        explanation.Csrf.Should().BeNull();
        var wire = response.Headers.Where(h => h.Key is "Vary" or "X-CorsKit-Reason").SelectMany(h => h.Value.Select(v => $"{h.Key}: {v}"));
        explanation.Headers.Select(h => $"{h.Key}: {h.Value}").Should().Equal(wire);
        if (refused) explanation.Message.Should().StartWith("WebSocket handshake refused: ").And.Contain("403 before the app");
    }

    [Fact]
    public async Task The_explanation_names_the_opt_out_and_the_resolver_it_cannot_consult()
    {
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer, o =>
        {
            o.AddPolicy("feed", p => p.AllowOrigins(App).AllowAnyOriginForWebSockets());
            o.AddPolicy("public", p => p.AllowAnyOrigin());
        });
        var explainer = host.Services.GetRequiredService<ICorsKitExplainer>();
        var stranger = new CorsKitRequestFacts { Origin = "https://stranger.example", IsWebSocket = true };

        explainer.Explain("feed", stranger).Message.Should().Contain("any origin").And.Contain("AllowAnyOriginForWebSockets");
        explainer.Explain("public", stranger).Message.Should().Contain("it allows any origin");
        var withResolver = new CorsKitPolicyBuilder().AllowOrigins(App).AllowOriginsFrom<NoResolver>().Build("tenants");
        explainer.Explain(withResolver, stranger).Message.Should().Contain("origin resolver (NoResolver)");
    }

    [Fact]
    public async Task A_request_cannot_be_both_a_preflight_and_a_handshake()
    {
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer, o => o.AddDefaultPolicy(p => p.AllowOrigins(App)));

        var act = () => host.Services.GetRequiredService<ICorsKitExplainer>()
            .Explain((string?)null, new CorsKitRequestFacts { Origin = App, IsWebSocket = true, IsPreflight = true });

        act.Should().Throw<ArgumentException>().WithMessage("*preflight or a WebSocket handshake, not both*");
    }

    private sealed class NoResolver : ICorsKitOriginResolver
    {
        public ValueTask<bool> IsAllowedAsync(string origin, Microsoft.AspNetCore.Http.HttpContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(false);
    }
}
