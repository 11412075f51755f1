using System.Collections.Concurrent;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Tests.WebSockets;

/// <summary>
/// Which policy governs a handshake (the same resolution order as CORS requests: endpoint attribute or convention,
/// inline policy, disabled endpoint, default), the opt-out, the run-time resolver and its cache, and configuration.
/// </summary>
public sealed class WebSocketPolicyTests
{
    private const string App = "https://app.example.com";
    private const string Partner = "https://partner.example";
    private const string Inline = "https://inline.example";
    private const string Stranger = "https://stranger.example";

    private static Task<WebSocketHost> StartWithEndpoints(WebSocketTransport transport = WebSocketTransport.TestServer) =>
        WebSocketHost.StartAsync(transport, o =>
            {
                o.AddDefaultPolicy(p => p.AllowOrigins(App).AllowCredentials());
                o.AddPolicy("partner", p => p.AllowOrigins(Partner));
                o.AddPolicy("feed", p => p.AllowOrigins(App).AllowAnyOriginForWebSockets());
                o.AddPolicy("admin", p => p.AllowOrigins("https://admin.example")); // named by the other test controllers
            },
            app =>
            {
                app.Map("/ws/default", WebSocketHost.Hello);
                app.Map("/ws/partner", WebSocketHost.Hello).RequireCorsKit("partner");
                app.Map("/ws/inline", WebSocketHost.Hello).RequireCorsKit(p => p.AllowOrigins(Inline));
                app.Map("/ws/off", WebSocketHost.Hello).DisableCorsKit();
                app.Map("/ws/feed", WebSocketHost.Hello).RequireCorsKit("feed");
                app.MapGroup("/ws/group").RequireCorsKit("partner").Map("/hub", WebSocketHost.Hello);
                app.MapControllers();
            },
            services => services.AddControllers().AddApplicationPart(typeof(WebSocketController).Assembly));

    [Theory]
    [InlineData("/ws/default", App, true)]
    [InlineData("/ws/default", Partner, false)]
    [InlineData("/ws/partner", Partner, true)]
    [InlineData("/ws/partner", App, false)]
    [InlineData("/ws/group/hub", Partner, true)]
    [InlineData("/ws/group/hub", App, false)]
    [InlineData("/ws/inline", Inline, true)]
    [InlineData("/ws/inline", App, false)]
    [InlineData("/ws/mvc", Partner, true)]
    [InlineData("/ws/mvc", App, false)]
    public async Task The_endpoints_policy_decides_its_handshakes(string path, string origin, bool opens)
    {
        await using var host = await StartWithEndpoints();

        var outcome = await host.ConnectAsync(path, origin);

        outcome.Opened.Should().Be(opens, $"{origin} at {path}");
        if (opens) outcome.Message.Should().Be($"hello from {path}");
        else outcome.Status.Should().Be(403);
    }

    [Theory]
    [InlineData(WebSocketTransport.TestServer)]
    [InlineData(WebSocketTransport.Kestrel)]
    public async Task A_disabled_endpoint_refuses_every_cross_origin_handshake_and_lets_its_own_origin_in(WebSocketTransport transport)
    {
        await using var host = await StartWithEndpoints(transport);

        foreach (var path in new[] { "/ws/off", "/ws/mvc/off" })
        {
            (await host.ConnectAsync(path, App)).Status.Should().Be(403, $"{path} disables CorsKit: no cross-origin page may connect");
            (await host.ConnectAsync(path, Stranger)).Status.Should().Be(403);
            (await host.ConnectAsync(path, host.OwnOrigin)).Opened.Should().BeTrue("the server's own pages may connect");
            (await host.ConnectAsync(path, null)).Opened.Should().BeTrue("a client without Origin is not a browser page");
        }

        host.Measurements.Where(m => m["corskit.kind"] == "websocket" && m["corskit.reason"] == "endpoint_disabled").Should().HaveCount(4);
    }

    [Fact]
    public async Task The_opt_out_lets_any_origin_open_a_WebSocket_to_its_endpoints_only()
    {
        await using var host = await StartWithEndpoints();

        foreach (var origin in new[] { Stranger, "null", "https://app.example.com.evil.example" })
        {
            (await host.ConnectAsync("/ws/feed", origin)).Opened.Should().BeTrue(origin);
            (await host.ConnectAsync("/ws/default", origin)).Status.Should().Be(403, "the default policy does not opt out");
        }
    }

    [Fact]
    public async Task The_opt_out_does_not_change_what_CORS_requests_get()
    {
        await using var host = await StartWithEndpoints();

        var response = await host.GetAsync("/ws/feed", Stranger);

        response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse("the feed policy still allows only its origins to read");
    }

