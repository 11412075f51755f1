using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using CorsKit.Tests.Infrastructure;

namespace CorsKit.Net11Tests.Infrastructure;

/// <summary>
/// A WebApplication built with WebApplication.CreateBuilder (the builder that adds .NET 11's CSRF protection) on
/// Kestrel, bound to a free loopback port, with a client that sends requests the way a browser's form post does.
/// </summary>
internal sealed class KestrelApp : IAsyncDisposable
{
    private KestrelApp(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>This server's own origin, as a browser serializes it.</summary>
    public string OwnOrigin => $"{Address.Scheme}://{Address.Authority}";

    public static async Task<KestrelApp> StartAsync(Action<WebApplicationBuilder> configureBuilder, Action<WebApplication> configureApp, LogCollector? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        configureBuilder(builder);

        var app = builder.Build();
        configureApp(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new KestrelApp(app, new Uri(address));
    }

    /// <summary>
    /// POSTs an urlencoded form as a browser's form submission does: <c>Origin</c> and <c>Sec-Fetch-Site</c> when given
    /// (null leaves a header out, as older browsers and non-browser clients do).
    /// </summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, string? origin, string? secFetchSite = "cross-site")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("text", "hello")]),
        };
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        if (secFetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", secFetchSite);
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "navigate");
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "document");
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
