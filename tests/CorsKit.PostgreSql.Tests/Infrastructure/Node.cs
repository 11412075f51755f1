using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.PostgreSql.Tests.Infrastructure;

/// <summary>
/// One app node: a Kestrel host on a free 127.0.0.1 port with CorsKit policies and the PostgreSQL store. Policies:
/// <c>tenants</c> (lists https://static.example.com itself), <c>partners</c> (with credentials), <c>public</c> ('*').
/// GET /tenants, /partners and /public answer under the policy of that name.
/// </summary>
public sealed class Node : IAsyncDisposable
{
    public const string ConfiguredOrigin = "https://static.example.com";

    private Node(WebApplication app, HttpClient client, CapturedLogs logs)
    {
        App = app;
        Client = client;
        Logs = logs;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => App.Services;

    public static WebApplication Build(Action<CorsKitPostgreSqlOptions> store, CapturedLogs logs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddCorsKit(options =>
        {
            options.AddPolicy("tenants", p => p.AllowOrigins(ConfiguredOrigin).AllowMethods("PUT"));
            options.AddPolicy("partners", p => p.AllowOrigins("https://partner.example.com").AllowCredentials());
            options.AddPolicy("public", p => p.AllowAnyOrigin());
        });
        builder.Services.AddCorsKitPostgreSqlOrigins(store);
        builder.Services.AddHealthChecks().AddCorsKitPostgreSql();
        var app = builder.Build();
        app.UseRouting();
        app.UseCorsKit();
        app.MapGet("/tenants", () => "tenants").RequireCorsKit("tenants");
        app.MapGet("/partners", () => "partners").RequireCorsKit("partners");
        app.MapGet("/public", () => "public").RequireCorsKit("public");
        app.MapHealthChecks("/health");
        return app;
    }

    public static async Task<Node> StartAsync(Action<CorsKitPostgreSqlOptions> store, CancellationToken cancellationToken = default)
    {
        var logs = new CapturedLogs();
        var app = Build(store, logs);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Node(app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) }, logs);
    }

    /// <summary>True when the node allows <paramref name="origin"/> on /<paramref name="policy"/>; any status but 200 fails.</summary>
    public async Task<bool> AllowsAsync(string origin, string policy = "tenants")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/" + policy);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        using var response = await Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, "a refused origin still gets the app's answer, only without CORS headers");
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Every log line of a node, with its event id, for assertions on what was logged and how often.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(int EventId, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(int EventId, LogLevel Level, string Message)> Entries => _entries.ToArray();

    public IEnumerable<string> WithEvent(int eventId) => _entries.Where(e => e.EventId == eventId).Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
