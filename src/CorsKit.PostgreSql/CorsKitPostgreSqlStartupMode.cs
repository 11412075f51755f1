namespace CorsKit.PostgreSql;

/// <summary>What a node does when PostgreSQL cannot be reached as the app starts.</summary>
public enum CorsKitPostgreSqlStartupMode
{
    /// <summary>
    /// The app does not start until the first snapshot is loaded; after <see cref="CorsKitPostgreSqlOptions.StartupTimeout"/>
    /// it fails to start with an error that says why. No request is ever answered without the store's origins.
    /// </summary>
    WaitForDatabase = 0,

    /// <summary>
    /// The app starts at once with the origins its policies list themselves; store origins are refused until
    /// PostgreSQL is reached, then loaded (the node keeps trying with backoff). The health check reports degraded meanwhile.
    /// </summary>
    StartWithConfiguredOrigins = 1,
}
