using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests.Infrastructure;

/// <summary>How an app with a CorsKit configuration turned out: it started and answered so, or it refused to start.</summary>
internal abstract record StartOutcome
{
    /// <summary>One line per probe request: status, CORS response headers, CorsKit's log events; and start-up warnings.</summary>
    public sealed record Started(IReadOnlyList<string> Answers) : StartOutcome;

    public sealed record Refused(CorsKitConfigurationException Exception) : StartOutcome;
}

/// <summary>
/// Starts an in-memory app with CorsKit (<c>UseCorsKit()</c>, one endpoint that sets <c>X-Total-Count</c> and
/// <c>X-B</c>) and sends it a fixed set of preflights and actual requests from origins that the shape corpus uses.
/// Two configurations that mean the same give the same answers, line for line.
/// </summary>
internal static class CorsKitAnswers
{
    private static readonly string[] Origins =
    [
        "https://app.example.com", "https://b.example", "https://c.example", "https://pr-42.review.example.com",
        "http://intranet.example.com", "https://me.github.io", "https://evil.example",
    ];

    public static Task<StartOutcome> FromConfigurationAsync(ProviderInput input, string directory)
    {
        var configuration = new ConfigurationManager();
        input.AddTo(configuration, directory);
        return StartAsync(services => services.AddCorsKit(configuration.GetSection("CorsKit")));
    }

    public static Task<StartOutcome> FromCodeAsync(Action<CorsKitOptions> configure) => StartAsync(services => services.AddCorsKit(configure));

    public static async Task<StartOutcome> StartAsync(Action<IServiceCollection> services)
    {
        var logs = new LogCollector();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        services(builder.Services);
        await using var app = builder.Build();
        app.UseCorsKit();
        app.MapMethods("/", ["GET", "PUT", "DELETE", "OPTIONS"], (HttpContext context) =>
        {
            context.Response.Headers["X-Total-Count"] = "42";
            context.Response.Headers["X-B"] = "1";
            return "hello";
        });

        try
        {
            await app.StartAsync();
        }
        catch (CorsKitConfigurationException ex)
        {
            return new StartOutcome.Refused(ex);
        }

        var answers = new List<string>();
        var seen = 0;
        void Record(string request, string answer)
        {
            var entries = logs.Entries;
            var events = entries.Skip(seen).Where(e => e.Category.StartsWith("CorsKit", StringComparison.Ordinal)).Select(e => $"{e.EventName}@{e.Level}");
            seen = entries.Count;
            answers.Add($"{request}: {answer} | {string.Join(" ", events)}");
        }

        Record("start-up", string.Join(" ", logs.Entries.Where(e => e.EventName == "PolicyWarning").Select(e => e.Message)));
        var client = app.GetTestClient();
        await SendAsync(client, HttpMethod.Get, null, null, null, Record);
        foreach (var origin in Origins)
        {
            // A simple method alone (max-age shows), each request header with a simple method, each method alone.
            await SendAsync(client, HttpMethod.Get, origin, null, null, Record);
            await SendAsync(client, HttpMethod.Options, origin, "GET", null, Record);
            await SendAsync(client, HttpMethod.Options, origin, "POST", "x-a", Record);
            await SendAsync(client, HttpMethod.Options, origin, "POST", "x-b", Record);
            await SendAsync(client, HttpMethod.Options, origin, "PUT", null, Record);
            await SendAsync(client, HttpMethod.Options, origin, "DELETE", null, Record);
            await SendAsync(client, HttpMethod.Get, origin, null, null, Record, webSocket: true);
        }

        await app.StopAsync();
        return new StartOutcome.Started(answers);
    }

    private static async Task SendAsync(
        HttpClient client, HttpMethod method, string? origin, string? requestMethod, string? requestHeaders, Action<string, string> record,
        bool webSocket = false)
    {
        using var request = new HttpRequestMessage(method, "/");
        if (webSocket) request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        if (requestMethod is not null) request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", requestMethod);
        if (requestHeaders is not null) request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", requestHeaders);
        using var response = await client.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)
                        || h.Key.StartsWith("X-CorsKit-", StringComparison.OrdinalIgnoreCase)
                        || h.Key.Equals("Vary", StringComparison.OrdinalIgnoreCase))
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => $"{h.Key}={string.Join(",", h.Value)}");
        record($"{(webSocket ? "WebSocket " : "")}{method} {origin ?? "(no Origin)"} {requestMethod} {requestHeaders}".TrimEnd(), $"{(int)response.StatusCode} {string.Join(" ", headers)}");
    }
}
