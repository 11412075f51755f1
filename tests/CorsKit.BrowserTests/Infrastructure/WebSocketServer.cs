using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// The API for the WebSocket scenarios, on Kestrel at <c>{ws}</c>: <c>UseWebSockets()</c>, <c>UseCorsKit()</c> with a
/// credentialed policy for <c>http://app.localhost:{page}</c> and <c>http://*.trusted.localhost:{page}</c>, a raw
/// WebSocket endpoint <c>/ws</c> that sends one message, a SignalR hub <c>/hubs/chat</c>, and the SignalR JavaScript
/// client (npm's <c>@microsoft/signalr</c>, <see cref="SignalRClientVersion"/>) at <c>/signalr.min.js</c>.
/// </summary>
internal sealed class WebSocketServer : IAsyncDisposable
{
    public const string Greeting = "hello from CorsKit's WebSocket server";

    /// <summary>The SignalR JavaScript client served to the pages: the npm package matching the server's major version.</summary>
    public const string SignalRClientVersion = "10.0.11";

    private readonly KestrelHost _host;

    private WebSocketServer(KestrelHost host) => _host = host;

    public int Port => _host.Ports[0];

    /// <summary>The hub: echoes what a page sends.</summary>
    public sealed class ChatHub : Hub
    {
        public string Echo(string text) => $"echo: {text}";
    }

    public static async Task<WebSocketServer> StartAsync(PortNames ports, RequestLog log)
    {
        var client = await SignalRClientAsync();
        var host = await KestrelHost.StartAsync(
            portCount: 1,
            configureServices: builder =>
            {
                builder.Services.AddCorsKit(options => options.AddDefaultPolicy(policy => policy
                    .AllowOrigins(ports.Expand("http://app.localhost:{page}"), ports.Expand("http://*.trusted.localhost:{page}"))
                    .AllowCredentials()
                    .AllowRequestHeaders("x-requested-with", "x-signalr-user-agent")));
                builder.Services.AddSignalR();
            },
            configurePipeline: app =>
            {
                ApiServer.UseRequestLog(app, log);
                app.UseWebSockets();
                app.UseCorsKit();
                app.Map("/ws", GreetAsync);
                app.MapHub<ChatHub>("/hubs/chat");
                app.MapGet("/signalr.min.js", () => Results.Content(client, "text/javascript; charset=utf-8"));
            });
        return new WebSocketServer(host);
    }

    private static async Task GreetAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await socket.SendAsync(Encoding.UTF8.GetBytes(Greeting), WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted);
        try
        {
            // The page closes once it has the message.
            var buffer = new byte[64];
            while (!(await socket.ReceiveAsync(buffer, context.RequestAborted)).CloseStatus.HasValue)
            {
            }

            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The browser went away without a close frame.
        }
    }

    /// <summary>
    /// The browser build of <c>@microsoft/signalr</c>, installed once per machine with npm's own client into the
    /// temporary folder (it is not vendored in the repository). Fails, never skips, without npm or the registry.
    /// </summary>
    private static async Task<string> SignalRClientAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"corskit-browser-signalr-{SignalRClientVersion}");
        var script = Path.Combine(folder, "node_modules", "@microsoft", "signalr", "dist", "browser", "signalr.min.js");
        if (!File.Exists(script))
        {
            Directory.CreateDirectory(folder);
            var start = new ProcessStartInfo("npm", ["install", "--prefix", folder, "--no-audit", "--no-fund", "--ignore-scripts",
                $"@microsoft/signalr@{SignalRClientVersion}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process npm;
            try
            {
                npm = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException("The SignalR browser scenarios need npm to install @microsoft/signalr: "
                    + "install it (apt-get install -y npm) or put it on PATH.", ex);
            }

            using (npm)
            {
                var output = npm.StandardOutput.ReadToEndAsync();
                var errors = npm.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await npm.WaitForExitAsync(timeout.Token);
                if (npm.ExitCode != 0 || !File.Exists(script))
                {
                    throw new InvalidOperationException(
                        $"npm install @microsoft/signalr@{SignalRClientVersion} failed ({npm.ExitCode}): {await output} {await errors}");
                }
            }
        }

        return await File.ReadAllTextAsync(script);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>
/// Starts <see cref="WebSocketServer"/> once for the WebSocket scenarios and names its port <c>{ws}</c> in the
/// browser fixture's ports (the fixture itself stays as it is).
/// </summary>
public sealed class WebSocketServerFixture : IAsyncLifetime, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebSocketServer? _server;

    internal async Task EnsureStartedAsync(BrowserFixture browser)
    {
        await _gate.WaitAsync();
        try
        {
            if (_server is not null) return;
            _server = await WebSocketServer.StartAsync(browser.Ports, browser.Log);
            browser.Ports.Add("ws", _server.Port);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _server = null;
    }

    public void Dispose() => _gate.Dispose();
}
