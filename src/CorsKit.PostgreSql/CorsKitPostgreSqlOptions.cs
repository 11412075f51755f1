namespace CorsKit.PostgreSql;

/// <summary>Where the origin table lives and how each node follows it. Set with <c>AddCorsKitPostgreSqlOrigins</c>.</summary>
public sealed class CorsKitPostgreSqlOptions
{
    /// <summary>The Npgsql connection string (required). The role needs CREATE on the schema the first time, then SELECT.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The schema of the table (created if missing). Default: <c>public</c>.</summary>
    public string Schema { get; set; } = "public";

    /// <summary>
    /// The table: <c>policy text not null, origin text not null, primary key (policy, origin)</c>. Default: <c>corskit_origins</c>.
    /// </summary>
    public string Table { get; set; } = "corskit_origins";

    /// <summary>The <c>LISTEN</c>/<c>NOTIFY</c> channel the table's trigger notifies. Default: <c>corskit_origins</c>.</summary>
    public string Channel { get; set; } = "corskit_origins";

    /// <summary>
    /// How often each node reloads in full even without a notification, bounding any drift. Default: 5 minutes.
    /// </summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The health check reports degraded when the snapshot was last loaded longer ago than this; it must be longer than
    /// <see cref="ResyncInterval"/>. Default: 15 minutes.
    /// </summary>
    public TimeSpan StalenessBound { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// What a node does when PostgreSQL is unreachable at start. Default: <see cref="CorsKitPostgreSqlStartupMode.WaitForDatabase"/>.
    /// </summary>
    public CorsKitPostgreSqlStartupMode StartupMode { get; set; } = CorsKitPostgreSqlStartupMode.WaitForDatabase;

    /// <summary>With <see cref="CorsKitPostgreSqlStartupMode.WaitForDatabase"/>: how long start-up waits. Default: 30 seconds.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait before reconnecting; it doubles after each failure up to <see cref="MaxReconnectDelay"/>. Default: 0.5 s.</summary>
    public TimeSpan MinReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between reconnection attempts. Default: 30 seconds.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a notification, how long a node waits for more before it reloads, so that a burst of changes costs one
    /// reload. Default: 50 ms. Bursts are bounded: a node reloads at least every 10 debounce delays.
    /// </summary>
    public TimeSpan DebounceDelay { get; set; } = TimeSpan.FromMilliseconds(50);
}
