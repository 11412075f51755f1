using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// An API with shared caches in front of CorsKit, as apps place them by mistake: <c>UseResponseCaching()</c> and
/// <c>UseOutputCache()</c> both before <c>UseCorsKit()</c>. <c>/response-cache/data</c> answers
/// <c>Cache-Control: public, max-age=60</c> (so the response cache stores it), <c>/output-cache/data</c> has
/// <c>.CacheOutput()</c>. One policy, <c>shared</c>: the two app origins (<c>{page}</c> and <c>{page2}</c>), with Age
/// exposed, so script can tell that a response came from a cache. Listens on <c>{cached}</c>.
/// </summary>
internal static class CachedApiServer
{
    /// <summary>The page origins the <c>shared</c> policy allows.</summary>
    public static readonly string[] AllowedOrigins = ["http://app.localhost:{page}", "http://app.localhost:{page2}"];

    public static Task<KestrelHost> StartAsync(PortNames ports, RequestLog log) => KestrelHost.StartAsync(
        portCount: 1,
        configureServices: builder =>
        {
            builder.Services.AddResponseCaching();
            builder.Services.AddOutputCache();
            builder.Services.AddCorsKit(options => options.AddPolicy("shared", policy => policy
                .AllowOrigins([.. AllowedOrigins.Select(ports.Expand)])
                .ExposeHeaders("age", "x-served")));
        },
        configurePipeline: app =>
        {
            ApiServer.UseRequestLog(app, log);
            app.UseResponseCaching();
            app.UseOutputCache();
            app.UseCorsKit("shared");

            var served = 0;
            app.MapGet("/response-cache/data", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=60";
                context.Response.Headers["X-Served"] = Interlocked.Increment(ref served).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Text("cached GET ok");
            });
            app.MapGet("/output-cache/data", (HttpContext context) =>
            {
                context.Response.Headers["X-Served"] = Interlocked.Increment(ref served).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Text("cached GET ok");
            }).CacheOutput();
        });

    /// <summary>
    /// Debian's nginx in front of the cached server, as a CDN: <c>proxy_cache</c> stores what the app marks cacheable
    /// (it honours <c>Cache-Control</c> and keeps one variant per <c>Vary</c> value). Listens on <c>{cdn}</c>.
    /// </summary>
    public static Task<Cli.Tests.Audit.Infrastructure.NginxServer> StartCdnAsync(int cachedPort) =>
        Cli.Tests.Audit.Infrastructure.NginxServer.StartAsync(
            $$"""
            location / {
                proxy_pass http://127.0.0.1:{{cachedPort}};
                proxy_cache cdn;
            }
            """,
            new Dictionary<string, string>(),
            "proxy_cache_path cdn-cache keys_zone=cdn:1m;");

    /// <summary>Sends a GET from each origin (null: no Origin) to the cached server, as other users' browsers would.</summary>
    public static Task PrimeAsync(PortNames ports, string path, params string?[] origins) => PrimeViaAsync(ports, "cached", path, origins);

    /// <summary>As <see cref="PrimeAsync(PortNames, string, string?[])"/>, through the server named <paramref name="server"/> (<c>cdn</c>).</summary>
    public static async Task PrimeViaAsync(PortNames ports, string server, string path, params string?[] origins)
    {
        using var handler = Cli.Check.CorsCheckEngine.CreateHandler();
        using var client = new HttpClient(handler);
        foreach (var origin in origins)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ports.Expand($"http://api.localhost:{{{server}}}{path}"));
            if (origin is not null) request.Headers.Add("Origin", ports.Expand(origin));
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }
    }
}
