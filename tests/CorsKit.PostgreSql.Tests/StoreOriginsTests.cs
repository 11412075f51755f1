using CorsKit.PostgreSql.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.PostgreSql.Tests;

/// <summary>
/// <see cref="ICorsKitStoreOrigins"/> without a database: snapshots replace each other whole, configured origins stay,
/// and a request sees one snapshot or the next, never a mix.
/// </summary>
public sealed class StoreOriginsTests
{
    private static ServiceProvider Services(Action<CorsKitOptions>? configure = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddCorsKit(options =>
        {
            options.AddPolicy("tenants", p => p.AllowOrigins("https://static.example.com"));
            configure?.Invoke(options);
        });
        return services.BuildServiceProvider();
    }

    private static bool Allows(IServiceProvider services, string origin) =>
        services.GetRequiredService<ICorsKitExplainer>().Explain("tenants", new CorsKitRequestFacts { Origin = origin, Method = "GET" })
            .Reason == CorsKitReason.Allowed;

    [Fact]
    public void Replace_serves_the_rows_beside_the_configured_origins_and_a_second_snapshot_replaces_the_first()
    {
        using var services = Services();
        var store = services.GetRequiredService<ICorsKitStoreOrigins>();

        var first = store.Replace([new("tenants", "https://one.example"), new("TENANTS", "https://*.two.example")], "test.rows");
        first.Accepted.Should().Be(2, "policy names compare as configuration compares them");
        Allows(services, "https://one.example").Should().BeTrue();
        Allows(services, "https://a.two.example").Should().BeTrue();
        Allows(services, "https://static.example.com").Should().BeTrue();

        store.Replace([new("tenants", "https://three.example")], "test.rows");
        Allows(services, "https://one.example").Should().BeFalse("a snapshot replaces the previous one whole");
        Allows(services, "https://a.two.example").Should().BeFalse();
        Allows(services, "https://three.example").Should().BeTrue();
        store.Count.Should().Be(1);

        store.Replace([], "test.rows");
        Allows(services, "https://three.example").Should().BeFalse();
        Allows(services, "https://static.example.com").Should().BeTrue();
    }

    [Fact]
    public void Validate_reports_what_Replace_would_skip_with_the_configuration_message()
    {
        using var services = Services();
        var store = services.GetRequiredService<ICorsKitStoreOrigins>();

        store.Validate(new("tenants", "https://ok.example"), "t").Should().BeNull();
        var error = store.Validate(new("tenants", "HTTPS://OK.example:443"), "t");
        error.Should().NotBeNull();
        error!.Policy.Should().Be("tenants");
        error.Option.Should().Be("t");
        error.Problem.Should().Contain("upper-case scheme").And.Contain("default port 443");
        error.Fix.Should().Be("Write 'https://ok.example'.");
        store.Validate(new("tenants", "https://ok.example"), "t").Should().BeNull("validating changes nothing");
        Allows(services, "https://ok.example").Should().BeFalse();
    }

