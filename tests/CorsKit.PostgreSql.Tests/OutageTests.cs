using System.Diagnostics;
using System.Net;
using CorsKit.PostgreSql.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CorsKit.PostgreSql.Tests;

/// <summary>Fail static, never open: PostgreSQL stopped under load, restarted, and unreachable at start-up.</summary>
public sealed class OutageTests(PostgresServer server, ITestOutputHelper output) : StoreTest(server, output)
{
    private const string Tenant = "https://kept.customer-seven.example";
    private const string Stranger = "https://stranger.example";

    [Fact]
    public async Task PostgreSQL_stopped_and_restarted_under_load_keeps_the_last_snapshot_then_changes_arrive_again()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        Node[] both = [a, b];
        await InsertAsync("tenants", Tenant);
        await EventuallyAsync("the tenant allowed", both, n => n.AllowsAsync(Tenant));

        // Bounded load: 4 clients per node, requests alternating allowed and refused origins, until told to stop or 60 s.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var load = both.SelectMany(n => Enumerable.Range(0, 4).Select(_ => LoadAsync(n, stop.Token))).ToArray();

        await Server.StopAsync();
        await EventuallyAsync("the disconnection noticed", both, n => Task.FromResult(n.Logs.WithEvent(403).Any()));
        var health = await a.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        health.Entries["corskit-postgresql"].Data["connected"].Should().Be(false);
        await Task.Delay(TimeSpan.FromSeconds(2)); // serving from the last snapshot, with reconnection attempts failing
        await Server.StartAsync();

        await EventuallyAsync("the reconnection", both, n => Task.FromResult(n.Logs.WithEvent(404).Any()));
        const string added = "https://after-restart.customer-seven.example";
        await InsertAsync("tenants", added);
        await EventuallyAsync("the origin added after the restart", both, n => n.AllowsAsync(added));
        await stop.CancelAsync();
        var results = await Task.WhenAll(load);

        var total = results.Sum(r => r.Requests);
        Output.WriteLine($"{total} requests during the outage test; statuses: "
            + string.Join(", ", results.SelectMany(r => r.Statuses).GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}")));
        total.Should().BeGreaterThan(100, "the nodes served traffic throughout");
        results.SelectMany(r => r.Statuses).Should().OnlyContain(s => s == HttpStatusCode.OK, "no request failed, none got a 5xx");
        results.Sum(r => r.WronglyAllowed).Should().Be(0, "a stranger was never allowed");
        results.Sum(r => r.WronglyRefused).Should().Be(0, "the tenant kept being allowed from the last snapshot");
    }

    [Fact]
    public async Task Health_turns_degraded_when_the_snapshot_outlives_the_staleness_bound_and_healthy_after_the_reload()
    {
        var node = await StartNodeAsync(o =>
        {
            o.ResyncInterval = TimeSpan.FromMilliseconds(500);
            o.StalenessBound = TimeSpan.FromSeconds(2);
        });
        await InsertAsync("tenants", Tenant);
        await EventuallyAsync("the tenant allowed", [node], n => n.AllowsAsync(Tenant));
        (await node.Client.GetStringAsync("/health")).Should().Be("Healthy");

        await Server.StopAsync();
        try
        {
            await EventuallyAsync("degraded health", [node], async n => await n.Client.GetStringAsync("/health") == "Degraded");
            (await node.AllowsAsync(Tenant)).Should().BeTrue("a stale snapshot still serves: degraded, not failed open or closed");
        }
        finally
        {
            await Server.StartAsync();
        }

        await EventuallyAsync("healthy again", [node], async n => await n.Client.GetStringAsync("/health") == "Healthy");
    }

    [Fact]
    public async Task Start_up_with_PostgreSQL_unreachable_and_WaitForDatabase_fails_after_the_timeout_naming_the_fix()
    {
        var closedPort = $"Host=127.0.0.1;Port={Ports.Free()};Username=postgres;Timeout=1";
        var started = Stopwatch.GetTimestamp();
        var start = () => StartNodeAsync(o =>
        {
            o.ConnectionString = closedPort;
            o.StartupTimeout = TimeSpan.FromSeconds(2);
        });

        var error = (await start.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Message;
        Output.WriteLine(error);
        error.Should().Contain("StartupTimeout").And.Contain("StartWithConfiguredOrigins").And.Contain("ConnectionString");
        Stopwatch.GetElapsedTime(started).Should().BeGreaterThan(TimeSpan.FromSeconds(1.5), "start-up waited for the database");
    }

    [Fact]
    public async Task Start_up_with_PostgreSQL_down_and_StartWithConfiguredOrigins_serves_configured_origins_then_loads()
    {
        // The table exists with a row; then the server goes away and a node starts.
        var first = await StartNodeAsync();
        await InsertAsync("tenants", Tenant);
        await EventuallyAsync("the tenant allowed", [first], n => n.AllowsAsync(Tenant));
        await Server.StopAsync();
        Node late;
        try
        {
            late = await StartNodeAsync(o => o.StartupMode = CorsKitPostgreSqlStartupMode.StartWithConfiguredOrigins);

            (await late.AllowsAsync(Node.ConfiguredOrigin)).Should().BeTrue("configured origins serve from the start");
            (await late.AllowsAsync(Tenant)).Should().BeFalse("store origins are not known yet, so they are refused");
            (await late.Client.GetStringAsync("/health")).Should().Be("Degraded");
            late.Logs.WithEvent(406).Should().NotBeEmpty();
        }
        finally
        {
            await Server.StartAsync();
        }

        var waited = await EventuallyAsync("the table loaded once PostgreSQL is back", [late], n => n.AllowsAsync(Tenant));
        Output.WriteLine($"the late node allowed the stored origin {waited.TotalMilliseconds:0} ms after PostgreSQL came back");
        (await late.Client.GetStringAsync("/health")).Should().Be("Healthy");
        (await first.AllowsAsync(Tenant)).Should().BeTrue();
    }


    private static async Task<LoadResult> LoadAsync(Node node, CancellationToken stop)
    {
        var result = new LoadResult();
        for (var i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
        {
            var origin = i % 2 == 0 ? Tenant : Stranger;
            using var request = new HttpRequestMessage(HttpMethod.Get, "/tenants");
            request.Headers.TryAddWithoutValidation("Origin", origin);
            using var response = await node.Client.SendAsync(request, CancellationToken.None);
            result.Requests++;
            result.Statuses.Add(response.StatusCode);
            var allowed = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin;
            if (origin == Stranger && allowed) result.WronglyAllowed++;
            if (origin == Tenant && !allowed) result.WronglyRefused++;
            await Task.Delay(2, CancellationToken.None);
        }

        return result;
    }

    private sealed class LoadResult
    {
        public int Requests { get; set; }

        public List<HttpStatusCode> Statuses { get; } = [];

        public int WronglyAllowed { get; set; }

        public int WronglyRefused { get; set; }
    }
}
