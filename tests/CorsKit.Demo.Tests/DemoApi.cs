using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Demo.Tests;

/// <summary>The demo's API exactly as <c>ApiApp.Build</c> makes it, with its appsettings.json, on TestServer.</summary>
internal sealed class DemoApi : IAsyncDisposable
{
    public const string AllowedPage = "http://127.0.0.1:5101";
    public const string RefusedPage = "http://127.0.0.1:5102";
    public const string AdminConsole = "https://admin.example.com";

    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private DemoApi(WebApplication app)
    {
        _app = app;
        _client = app.GetTestClient();
    }

    public RequestLog Log => _app.Services.GetRequiredService<RequestLog>();

    public static async Task<DemoApi> StartAsync(DemoPorts? ports = null)
    {
        var app = ApiApp.Build([], ports ?? DemoPorts.Defaults, builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
        });
        await app.StartAsync();
        return new DemoApi(app);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await _client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method, string? requestHeaders = null) =>
        SendAsync(HttpMethod.Options, path, json: null, requestHeaders is null
            ? [("Origin", origin), ("Access-Control-Request-Method", method)]
            : [("Origin", origin), ("Access-Control-Request-Method", method), ("Access-Control-Request-Headers", requestHeaders)]);

    /// <summary>Opens the demo's WebSocket (/api/live) from a page at <paramref name="origin"/>: its first message, or the refusal's status.</summary>
    public async Task<(string? Message, int Status)> ConnectAsync(string origin)
    {
        var client = _app.GetTestServer().CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = origin;
        System.Net.WebSockets.WebSocket socket;
        try
        {
            socket = await client.ConnectAsync(new Uri("ws://localhost/api/live"), CancellationToken.None);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Incomplete handshake, status code: ", StringComparison.Ordinal))
        {
            return (null, int.Parse(ex.Message["Incomplete handshake, status code: ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }

        using (socket)
        {
            var buffer = new byte[512];
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            return (System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count), 101);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }
}

internal static class ResponseHeaders
{
    /// <summary>The header's value, from the response or its content headers; null when absent.</summary>
    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
