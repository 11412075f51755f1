using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Cli.Tests.Infrastructure;

/// <summary>In-memory servers for the check engine: one behind CorsKit, one behind Microsoft's CORS middleware.</summary>
internal static class TestHost
{
    public const string AllowedOrigin = "http://127.0.0.1:5101";
    public const string RefusedOrigin = "http://127.0.0.1:5102";

    /// <summary>The CorsKit section of the demo's appsettings.json, so the documented examples are checked here.</summary>
    public const string DemoCorsKitSection = """
        {
          "CorsKit": {
            "DefaultPolicy": "frontend",
            "Policies": {
              "frontend": {
                "Origins": [ "http://127.0.0.1:5101" ],
                "Methods": [ "PUT", "DELETE" ],
                "RequestHeaders": [ "content-type", "authorization" ],
                "ExposedHeaders": [ "X-Total-Count" ],
                "AllowCredentials": true,
                "MaxAgeSeconds": 600
              }
            }
          }
        }
        """;

    /// <summary>An API like the demo's, behind CorsKit configured from <see cref="DemoCorsKitSection"/>.</summary>
    public static Task<WebApplication> StartCorsKitAsync() => StartAsync(
        builder =>
        {
            var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(DemoCorsKitSection))).Build();
            builder.Services.AddCorsKit(config.GetSection("CorsKit"));
        },
        app => app.UseCorsKit());

    /// <summary>The same API behind Microsoft.AspNetCore.Cors.</summary>
    public static Task<WebApplication> StartMicrosoftCorsAsync(Action<Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder> policy) => StartAsync(
        builder => builder.Services.AddCors(options => options.AddDefaultPolicy(policy)),
        app => app.UseCors());

    public static HttpMessageHandler Handler(this WebApplication app) => app.GetTestServer().CreateHandler();

    private static async Task<WebApplication> StartAsync(Action<WebApplicationBuilder> services, Action<WebApplication> cors)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        services(builder);
        var app = builder.Build();
        cors(app);
        app.MapGet("/api/hello", () => Results.Text("hello"));
        app.MapPost("/api/items", (HttpContext context) => Results.Created("/api/items/3", new { id = 3 }));
        app.MapPut("/api/items/{id:int}", (int id) => Results.Ok(new { id }));
        app.MapDelete("/api/items/{id:int}", (int id) => Results.NoContent());
        app.MapGet("/api/items", (HttpResponse response) =>
        {
            response.Headers["X-Total-Count"] = "2";
            response.Headers["X-Internal"] = "server-only";
            return Results.Json(new[] { 1, 2 });
        });
        await app.StartAsync();
        return app;
    }
}

internal static class TestAssemblySetup
{
    /// <summary>Many in-memory hosts start in this assembly; none needs to watch appsettings.json for changes.</summary>
    [ModuleInitializer]
    internal static void DisableHostConfigurationReload() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
