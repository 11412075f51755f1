using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Cli.Tests.Audit.Infrastructure;

/// <summary>One request as the server saw it: when it started, and what it asked.</summary>
internal sealed record SeenRequest(TimeSpan Started, string Method, string PathAndQuery, string? Origin);

/// <summary>
/// A Kestrel server on 127.0.0.1 and a free port, whose first middleware records every request and how many were in
/// flight at once, so tests can hold the audit to its budget, its rate and one request at a time.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<SeenRequest> _seen = [];
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _inFlight;
    private int _maxInFlight;

    private LoopbackServer(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>A delay in every response, so that overlapping requests would overlap visibly.</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<SeenRequest> Seen
    {
        get
        {
            lock (_lock) return [.. _seen];
        }
    }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public string Url(string path) => new Uri(BaseUrl, path).AbsoluteUri;

    public string WebSocketUrl(string path) => new UriBuilder(new Uri(BaseUrl, path)) { Scheme = "ws" }.Uri.AbsoluteUri;

    /// <summary>Starts a server: <paramref name="services"/> registers services, <paramref name="pipeline"/> builds the app.</summary>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> pipeline, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Use(server.RecordAsync);
        pipeline(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseUrl = new Uri(address);
        return server;
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin;
        lock (_lock)
        {
            _seen.Add(new SeenRequest(_clock.Elapsed, context.Request.Method, context.Request.Path + context.Request.QueryString,
                origin.Count == 0 ? null : origin.ToString()));
        }
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }
        try
        {
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay, context.RequestAborted);
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
