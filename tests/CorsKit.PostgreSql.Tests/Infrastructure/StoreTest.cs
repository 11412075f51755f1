using System.Diagnostics;

namespace CorsKit.PostgreSql.Tests.Infrastructure;

/// <summary>
/// Shared by the tests against the server: each test gets a schema (and channel) of its own, so tests never see each
/// other's rows or notifications; nodes started through <see cref="StartNodeAsync"/> are stopped at the end.
/// </summary>
[Collection(nameof(PostgresTests))]
public abstract class StoreTest(PostgresServer server, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long a change may take to show before a test fails: generous, as the machine is shared.</summary>
    protected static readonly TimeSpan ChangeDeadline = TimeSpan.FromSeconds(15);

    private readonly List<Node> _nodes = [];

    protected PostgresServer Server { get; } = server;

    protected ITestOutputHelper Output { get; } = output;

    protected string Schema { get; } = "t_" + Guid.NewGuid().ToString("N")[..12];

    protected string Table => $"{Schema}.corskit_origins";

    protected virtual void Configure(CorsKitPostgreSqlOptions options)
    {
        options.ConnectionString = Server.ConnectionString;
        options.Schema = Schema;
        options.Channel = Schema;
        options.MinReconnectDelay = TimeSpan.FromMilliseconds(100);
        options.MaxReconnectDelay = TimeSpan.FromSeconds(1);
        options.StartupTimeout = TimeSpan.FromSeconds(60);
    }

    protected async Task<Node> StartNodeAsync(Action<CorsKitPostgreSqlOptions>? extra = null)
    {
        var node = await Node.StartAsync(o =>
        {
            Configure(o);
            extra?.Invoke(o);
        });
        lock (_nodes) _nodes.Add(node);
        return node;
    }

    protected Task SqlAsync(string sql) => Server.ExecuteAsync(sql);

    protected Task InsertAsync(string policy, string origin) =>
        SqlAsync($"INSERT INTO {Table} (policy, origin) VALUES ('{policy}', '{origin.Replace("'", "''")}')");

    /// <summary>Waits until <paramref name="condition"/> holds on every node; fails after <see cref="ChangeDeadline"/>.</summary>
    protected static async Task<TimeSpan> EventuallyAsync(string what, IEnumerable<Node> nodes, Func<Node, Task<bool>> condition)
    {
        var started = Stopwatch.GetTimestamp();
        var pending = nodes.ToList();
        while (pending.Count > 0)
        {
            var results = await Task.WhenAll(pending.Select(async n => (Node: n, Done: await condition(n))));
            pending = results.Where(r => !r.Done).Select(r => r.Node).ToList();
            if (pending.Count == 0) break;
            if (Stopwatch.GetElapsedTime(started) > ChangeDeadline)
            {
                Assert.Fail($"After {ChangeDeadline.TotalSeconds} s, {pending.Count} node(s) still do not show: {what}.");
            }

            await Task.Delay(5);
        }

        return Stopwatch.GetElapsedTime(started);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        await SqlAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }
}
