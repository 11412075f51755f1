using CorsKit.SecurityTests.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CorsKit.SecurityTests.Infrastructure;

/// <summary>
/// A complete in-memory web app (WebApplication + TestServer) with CorsKit in front of the same app as
/// <see cref="InProcessPipeline"/>. Header values are set raw on the server's HttpContext, so values no HTTP client
/// would send (control bytes, repeated lines) reach CorsKit unchanged.
/// </summary>
internal sealed class TestServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestServer _server;

    private TestServerHost(WebApplication app)
    {
        _app = app;
        _server = app.GetTestServer();
    }

    public static async Task<TestServerHost> StartAsync(PolicySpec policy)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddCorsKit(options => options.AddDefaultPolicy(p => policy.Configure(p)));
        var app = builder.Build();
        app.UseCorsKit();
        app.Run(InProcessPipeline.App);
        await app.StartAsync();
        return new TestServerHost(app);
    }

    /// <param name="request">The request's method and CORS header lines.</param>
    /// <param name="webSocketHandshake">Also send Upgrade: websocket and Connection: Upgrade, as a browser's handshake does.</param>
    public async Task<ResponseSnapshot> SendAsync(RequestShape request, bool webSocketHandshake = false)
    {
        try
        {
            var context = await _server.SendAsync(c =>
            {
                if (webSocketHandshake)
                {
                    c.Request.Headers.Upgrade = "websocket";
                    c.Request.Headers.Connection = "Upgrade";
                    c.Request.Headers.SecWebSocketVersion = "13";
                }

                c.Request.Method = request.Method;
                c.Request.Path = "/";
                Set(c.Request.Headers, "Origin", request.Origin);
                Set(c.Request.Headers, "Access-Control-Request-Method", request.RequestMethod);
                Set(c.Request.Headers, "Access-Control-Request-Headers", request.RequestHeaders);
                Set(c.Request.Headers, InProcessPipeline.AppVaryHeader, request.AppVary);
            });

            var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in context.Response.Headers)
            {
                if (header.Key != InProcessPipeline.AppReachedHeader) headers[header.Key] = header.Value;
            }
            return new ResponseSnapshot(context.Response.StatusCode, headers, context.Response.Headers.ContainsKey(InProcessPipeline.AppReachedHeader), null);
        }
        catch (Exception ex)
        {
            return new ResponseSnapshot(500, new Dictionary<string, StringValues>(), false, ex);
        }
    }

    private static void Set(Microsoft.AspNetCore.Http.IHeaderDictionary headers, string name, string[]? lines)
    {
        if (lines is not null) headers[name] = new StringValues(lines);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