    [Fact]
    public async Task The_opt_out_is_read_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream("""
            { "CorsKit": { "DefaultPolicy": "feed", "Policies": { "feed": { "Origins": [ "https://app.example.com" ], "AllowAnyOriginForWebSockets": true } } } }
            """u8.ToArray())).Build();
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer, _ => { },
            services: s => s.AddCorsKit(configuration.GetSection("CorsKit")));

        (await host.ConnectAsync("/ws/x", Stranger)).Opened.Should().BeTrue();
        host.Services.GetRequiredService<ICorsKitExplainer>().Explain("feed", new CorsKitRequestFacts { Origin = Stranger, IsWebSocket = true })
            .Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task A_misshapen_opt_out_stops_the_start_naming_key_and_fix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:Policies:web:Origins:0"] = App,
            ["CorsKit:Policies:web:AllowAnyOriginForWebSockets"] = "public",
        }).Build();
        var act = async () =>
        {
            await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer, _ => { },
                services: s => s.AddCorsKit(configuration.GetSection("CorsKit")));
        };

        (await act.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Errors.Should().ContainSingle()
            .Which.ToString().Should().Contain("policy 'web', AllowAnyOriginForWebSockets value 'public': Not a boolean.")
            .And.Contain("Write true or false.");
    }

    [Fact]
    public void The_opt_out_together_with_credentials_is_accepted_with_a_warning()
    {
        var policy = new CorsKitPolicyBuilder().AllowOrigins(App).AllowCredentials().AllowAnyOriginForWebSockets().Build("chat");

        policy.AllowsAnyOriginForWebSockets.Should().BeTrue();
        policy.Warnings.Should().ContainSingle().Which.Should().Contain("AllowAnyOriginForWebSockets").And.Contain("cross-site WebSocket hijacking");
    }

    [Fact]
    public void A_policy_checks_WebSocket_origins_unless_it_opts_out_or_allows_any_origin()
    {
        new CorsKitPolicyBuilder().AllowOrigins(App).Build().AllowsAnyOriginForWebSockets.Should().BeFalse();
        new CorsKitPolicyBuilder().AllowAnyOrigin().Build().AllowsAnyOriginForWebSockets.Should().BeTrue();
        new CorsKitPolicyBuilder().AllowOrigins(App).AllowAnyOriginForWebSockets().AllowAnyOriginForWebSockets(false).Build()
            .AllowsAnyOriginForWebSockets.Should().BeFalse();
    }

    /// <summary>Allows the origins a test names; counts its calls.</summary>
    private sealed class TenantResolver : ICorsKitOriginResolver
    {
        public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Allowed { get; } = new(StringComparer.Ordinal) { "https://shop.tenant.example" };

        public bool Throw { get; set; }

        public ValueTask<bool> IsAllowedAsync(string origin, HttpContext context, CancellationToken cancellationToken)
        {
            Calls.AddOrUpdate(origin, 1, (_, n) => n + 1);
            if (Throw) throw new InvalidOperationException("database down");
            return ValueTask.FromResult(Allowed.Contains(origin));
        }
    }

    [Theory]
    [InlineData(WebSocketTransport.TestServer)]
    [InlineData(WebSocketTransport.Kestrel)]
    public async Task A_resolvers_origins_may_open_WebSockets_and_its_answers_are_cached(WebSocketTransport transport)
    {
        var resolver = new TenantResolver();
        await using var host = await WebSocketHost.StartAsync(transport, o => o.AddDefaultPolicy(p => p.AllowOrigins(App).AllowOriginsFrom<TenantResolver>()),
            services: s => s.AddSingleton(resolver));

        (await host.ConnectAsync("/ws/t", "https://shop.tenant.example")).Opened.Should().BeTrue();
        (await host.ConnectAsync("/ws/t", "https://shop.tenant.example")).Opened.Should().BeTrue();
        (await host.ConnectAsync("/ws/t", Stranger)).Status.Should().Be(403);
        (await host.ConnectAsync("/ws/t", Stranger)).Status.Should().Be(403);
        (await host.ConnectAsync("/ws/t", App)).Opened.Should().BeTrue();
        (await host.ConnectAsync("/ws/t", "null")).Status.Should().Be(403);

        resolver.Calls.Should().BeEquivalentTo(new Dictionary<string, int> { ["https://shop.tenant.example"] = 1, [Stranger] = 1 },
            "answers are cached, the allowlist is asked first, and null never reaches the resolver");
    }

    [Fact]
    public async Task A_resolver_that_fails_refuses_the_handshake()
    {
        var resolver = new TenantResolver { Throw = true };
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer,
            o => o.AddDefaultPolicy(p => p.AllowOrigins(App).AllowOriginsFrom<TenantResolver>()), services: s => s.AddSingleton(resolver));

        (await host.ConnectAsync("/ws/t", "https://shop.tenant.example")).Status.Should().Be(403);
        host.Measurements.Should().Contain(m => m["corskit.kind"] == "websocket" && m["corskit.reason"] == "resolver_failed");
        host.AppHandshakes.Should().Be(0);
    }

    [Fact]
    public async Task Origins_from_the_origin_store_may_open_WebSockets_and_leave_with_it()
    {
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer, o => o.AddPolicy("web", p => p.AllowOrigins(App)),
            pipelinePolicy: "web");
        var store = host.Services.GetRequiredService<ICorsKitStoreOrigins>();
        const string Tenant = "https://shop.tenant.example";

        (await host.ConnectAsync("/ws/t", Tenant)).Status.Should().Be(403);
        store.Replace([new CorsKitStoreOrigin("web", Tenant)], "test").Accepted.Should().Be(1);
        (await host.ConnectAsync("/ws/t", Tenant)).Opened.Should().BeTrue("the store's origins are the policy's origins");
        store.Replace([], "test");
        (await host.ConnectAsync("/ws/t", Tenant)).Status.Should().Be(403);
    }

    [Fact]
    public async Task A_handshake_follows_the_policy_named_in_UseCorsKit()
    {
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.TestServer, o =>
        {
            o.AddDefaultPolicy(p => p.AllowOrigins(App));
            o.AddPolicy("partner", p => p.AllowOrigins(Partner));
        }, pipelinePolicy: "partner");

        (await host.ConnectAsync("/ws/any", Partner)).Opened.Should().BeTrue();
        (await host.ConnectAsync("/ws/any", App)).Status.Should().Be(403, "UseCorsKit(\"partner\") comes before the default policy");
    }
}
