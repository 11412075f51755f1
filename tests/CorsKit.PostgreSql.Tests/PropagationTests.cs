using System.Diagnostics;
using CorsKit.PostgreSql.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.PostgreSql.Tests;

/// <summary>
/// How long a change takes to reach every node: 100 inserts, one at a time, each timed from the commit until both
/// nodes allow the new origin over HTTP (polled every few milliseconds, so a figure includes up to one polling step).
/// The figures are printed and go to docs/benchmarks.md; only a generous bound is asserted, as the machine is shared.
/// </summary>
public sealed class PropagationTests(PostgresServer server, ITestOutputHelper output) : StoreTest(server, output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(100_000)]
    public async Task A_change_reaches_both_nodes_median_and_worst_over_100_changes(int rowsAlready)
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        if (rowsAlready > 0)
        {
            await SqlAsync($"INSERT INTO {Table} (policy, origin) SELECT 'tenants', 'https://t' || i || '.bulk.example' FROM generate_series(1, {rowsAlready}) i");
            await EventuallyAsync($"{rowsAlready} rows loaded", [a, b],
                n => Task.FromResult(n.Services.GetRequiredService<ICorsKitStoreOrigins>().Count == rowsAlready));
        }

        await using var connection = Server.Connect();
        var times = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var origin = $"https://p{i}.propagation.example";
            await using (var insert = new Npgsql.NpgsqlCommand($"INSERT INTO {Table} (policy, origin) VALUES ('tenants', $1)", connection))
            {
                insert.Parameters.AddWithValue(origin);
                await insert.ExecuteNonQueryAsync();
            }

            var committed = Stopwatch.GetTimestamp();
            await EventuallyAsync(origin, [a, b], n => n.AllowsAsync(origin));
            times.Add(Stopwatch.GetElapsedTime(committed).TotalMilliseconds);
        }

        times.Sort();
        var median = (times[49] + times[50]) / 2;
        Output.WriteLine($"Propagation over 100 changes to 2 nodes, table of {rowsAlready:N0}+ rows: median {median:0.0} ms, p90 {times[89]:0.0} ms, worst {times[99]:0.0} ms, "
            + $"best {times[0]:0.0} ms (debounce {new CorsKitPostgreSqlOptions().DebounceDelay.TotalMilliseconds} ms).");
        foreach (var line in a.Logs.WithEvent(401).TakeLast(3)) Output.WriteLine("node a: " + line);
        times[99].Should().BeLessThan(5000, "the issue's target is 1 s; the assertion only catches a change that did not propagate by itself");
    }
}
