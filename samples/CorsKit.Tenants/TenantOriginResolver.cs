using Microsoft.Data.Sqlite;

namespace CorsKit.Tenants;

/// <summary>
/// Asks the tenant database whether an origin belongs to a tenant. Registered as scoped: each request that misses
/// CorsKit's cache gets its own instance and its own pooled connection.
/// </summary>
public sealed class TenantOriginResolver(TenantDatabase database) : ICorsKitOriginResolver
{
    public async ValueTask<bool> IsAllowedAsync(string origin, HttpContext context, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM tenant_origins WHERE origin = $origin";
        command.Parameters.AddWithValue("$origin", origin);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
