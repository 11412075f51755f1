using Microsoft.Data.Sqlite;

namespace CorsKit.Tenants;

/// <summary>The SQLite file that holds each tenant's web origins.</summary>
public sealed class TenantDatabase
{
    private readonly string _connectionString;

    public TenantDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS tenant_origins (origin TEXT PRIMARY KEY, registered_utc TEXT NOT NULL)";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds an origin; false when it was already there.</summary>
    public async Task<bool> AddAsync(string origin, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO tenant_origins (origin, registered_utc) VALUES ($origin, $now)";
        command.Parameters.AddWithValue("$origin", origin);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
