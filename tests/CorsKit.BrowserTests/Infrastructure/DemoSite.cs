using CorsKit.BrowserTests.Engines;
using CorsKit.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// The demo (samples/CorsKit.Demo) as its Program.cs runs it: the API with its appsettings.json and both front ends,
/// on Kestrel, on free loopback ports (the demo moves its allowed origin with the port).
/// </summary>
internal sealed class DemoSite : IAsyncDisposable
{
    private readonly WebApplication[] _apps;

    private DemoSite(DemoPorts ports, WebApplication[] apps)
    {
        Ports = ports;
        _apps = apps;
    }

    public DemoPorts Ports { get; }

    public static async Task<DemoSite> StartAsync()
    {
        var ports = new DemoPorts(EngineSupport.FreePort(), EngineSupport.FreePort(), EngineSupport.FreePort());
        var api = ApiApp.Build([], ports, builder => builder.Logging.ClearProviders());
        var log = api.Services.GetRequiredService<Demo.RequestLog>();
        WebApplication[] apps = [api, FrontEndApp.Build(ports.Allowed, allowed: true, ports, log), FrontEndApp.Build(ports.Refused, allowed: false, ports, log)];
        foreach (var app in apps) await app.StartAsync();
        return new DemoSite(ports, apps);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
