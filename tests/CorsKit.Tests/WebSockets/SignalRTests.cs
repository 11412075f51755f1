using System.Collections.Concurrent;
using System.Net;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Tests.WebSockets;

/// <summary>
/// SignalR end to end with the real .NET client over Kestrel on loopback: the negotiate request is a credentialed CORS
/// request, the WebSocket transport is checked by origin, Server-Sent Events and long polling are CORS requests.
/// </summary>
public sealed class SignalRTests
{
    private const string App = "https://app.example.com";
    private const string Evil = "https://evil.example";

    /// <summary>The hub: echoes, and counts the connections that reached it.</summary>
    public sealed class ChatHub(ConnectionCount count) : Hub
    {
        public string Echo(string text) => $"echo: {text}";

        public override Task OnConnectedAsync()
        {
            count.Add(Context.Features.Get<Microsoft.AspNetCore.Http.Connections.Features.IHttpTransportFeature>()!.TransportType);
            return base.OnConnectedAsync();
        }
    }

    public sealed class ConnectionCount
    {
        public ConcurrentQueue<HttpTransportType> Transports { get; } = new();

        public void Add(HttpTransportType transport) => Transports.Enqueue(transport);
    }

    /// <summary>Keeps every HTTP response the client received (negotiate, SSE, long polling).</summary>
    private sealed class Recorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public ConcurrentQueue<(string Path, HttpResponseMessage Response)> Responses { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Responses.Enqueue((request.RequestUri!.AbsolutePath, response));
            return response;
        }
    }

    private static Task<WebSocketHost> Start() => WebSocketHost.StartAsync(WebSocketTransport.Kestrel,
        o => o.AddDefaultPolicy(p => p.AllowOrigins(App).AllowCredentials().AllowRequestHeaders("x-requested-with", "x-signalr-user-agent")),
        app => app.MapHub<ChatHub>("/hubs/chat"),
        services =>
        {
            services.AddSignalR();
            services.AddSingleton<ConnectionCount>();
        });

    private static (HubConnection Connection, Func<Recorder?> Recorder) Client(WebSocketHost host, string origin, HttpTransportType transport)
    {
        Recorder? recorder = null;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.HttpBase, "/hubs/chat"), transport, options =>
            {
                options.Headers["Origin"] = origin;
                options.Cookies.Add(new Cookie("session", "user-1", "/", host.HttpBase.Host));
                options.HttpMessageHandlerFactory = inner => recorder = new Recorder(inner);
            })
            .Build();
        return (connection, () => recorder);
    }

    [Fact]
    public async Task Negotiate_is_a_credentialed_CORS_request_answered_for_the_allowed_origin_only()
    {
        await using var host = await Start();
        foreach (var (origin, allowed) in new[] { (App, true), (Evil, false) })
        {
            var (connection, recorder) = Client(host, origin, HttpTransportType.LongPolling);
            await using (connection)
            {
                await connection.StartAsync();
                await connection.StopAsync();
            }

            var negotiate = recorder()!.Responses.First(r => r.Path.EndsWith("/negotiate", StringComparison.Ordinal)).Response;
            if (allowed)
            {
                negotiate.Single("Access-Control-Allow-Origin").Should().Be(App);
                negotiate.Single("Access-Control-Allow-Credentials").Should().Be("true");
            }
            else
            {
                negotiate.ShouldHaveNoCorsHeaders();
            }

            negotiate.VaryTokens().Should().Contain("Origin");
        }
    }

    [Fact]
    public async Task The_WebSocket_transport_from_an_allowed_origin_connects_and_calls_the_hub()
    {
        await using var host = await Start();
        var (connection, _) = Client(host, App, HttpTransportType.WebSockets);
        await using (connection)
        {
            await connection.StartAsync();
            (await connection.InvokeAsync<string>("Echo", "hi")).Should().Be("echo: hi");
        }

        host.Services.GetRequiredService<ConnectionCount>().Transports.Should().Equal(HttpTransportType.WebSockets);
        host.Measurements.Should().ContainSingle(m => m["corskit.kind"] == "websocket" && m["corskit.outcome"] == "allowed");
    }

    [Fact]
    public async Task The_WebSocket_transport_from_a_refused_origin_is_refused_and_never_reaches_the_hub()
    {
        await using var host = await Start();
        var (connection, _) = Client(host, Evil, HttpTransportType.WebSockets);
        await using (connection)
        {
            var start = () => connection.StartAsync();
            var failure = (await start.Should().ThrowAsync<AggregateException>()).Which;
            failure.InnerExceptions.Should().Contain(e => e.Message == "WebSockets failed: The server returned status code '403' when status code '101' "
                + "was expected.");
        }

        host.Services.GetRequiredService<ConnectionCount>().Transports.Should().BeEmpty();
        host.Measurements.Should().ContainSingle(m => m["corskit.kind"] == "websocket" && m["corskit.reason"] == "origin_not_allowed");
        host.Logs.Entries.Should().Contain(e => e.Event.Name == "WebSocketRefused");
    }

    [Fact]
    public async Task A_hub_with_its_own_policy_is_checked_against_that_policy()
    {
        await using var host = await WebSocketHost.StartAsync(WebSocketTransport.Kestrel,
            o =>
            {
                o.AddDefaultPolicy(p => p.AllowOrigins(Evil));
                o.AddPolicy("chat", p => p.AllowOrigins(App).AllowCredentials());
            },
            app => app.MapHub<ChatHub>("/hubs/chat").RequireCorsKit("chat"),
            services =>
            {
                services.AddSignalR();
                services.AddSingleton<ConnectionCount>();
            });

        var (allowed, _) = Client(host, App, HttpTransportType.WebSockets);
        await using (allowed)
        {
            await allowed.StartAsync();
            (await allowed.InvokeAsync<string>("Echo", "chat")).Should().Be("echo: chat");
        }

        var (refused, _) = Client(host, Evil, HttpTransportType.WebSockets);
        await using (refused)
        {
            var start = () => refused.StartAsync();
            await start.Should().ThrowAsync<AggregateException>("the default policy allows Evil, the hub's own does not");
        }

        host.Measurements.Where(m => m["corskit.kind"] == "websocket").Select(m => (m["corskit.outcome"], m["corskit.policy"]))
            .Should().Equal(("allowed", "chat"), ("refused", "chat"));
    }

    [Theory]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Server_sent_events_and_long_polling_are_CORS_requests(HttpTransportType transport)
    {
        await using var host = await Start();
        foreach (var (origin, allowed) in new[] { (App, true), (Evil, false) })
        {
            var (connection, recorder) = Client(host, origin, transport);
            await using (connection)
            {
                await connection.StartAsync();
                (await connection.InvokeAsync<string>("Echo", origin)).Should().Be($"echo: {origin}");
                await connection.StopAsync();
            }

            // The .NET client reads any answer; a browser reads only those that name its origin.
            var transportResponses = recorder()!.Responses.Where(r => !r.Path.EndsWith("/negotiate", StringComparison.Ordinal)).ToArray();
            transportResponses.Should().NotBeEmpty();
            foreach (var (_, response) in transportResponses)
            {
                if (allowed) response.Single("Access-Control-Allow-Origin").Should().Be(App);
                else response.Header("Access-Control-Allow-Origin").Should().BeEmpty();
            }
        }

        host.Measurements.Should().NotContain(m => m["corskit.kind"] == "websocket");
        host.Measurements.Should().Contain(m => m["corskit.kind"] == "actual" && m["corskit.reason"] == "origin_not_allowed");
    }
}
