using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

/// <summary>
/// A policy is data; each app that serves it keeps its own logs, metrics and settings. Failures at response start are
/// logged, never turned into a broken response. Inline endpoint policies carry their endpoint's name.
/// </summary>
public sealed class ServedPolicyTests
{
    private const string Origin = "https://app.example";

    [Fact]
    public async Task A_policy_object_shared_by_two_apps_reports_to_each_apps_own_logs()
    {
        var shared = new CorsKitPolicyBuilder().AllowOrigins(Origin).Build("shared");
        var firstLogs = new ListLoggerProvider();
        var secondLogs = new ListLoggerProvider();
        await using var first = await StartWithEndpointPolicyAsync(shared, firstLogs, debug: false);
        await using var second = await StartWithEndpointPolicyAsync(shared, secondLogs, debug: true);

        await first.SendAsync(HttpMethod.Get, "/x", ("Origin", Origin));
        var refusedBySecond = await second.SendAsync(HttpMethod.Get, "/x", ("Origin", "https://evil.example"));

        firstLogs.Entries.Should().ContainSingle(e => e.Event.Name == "ActualAllowed");
        secondLogs.Entries.Should().ContainSingle(e => e.Event.Name == "ActualRefused");
        firstLogs.Entries.Should().NotContain(e => e.Event.Name == "ActualRefused", "the second app's request is the second app's to log");
        refusedBySecond.Headers.Contains("X-CorsKit-Reason").Should().BeTrue("debug mode is the second app's setting");
    }

    [Fact]
    public async Task A_failure_while_adding_headers_at_response_start_is_logged_and_the_response_still_goes_out()
    {
        var logs = new ListLoggerProvider();
        await using var app = await Host.StartAsync(b =>
        {
            b.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins(Origin)));
            b.Logging.AddProvider(new ThrowingLoggerProvider("ActualAllowed"));
        }, a =>
        {
            a.UseCorsKit();
            a.MapGet("/x", () => "hello");
        }, logs);

        var response = await app.SendAsync(HttpMethod.Get, "/x", ("Origin", Origin));

        ((int)response.StatusCode).Should().Be(200);
        (await response.Content.ReadAsStringAsync()).Should().Be("hello");
        logs.Entries.Should().ContainSingle(e => e.Event.Name == "ResponseStartFailed" && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Inline_endpoint_policies_are_named_after_their_endpoint()
    {
        var logs = new ListLoggerProvider();
        await using var app = await Host.StartAsync(b => b.Services.AddCorsKit(_ => { }), a =>
        {
            a.UseRouting();
            a.UseCorsKit();
            a.MapPut("/orders/{id}", () => "put").RequireCorsKit(p => p.AllowOrigins(Origin).AllowMethods("PUT"));
            a.MapGroup("/admin").RequireCorsKit(p => p.AllowOrigins(Origin)).MapGet("/report", () => "report");
        }, logs);

        await app.PreflightAsync("/orders/1", "https://evil.example", "PUT");
        await app.SendAsync(HttpMethod.Get, "/admin/report", ("Origin", "https://evil.example"));

        logs.Entries.Should().Contain(e => e.Event.Name == "PreflightOriginRefused" && e.Message.Contains("policy 'inline: PUT /orders/{id}'"));
        logs.Entries.Should().Contain(e => e.Event.Name == "ActualRefused" && e.Message.Contains("policy 'inline: GET /admin/report'"));
    }

    private static Task<WebApplication> StartWithEndpointPolicyAsync(CorsKitPolicy policy, ListLoggerProvider logs, bool debug) =>
        Host.StartAsync(b => b.Services.AddCorsKit(o => o.DebugMode = debug), a =>
        {
            a.UseRouting();
            a.UseCorsKit();
            a.MapGet("/x", () => "x").WithMetadata(new PolicyMetadata(policy));
        }, logs);

    /// <summary>Metadata a user can write: ICorsKitMetadata is public, so one policy object can serve several apps.</summary>
    private sealed class PolicyMetadata(CorsKitPolicy policy) : ICorsKitMetadata
    {
        public bool IsDisabled => false;

        public string? PolicyName => null;

        public CorsKitPolicy? Policy => policy;
    }

    /// <summary>A logging provider that fails on one event, as a broken sink would.</summary>
    private sealed class ThrowingLoggerProvider(string eventName) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Throwing(eventName);

        public void Dispose()
        {
        }

        private sealed class Throwing(string eventName) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (eventId.Name == eventName) throw new InvalidOperationException("the log sink is down");
            }
        }
    }
}
