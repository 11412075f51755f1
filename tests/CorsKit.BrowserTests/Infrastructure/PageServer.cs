using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// Serves the harness page on two ports and for any host name, so one server provides every page origin the scenarios
/// need: <c>http://app.localhost:{page}</c>, <c>http://evil.localhost:{page}</c>, <c>http://app.localhost:{page2}</c>, …
/// Chromium resolves every <c>*.localhost</c> name to the loopback address itself, without DNS.
/// </summary>
internal static class PageServer
{
    public static async Task<KestrelHost> StartAsync()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Page");
        var html = await File.ReadAllTextAsync(Path.Combine(directory, "index.html"));
        var script = await File.ReadAllTextAsync(Path.Combine(directory, "harness.js"));
        return await KestrelHost.StartAsync(
            portCount: 2,
            configureServices: _ => { },
            configurePipeline: app =>
            {
                app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
                app.MapGet("/harness.js", () => Results.Content(script, "text/javascript; charset=utf-8"));
            });
    }
}
