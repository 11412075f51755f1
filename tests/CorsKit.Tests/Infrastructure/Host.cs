using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorsKit.Tests.Infrastructure;

/// <summary>Starts an in-memory WebApplication configured entirely by the test.</summary>
internal static class Host
{
    public static async Task<WebApplication> StartAsync(Action<WebApplicationBuilder> configureBuilder, Action<WebApplication> configureApp, ListLoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        configureBuilder(builder);
        var app = builder.Build();
        configureApp(app);
        await app.StartAsync();
        return app;
    }

    public static Task<HttpResponseMessage> SendAsync(this WebApplication app, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return app.GetTestClient().SendAsync(request);
    }

    public static Task<HttpResponseMessage> PreflightAsync(this WebApplication app, string path, string origin, string method, string? requestHeaders = null) =>
        requestHeaders is null
            ? app.SendAsync(HttpMethod.Options, path, ("Origin", origin), ("Access-Control-Request-Method", method))
            : app.SendAsync(HttpMethod.Options, path, ("Origin", origin), ("Access-Control-Request-Method", method), ("Access-Control-Request-Headers", requestHeaders));

    /// <summary>Adds the "Test" scheme: "Authorization: Bearer user" authenticates, "Bearer admin" also has the admin role.</summary>
    public static AuthenticationBuilder AddTestAuthentication(this IServiceCollection services) =>
        services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>("Test", _ => { });
}

internal sealed class TestAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public TestAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return Task.FromResult(AuthenticateResult.NoResult());
        var user = header["Bearer ".Length..];
        if (user is not ("user" or "admin")) return Task.FromResult(AuthenticateResult.Fail("unknown token"));
        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        if (user == "admin") claims.Add(new Claim(ClaimTypes.Role, "admin"));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, "Test")));
    }
}

/// <summary>Collects log entries so tests can assert that a warning or event was written.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<(string Category, LogLevel Level, EventId Event, string Message)> _entries = [];

    public IReadOnlyList<(string Category, LogLevel Level, EventId Event, string Message)> Entries
    {
        get
        {
            lock (_entries) return [.. _entries];
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (provider._entries) provider._entries.Add((category, logLevel, eventId, formatter(state, exception)));
        }
    }
}
