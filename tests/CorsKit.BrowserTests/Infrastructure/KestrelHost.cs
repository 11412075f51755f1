using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with ports the OS picks, so the browser talks to it over real sockets. Several
/// ports give several origins of one server.
/// </summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, IReadOnlyList<int> ports)
    {
        _app = app;
        Ports = ports;
    }

    /// <summary>The bound ports.</summary>
    public IReadOnlyList<int> Ports { get; }

    public static async Task<KestrelHost> StartAsync(int portCount, Action<WebApplicationBuilder> configureServices, Action<WebApplication> configurePipeline)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            for (var i = 0; i < portCount; i++) kestrel.Listen(IPAddress.Loopback, 0);
        });
        configureServices(builder);
        var app = builder.Build();
        configurePipeline(app);
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var ports = addresses.Select(address => new Uri(address).Port).ToArray();
        return new KestrelHost(app, ports);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
