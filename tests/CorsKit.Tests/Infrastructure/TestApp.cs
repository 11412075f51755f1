using System.Net;
using CorsKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests.Infrastructure;

/// <summary>An in-memory app with CorsKit and a few endpoints whose responses the tests inspect.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app)
    {
        _app = app;
    }

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The app's root services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>How many requests reached the app's endpoints (preflights answered by CorsKit never do).</summary>
    public int EndpointHits => Volatile.Read(ref _hits);

    private int _hits;

    public static Task<TestApp> StartAsync(Action<CorsKitOptions> configure, string? useCorsKitPolicy = null) =>
        StartAsync(services => services.AddCorsKit(configure), useCorsKitPolicy);

    public static async Task<TestApp> StartAsync(Action<IServiceCollection> services, string? useCorsKitPolicy = null, Action<WebApplication>? beforeCorsKit = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        TestApp? testApp = null;
        beforeCorsKit?.Invoke(app);
        if (useCorsKitPolicy is null) app.UseCorsKit();
        else app.UseCorsKit(useCorsKitPolicy);

        app.Use((context, next) =>
        {
            Interlocked.Increment(ref testApp!._hits);
            return next(context);
        });
        app.MapMethods("/{**path}", ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"], (HttpContext context) =>
        {
            context.Response.Headers["X-Total-Count"] = "42";
            return Results.Text("hello");
        });
        app.MapGet("/vary", (HttpContext context) =>
        {
            context.Response.Headers.Vary = "Accept-Encoding";
            return Results.Text("varied");
        });
        app.MapGet("/vary-origin", (HttpContext context) =>
        {
            context.Response.Headers.Vary = "origin";
            return Results.Text("varied");
        });
        app.MapGet("/clear", (HttpContext context) =>
        {
            context.Response.Headers["X-Before-Clear"] = "1";
            context.Response.Clear();
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        app.MapGet("/throw", string () => throw new InvalidOperationException("boom"));

        testApp = new TestApp(app);
        await app.StartAsync();
        testApp.Client = app.GetTestClient();
        return testApp;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PreflightAsync(string origin, string method, string? requestHeaders = null, string path = "/")
    {
        var headers = new List<(string, string)> { ("Origin", origin), ("Access-Control-Request-Method", method) };
        if (requestHeaders is not null) headers.Add(("Access-Control-Request-Headers", requestHeaders));
        return SendAsync(HttpMethod.Options, path, [.. headers]);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? origin = null) =>
        origin is null ? SendAsync(HttpMethod.Get, path) : SendAsync(HttpMethod.Get, path, ("Origin", origin));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}

internal static class ResponseExtensions
{
    /// <summary>All values of a header (response or content headers), or empty.</summary>
    public static string[] Header(this HttpResponseMessage response, string name)
    {
        if (response.Headers.TryGetValues(name, out var values)) return values.ToArray();
        if (response.Content.Headers.TryGetValues(name, out values)) return values.ToArray();
        return [];
    }

    public static string? Single(this HttpResponseMessage response, string name)
    {
        var values = response.Header(name);
        values.Length.Should().BeLessThanOrEqualTo(1, $"{name} must not be repeated");
        return values.Length == 0 ? null : values[0];
    }

    /// <summary>The Vary tokens, split and trimmed.</summary>
    public static string[] VaryTokens(this HttpResponseMessage response) =>
        response.Header("Vary").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();

    public static void ShouldHaveNoCorsHeaders(this HttpResponseMessage response)
    {
        foreach (var name in new[]
                 {
                     "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods",
                     "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Max-Age",
                 })
        {
            response.Header(name).Should().BeEmpty($"{name} must be absent");
        }
    }

    public static HttpStatusCode Status(this HttpResponseMessage response) => response.StatusCode;
}
