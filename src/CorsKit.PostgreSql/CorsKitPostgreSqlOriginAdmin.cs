using CorsKit.PostgreSql.Internal;
using Npgsql;

namespace CorsKit.PostgreSql;

/// <summary>
/// Adds and removes rows of the origin table, validating before writing: a row CorsKit would skip (not a canonical
/// origin, a policy that does not exist, plain http with credentials, ...) is refused with the same error
/// configuration would get. Every node picks a change up through the table's trigger. Registered by
/// <c>AddCorsKitPostgreSqlOrigins</c>; any other writer (psql, a migration) works too, unvalidated.
/// </summary>
public sealed class CorsKitPostgreSqlOriginAdmin : IAsyncDisposable
{
    private readonly ICorsKitStoreOrigins _origins;
    private readonly StoreSettings _settings;
    private readonly StoreSql _sql;
    private readonly NpgsqlDataSource _dataSource;

    internal CorsKitPostgreSqlOriginAdmin(ICorsKitStoreOrigins origins, StoreSettings settings)
    {
        _origins = origins;
        _settings = settings;
        _sql = new StoreSql(settings.Options);
        _dataSource = NpgsqlDataSource.Create(settings.Connection.ConnectionString);
    }

    /// <summary>Adds <paramref name="origin"/> to the policy named <paramref name="policy"/>.</summary>
    /// <returns>True when the row was added; false when it was there already.</returns>
    /// <exception cref="CorsKitConfigurationException">The row would be skipped; <c>Errors</c> says why and what to write instead.</exception>
    public async Task<bool> AddAsync(string policy, string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(origin);
        var error = _origins.Validate(new CorsKitStoreOrigin(policy, origin), _settings.Source);
        if (error is not null) throw new CorsKitConfigurationException([error]);
        return await ExecuteAsync(_sql.Insert, policy, origin, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Removes <paramref name="origin"/> from the policy named <paramref name="policy"/>.</summary>
    /// <returns>True when a row was removed; false when there was none.</returns>
    public async Task<bool> RemoveAsync(string policy, string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(origin);
        return await ExecuteAsync(_sql.Delete, policy, origin, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<int> ExecuteAsync(string sql, string policy, string origin, CancellationToken cancellationToken)
    {
        using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(policy);
        command.Parameters.AddWithValue(origin);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
