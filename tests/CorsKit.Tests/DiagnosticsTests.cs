using System.Diagnostics.Metrics;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

/// <summary>Every decision has a log event and a metric tag; refusals say why.</summary>
public sealed class DiagnosticsTests : IAsyncLifetime, IDisposable
{
    private const string App = "https://app.example";
    private readonly ListLoggerProvider _logs = new();
    private readonly List<(long Value, Dictionary<string, string?> Tags)> _measurements = [];
    private MeterListener _listener = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _app = await Host.StartAsync(
            b => b.Services.AddCorsKit(o =>
            {
                o.AddDefaultPolicy(p => p.AllowOrigins(App).AllowMethods("PUT").AllowRequestHeaders("content-type", "x-trace"));
                o.AddPolicy("other", p => p.AllowOrigins("https://other.example"));
            }),
            a =>
            {
                a.UseCorsKit();
                a.MapMethods("/", ["GET", "PUT"], () => "ok");
                a.MapGet("/off", () => "off").DisableCorsKit();
            },
            _logs);

        var factory = _app.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CorsKit" && instrument.Meter.Scope == factory) listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags) copy[tag.Key] = tag.Value as string;
            lock (_measurements) _measurements.Add((value, copy));
        });
        _listener.Start();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose()
    {
        _listener.Dispose();
        _logs.Dispose();
    }

    private (LogLevel Level, string Message) Event(string name)
    {
        var entry = _logs.Entries.Where(e => e.Event.Name == name).Should().ContainSingle($"one {name} event").Subject;
        entry.Category.Should().Be("CorsKit");
        return (entry.Level, entry.Message);
    }

    private Dictionary<string, string?> SingleMeasurement()
    {
        lock (_measurements)
        {
            _measurements.Should().ContainSingle();
            _measurements[0].Value.Should().Be(1);
            return _measurements[0].Tags;
        }
    }

    private static void ShouldBeTagged(Dictionary<string, string?> tags, string kind, string outcome, string reason, string policy)
    {
        tags["corskit.kind"].Should().Be(kind);
        tags["corskit.outcome"].Should().Be(outcome);
        tags["corskit.reason"].Should().Be(reason);
        tags["corskit.policy"].Should().Be(policy);
    }

    [Fact]
    public async Task Allowed_preflight_is_logged_at_debug_and_counted()
    {
        await _app.PreflightAsync("/", App, "PUT", "x-trace");

        var (level, message) = Event("PreflightAllowed");
        level.Should().Be(LogLevel.Debug);
        message.Should().Contain(App).And.Contain("PUT").And.Contain("x-trace").And.Contain("'default'");
        ShouldBeTagged(SingleMeasurement(), "preflight", "allowed", "allowed", "default");
    }

    [Fact]
    public async Task Origin_refusal_names_the_origin_and_the_policy()
    {
        await _app.PreflightAsync("/", "https://evil.example", "PUT");

        var (level, message) = Event("PreflightOriginRefused");
        level.Should().Be(LogLevel.Information);
        message.Should().Contain("https://evil.example").And.Contain("'default'");
        ShouldBeTagged(SingleMeasurement(), "preflight", "refused", "origin_not_allowed", "default");
    }

    [Fact]
    public async Task Method_refusal_names_the_requested_and_allowed_methods()
    {
        await _app.PreflightAsync("/", App, "DELETE");

        var (_, message) = Event("PreflightMethodRefused");
        message.Should().Contain("DELETE").And.Contain("allowed: GET, HEAD, POST, PUT");
        ShouldBeTagged(SingleMeasurement(), "preflight", "refused", "method_not_allowed", "default");
    }

    [Fact]
    public async Task Header_refusal_names_the_offending_headers()
    {
        await _app.PreflightAsync("/", App, "PUT", "content-type,X-Secret,x-other");

        var (_, message) = Event("PreflightHeadersRefused");
        message.Should().Contain("x-secret, x-other").And.Contain("allowed: content-type, x-trace");
        ShouldBeTagged(SingleMeasurement(), "preflight", "refused", "header_not_allowed", "default");
    }

    [Theory]
    [InlineData("Origin", "https://app.example/", "origin_malformed", "not a serialized origin")]
    [InlineData("Access-Control-Request-Method", "PUT,DELETE", "method_malformed", "not a single method token")]
    [InlineData("Access-Control-Request-Headers", "x y", "headers_malformed", "'x y' is not a header name")]
    public async Task Malformed_preflight_names_the_rule_it_broke(string header, string value, string reason, string problem)
    {
        var headers = new Dictionary<string, string> { ["Origin"] = App, ["Access-Control-Request-Method"] = "PUT" };
        headers[header] = value;

        await _app.SendAsync(HttpMethod.Options, "/", headers.Select(h => (h.Key, h.Value)).ToArray());

        Event("PreflightMalformed").Message.Should().Contain(problem);
        ShouldBeTagged(SingleMeasurement(), "preflight", "refused", reason, "default");
    }

    [Fact]
    public async Task Oversized_request_headers_name_the_limit()
    {
        await _app.PreflightAsync("/", App, "PUT", new string(',', 5000));

        Event("PreflightMalformed").Message.Should().Contain("5000 characters, longer than the 2048 allowed");
    }

    [Fact]
    public async Task Disabled_endpoint_preflight_is_logged_and_counted()
    {
        await _app.PreflightAsync("/off", App, "GET");

        Event("PreflightDisabled").Message.Should().Contain(App);
        ShouldBeTagged(SingleMeasurement(), "preflight", "refused", "endpoint_disabled", string.Empty);
    }

    [Fact]
    public async Task Actual_requests_are_logged_and_counted_allowed_refused_and_not_cors()
    {
        await _app.SendAsync(HttpMethod.Get, "/", ("Origin", App));
        await _app.SendAsync(HttpMethod.Get, "/", ("Origin", "https://evil.example"));
        await _app.SendAsync(HttpMethod.Get, "/");

        Event("ActualAllowed").Level.Should().Be(LogLevel.Debug);
        var (level, message) = Event("ActualRefused");
        level.Should().Be(LogLevel.Information);
        message.Should().Contain("https://evil.example").And.Contain("OriginNotAllowed");
        lock (_measurements)
        {
            _measurements.Select(m => (m.Tags["corskit.kind"], m.Tags["corskit.outcome"], m.Tags["corskit.reason"])).Should().BeEquivalentTo(new[]
            {
                ("actual", "allowed", "allowed"),
                ("actual", "refused", "origin_not_allowed"),
                ("not_cors", "none", "not_cors"),
            });
        }
    }

    [Fact]
    public async Task Request_values_are_logged_safely()
    {
        var hostile = "https://evil.example/" + new string('a', 1000) + "\u001b[31m";
        await _app.SendAsync(HttpMethod.Get, "/", ("Origin", hostile));

        var message = Event("ActualRefused").Message;
        message.Should().NotContain("\u001b").And.Contain("(1026 chars)");
        message.Length.Should().BeLessThan(900);
    }

    [Fact]
    public async Task No_policy_is_logged_and_counted()
    {
        var logs = new ListLoggerProvider();
        await using var app = await Host.StartAsync(b => b.Services.AddCorsKit(o => o.AddPolicy("named", p => p.AllowOrigins(App))), a =>
        {
            a.UseCorsKit();
            a.MapGet("/x", () => "x");
        }, logs);

        await app.SendAsync(HttpMethod.Get, "/x", ("Origin", App));

        logs.Entries.Should().ContainSingle(e => e.Event.Name == "NoPolicy").Which.Message.Should().Contain("/x");
    }

    [Fact]
    public async Task Refusal_level_is_configurable()
    {
        var logs = new ListLoggerProvider();
        await using var app = await Host.StartAsync(b => b.Services.AddCorsKit(o =>
        {
            o.RefusalLogLevel = LogLevel.Debug;
            o.AddDefaultPolicy(p => p.AllowOrigins(App));
        }), a =>
        {
            a.UseCorsKit();
            a.MapGet("/x", () => "x");
        }, logs);

        await app.PreflightAsync("/x", "https://evil.example", "PUT");

        logs.Entries.Should().ContainSingle(e => e.Event.Name == "PreflightOriginRefused").Which.Level.Should().Be(LogLevel.Debug);
    }

    [Fact]
    public async Task Configuration_refused_and_reloaded_are_logged()
    {
        var logs = new ListLoggerProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:DefaultPolicy"] = "web",
            ["CorsKit:Policies:web:Origins:0"] = App,
        }).Build();
        await using var app = await Host.StartAsync(b => b.Services.AddCorsKit(configuration.GetSection("CorsKit")), a =>
        {
            a.UseCorsKit();
            a.MapGet("/x", () => "x");
        }, logs);

        configuration["CorsKit:Policies:web:Origins:0"] = "https://App.example/";
        configuration.Reload();
        configuration["CorsKit:Policies:web:Origins:0"] = "https://new.example";
        configuration.Reload();

        logs.Entries.Should().ContainSingle(e => e.Event.Name == "ConfigurationRefused").Which.Message.Should().Contain("https://App.example/");
        logs.Entries.Should().ContainSingle(e => e.Event.Name == "ConfigurationReloaded");
    }
}