    [Fact]
    public void A_request_sees_the_old_snapshot_or_the_new_one_never_a_mix()
    {
        using var services = Services();
        var store = services.GetRequiredService<ICorsKitStoreOrigins>();

        // Snapshot k holds the pair (a-k, b-k). A reader that resolves one policy object and asks it about both
        // origins of any k must get the same answer twice: both allowed (k is served) or both refused.
        var stop = false;
        var mixes = 0;
        var checks = 0;
        using var readerRunning = new ManualResetEventSlim();
        var policies = services.GetRequiredService<CorsKit.Internal.PolicyStore>();
        var reader = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                var policy = policies.Current.Policies["tenants"].Policy;
                for (var k = 0; k < 50; k++)
                {
                    var a = policy.OriginRules.Check($"https://a-{k}.example") == CorsKitReason.Allowed;
                    var b = policy.OriginRules.Check($"https://b-{k}.example") == CorsKitReason.Allowed;
                    if (a != b) Interlocked.Increment(ref mixes);
                    Interlocked.Increment(ref checks);
                }

                readerRunning.Set();
            }
        });
        reader.Start();
        readerRunning.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue("the reader thread runs");

        // Bounded: at most 5,000 snapshots, and at least 50 with the reader running.
        for (var k = 0; k < 5000 && (k < 50 || Volatile.Read(ref checks) < 20_000); k++)
        {
            var pair = k % 50;
            store.Replace([new("tenants", $"https://a-{pair}.example"), new("tenants", $"https://b-{pair}.example")], "t");
        }

        Volatile.Write(ref stop, true);
        reader.Join();
        checks.Should().BeGreaterThan(0);
        mixes.Should().Be(0);
    }

    [Fact]
    public void A_configuration_reload_keeps_the_last_snapshot_checked_against_the_new_policies()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:Policies:tenants:Origins:0"] = "https://static.example.com",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddCorsKit(config.GetSection("CorsKit")).BuildServiceProvider();
        using var _ = services;
        var store = services.GetRequiredService<ICorsKitStoreOrigins>();
        store.Replace([new("tenants", "http://plain.example")], "t").Accepted.Should().Be(1, "without credentials plain http is allowed");
        Allows(services, "http://plain.example").Should().BeTrue();

        config["CorsKit:Policies:tenants:AllowCredentials"] = "true";
        config.Reload();

        Allows(services, "http://plain.example").Should().BeFalse("with credentials the same row is skipped");
        Allows(services, "https://static.example.com").Should().BeTrue();
        config["CorsKit:Policies:tenants:AllowCredentials"] = "false";
        config.Reload();
        Allows(services, "http://plain.example").Should().BeTrue("the rows were kept, only their compilation changed");
    }

    [Theory]
    [InlineData("Schema", "Public")]
    [InlineData("Table", "origins; drop table x")]
    [InlineData("Channel", "")]
    public void Options_that_are_not_plain_identifiers_stop_the_app_naming_the_option(string option, string value)
    {
        var options = new CorsKitPostgreSqlOptions { ConnectionString = "Host=127.0.0.1" };
        typeof(CorsKitPostgreSqlOptions).GetProperty(option)!.SetValue(options, value);

        var check = () => StoreSettings.Check(options);

        check.Should().Throw<CorsKitConfigurationException>().WithMessage($"*{option} '{value}' is not a plain PostgreSQL identifier*Fix:*");
    }

    [Fact]
    public async Task The_store_without_AddCorsKit_stops_the_app_saying_what_to_add()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.Services.AddCorsKitPostgreSqlOrigins("Host=127.0.0.1");
        await using var app = builder.Build();

        var start = () => app.StartAsync();

        (await start.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Message.Should().Contain("call builder.Services.AddCorsKit(");
    }

    [Fact]
    public void A_staleness_bound_within_the_resync_interval_is_refused()
    {
        var options = new CorsKitPostgreSqlOptions
        {
            ConnectionString = "Host=127.0.0.1", ResyncInterval = TimeSpan.FromMinutes(10), StalenessBound = TimeSpan.FromMinutes(5),
        };

        ((Action)(() => StoreSettings.Check(options))).Should().Throw<CorsKitConfigurationException>()
            .WithMessage("*StalenessBound (00:05:00) is not longer than ResyncInterval (00:10:00)*Fix:*");
    }

    [Fact]
    public void Missing_connection_string_and_bad_durations_are_all_reported_at_once()
    {
        var options = new CorsKitPostgreSqlOptions { ResyncInterval = TimeSpan.Zero, MaxReconnectDelay = TimeSpan.FromMilliseconds(1) };

        var message = ((Action)(() => StoreSettings.Check(options))).Should().Throw<CorsKitConfigurationException>().Which.Message;

        message.Should().Contain("ConnectionString is empty").And.Contain("ResyncInterval must be longer than zero")
            .And.Contain("MaxReconnectDelay");
    }
}
