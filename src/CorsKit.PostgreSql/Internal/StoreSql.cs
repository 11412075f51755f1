using Npgsql;

namespace CorsKit.PostgreSql.Internal;

/// <summary>
/// The SQL of the store: the table, its notifying trigger, the snapshot query and the admin statements. Every name
/// comes from <see cref="StoreSettings"/>, where it was checked to be a plain identifier.
/// </summary>
internal sealed class StoreSql
{
    private readonly string _schema;
    private readonly string _table;
    private readonly string _channel;
    private readonly string _qualified;

    public StoreSql(CorsKitPostgreSqlOptions options)
    {
        _schema = options.Schema;
        _table = options.Table;
        _channel = options.Channel;
        _qualified = $"{_schema}.{_table}";
    }

    public string Listen => $"LISTEN {_channel}";

    public string Snapshot => $"SELECT policy, origin FROM {_qualified}";

    public string Insert => $"INSERT INTO {_qualified} (policy, origin) VALUES ($1, $2) ON CONFLICT DO NOTHING";

    public string Delete => $"DELETE FROM {_qualified} WHERE policy = $1 AND origin = $2";

    /// <summary>
    /// Creates the schema, table, function and triggers that are missing, in one transaction under an advisory lock
    /// (so nodes starting together wait for each other instead of racing on the catalog). True when anything was created.
    /// </summary>
    public async Task<bool> EnsureSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("corskit.store:" + _qualified);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var function = $"{_table}_notify";
        var trigger = $"{_table}_changed";
        var truncateTrigger = $"{_table}_truncated";
        var present = await ScalarAsync(connection, transaction,
            "SELECT (to_regclass($1) IS NOT NULL)::int + (to_regprocedure($2) IS NOT NULL)::int"
            + " + (SELECT count(*)::int FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname IN ($3, $4))",
            cancellationToken, _qualified, $"{_schema}.{function}()", trigger, truncateTrigger).ConfigureAwait(false);
        if (present == 4)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        var ddl = $"""
            CREATE SCHEMA IF NOT EXISTS {_schema};
            CREATE TABLE IF NOT EXISTS {_qualified} (
                policy text NOT NULL,
                origin text NOT NULL,
                PRIMARY KEY (policy, origin));
            CREATE OR REPLACE FUNCTION {_schema}.{function}() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                PERFORM pg_notify('{_channel}', '');
                RETURN NULL;
            END
            $body$;
            DROP TRIGGER IF EXISTS {trigger} ON {_qualified};
            CREATE TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE ON {_qualified}
                FOR EACH STATEMENT EXECUTE FUNCTION {_schema}.{function}();
            DROP TRIGGER IF EXISTS {truncateTrigger} ON {_qualified};
            CREATE TRIGGER {truncateTrigger} AFTER TRUNCATE ON {_qualified}
                FOR EACH STATEMENT EXECUTE FUNCTION {_schema}.{function}();
            """;
        using (var command = new NpgsqlCommand(ddl, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Every row, policy names shared between rows (a snapshot of a million rows holds each name once).</summary>
    public async Task<List<CorsKitStoreOrigin>> ReadSnapshotAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var rows = new List<CorsKitStoreOrigin>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = new NpgsqlCommand(Snapshot, connection);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var policy = reader.GetString(0);
            if (!names.TryGetValue(policy, out var shared)) names.Add(policy, shared = policy);
            rows.Add(new CorsKitStoreOrigin(shared, reader.GetString(1)));
        }

        return rows;
    }

    private static async Task<int> ScalarAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values) command.Parameters.AddWithValue(value);
        var scalar = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(scalar, System.Globalization.CultureInfo.InvariantCulture);
    }
}
