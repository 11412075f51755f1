using System.Diagnostics.Metrics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests.Infrastructure;

/// <summary>Where a WebSocket test app runs: in memory (TestServer's WebSocket client) or on Kestrel over loopback.</summary>
public enum WebSocketTransport
{
    TestServer,
    Kestrel,

    /// <summary>Kestrel, HTTP/2 only (prior knowledge): the handshake is an extended CONNECT with :protocol websocket.</summary>
    KestrelHttp2,
}

/// <summary>What a handshake came to: opened (and the first message the server sent), or the status it was refused with.</summary>
internal sealed record HandshakeOutcome(bool Opened, int Status, string? Message, string? DebugReason);

/// <summary>
/// An app with <c>UseWebSockets()</c>, <c>UseCorsKit()</c> and WebSocket endpoints that accept, send "hello from {path}"
/// and close. Counts the handshakes that reached the app, collects CorsKit's log events and <c>corskit.requests</c>.
/// </summary>
internal sealed class WebSocketHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MeterListener _listener;
    private readonly List<Dictionary<string, string?>> _measurements = [];
    private int _appHandshakes;

    private WebSocketHost(WebApplication app, WebSocketTransport transport, ListLoggerProvider logs)
    {
        _app = app;
        Transport = transport;
        Logs = logs;
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CorsKit" && instrument.Meter.Scope == factory) listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags) copy[tag.Key] = tag.Value as string;
            lock (_measurements) _measurements.Add(copy);
        });
        _listener.Start();
    }

    public WebSocketTransport Transport { get; }

    public ListLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Handshakes that reached an endpoint (refused ones never do).</summary>
    public int AppHandshakes => Volatile.Read(ref _appHandshakes);

    public IReadOnlyList<Dictionary<string, string?>> Measurements
    {
        get
        {
            lock (_measurements) return [.. _measurements];
        }
    }

    /// <summary>http://127.0.0.1:port on Kestrel, http://localhost in memory.</summary>
    public Uri HttpBase { get; private set; } = null!;

    /// <summary>The origin of a page served by this very server.</summary>
    public string OwnOrigin => HttpBase.GetLeftPart(UriPartial.Authority);

    public static async Task<WebSocketHost> StartAsync(
        WebSocketTransport transport,
        Action<CorsKitOptions> configure,
        Action<WebApplication>? endpoints = null,
        Action<IServiceCollection>? services = null,
        bool webSocketsAfterCorsKit = false,
        string? pipelinePolicy = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        if (transport == WebSocketTransport.TestServer)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
                l.Protocols = transport == WebSocketTransport.KestrelHttp2 ? HttpProtocols.Http2 : HttpProtocols.Http1));
        }

        var logs = new ListLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddCorsKit(configure);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        var host = new WebSocketHost(app, transport, logs);
        if (!webSocketsAfterCorsKit) app.UseWebSockets();
        if (pipelinePolicy is null) app.UseCorsKit();
        else app.UseCorsKit(pipelinePolicy);
        if (webSocketsAfterCorsKit) app.UseWebSockets();
        app.Use((context, next) =>
        {
            if (context.WebSockets.IsWebSocketRequest) Interlocked.Increment(ref host._appHandshakes);
            return next(context);
        });
        if (endpoints is null) app.Map("/ws/{**rest}", Hello);
        else endpoints(app);
        await app.StartAsync();
        host.HttpBase = transport == WebSocketTransport.TestServer
            ? new Uri("http://localhost/")
            : new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        return host;
    }

    /// <summary>The endpoint every test app maps: accepts, sends "hello from {path}", closes.</summary>
    public static async Task Hello(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Text("not a WebSocket request").ExecuteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var message = Encoding.UTF8.GetBytes($"hello from {context.Request.Path}");
        await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
    }

    /// <summary>Opens a WebSocket to <paramref name="path"/> with the given Origin (none when null), reads the first message.</summary>
    public async Task<HandshakeOutcome> ConnectAsync(string path, string? origin)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var uri = new Uri(new Uri(HttpBase.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), path);
        if (Transport == WebSocketTransport.TestServer)
        {
            var client = _app.GetTestServer().CreateWebSocketClient();
            client.ConfigureRequest = request =>
            {
                if (origin is not null) request.Headers.Origin = origin;
            };
            WebSocket socket;
            try
            {
                socket = await client.ConnectAsync(uri, timeout.Token);
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("Incomplete handshake, status code: ", StringComparison.Ordinal))
            {
                return new HandshakeOutcome(false, int.Parse(ex.Message["Incomplete handshake, status code: ".Length..]), null, null);
            }

            using (socket) return new HandshakeOutcome(true, 101, await ReceiveAsync(socket, timeout.Token), null);
        }

        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        if (origin is not null) ws.Options.SetRequestHeader("Origin", origin);
        HttpMessageInvoker? invoker = null;
        if (Transport == WebSocketTransport.KestrelHttp2)
        {
            ws.Options.HttpVersion = HttpVersion.Version20;
            ws.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        }

        try
        {
            await ws.ConnectAsync(uri, invoker, timeout.Token);
        }
        catch (WebSocketException)
        {
            var reason = ws.HttpResponseHeaders?.TryGetValue("X-CorsKit-Reason", out var values) == true ? values.Single() : null;
            return new HandshakeOutcome(false, (int)ws.HttpStatusCode, null, reason);
        }
        finally
        {
            invoker?.Dispose();
        }

        return new HandshakeOutcome(true, (int)ws.HttpStatusCode, await ReceiveAsync(ws, timeout.Token), null);
    }

    /// <summary>A handshake sent as a plain HTTP request (in memory), to see CorsKit's refusal headers and odd header shapes.</summary>
    public Task<HttpResponseMessage> SendHandshakeAsync(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (!request.Headers.Contains("Upgrade")) request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        return _app.GetTestClient().SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        return _app.GetTestClient().SendAsync(request);
    }

    private static async Task<string> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _app.DisposeAsync();
    }
}
