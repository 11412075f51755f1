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

    /// <summary>The table as its trigger names it in a payload (names are plain lower-case identifiers).</summary>
    public string Table => _qualified;

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
        var (inserted, updated, deleted, truncated) = ($"{_table}_inserted", $"{_table}_updated", $"{_table}_deleted", $"{_table}_truncated");
        var present = await ScalarAsync(connection, transaction,
            "SELECT (to_regclass($1) IS NOT NULL)::int + (to_regprocedure($2) IS NOT NULL)::int"
            + " + (SELECT count(*)::int FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname IN ($3, $4, $5, $6))",
            cancellationToken, _qualified, $"{_schema}.{function}()", inserted, updated, deleted, truncated).ConfigureAwait(false);
        if (present == 6)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        // The payload carries a statement's changed rows (StoreChange), so a node applies them to its snapshot without
        // reading the table; a statement that changed more than MaxRowsInPayload rows, or a TRUNCATE, sends '' (read it
        // all). PostgreSQL delivers identical payloads of one transaction once, so each carries a counter that is
        // local to the transaction ('corskit.notify_seq'), or insert A / delete A / insert A would lose its last step.
        var ddl = $"""
            CREATE SCHEMA IF NOT EXISTS {_schema};
            CREATE TABLE IF NOT EXISTS {_qualified} (
                policy text NOT NULL,
                origin text NOT NULL,
                PRIMARY KEY (policy, origin));
            CREATE OR REPLACE FUNCTION {_schema}.{function}() RETURNS trigger LANGUAGE plpgsql AS $body$
            DECLARE
                seq int := coalesce(nullif(current_setting('corskit.notify_seq', true), ''), '0')::int + 1;
                removed int := 0;
                added int := 0;
                deleted json := '[]';
                inserted json := '[]';
                payload text := '';
            BEGIN
                PERFORM set_config('corskit.notify_seq', seq::text, true);
                -- Each statement names only the transition tables its trigger has: plpgsql plans a statement when it runs.
                IF TG_OP IN ('DELETE', 'UPDATE') THEN
                    SELECT count(*) INTO removed FROM (SELECT 1 FROM old_rows LIMIT {StoreChange.MaxRowsInPayload + 1}) r;
                    IF removed <= {StoreChange.MaxRowsInPayload} THEN
                        SELECT coalesce(json_agg(json_build_array(policy, origin)), '[]') INTO deleted FROM old_rows;
                    END IF;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    SELECT count(*) INTO added FROM (SELECT 1 FROM new_rows LIMIT {StoreChange.MaxRowsInPayload + 1}) r;
                    IF added <= {StoreChange.MaxRowsInPayload} THEN
                        SELECT coalesce(json_agg(json_build_array(policy, origin)), '[]') INTO inserted FROM new_rows;
                    END IF;
                END IF;
                IF TG_OP <> 'TRUNCATE' AND removed + added <= {StoreChange.MaxRowsInPayload} THEN
                    payload := json_build_object('t', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'n', seq, 'd', deleted, 'i', inserted)::text;
                    IF octet_length(payload) > {StoreChange.MaxPayloadBytes} THEN
                        payload := '';
                    END IF;
                END IF;
                PERFORM pg_notify('{_channel}', payload);
                RETURN NULL;
            END
            $body$;
            DROP TRIGGER IF EXISTS {_table}_changed ON {_qualified};
            DROP TRIGGER IF EXISTS {inserted} ON {_qualified};
            CREATE TRIGGER {inserted} AFTER INSERT ON {_qualified} REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION {_schema}.{function}();
            DROP TRIGGER IF EXISTS {updated} ON {_qualified};
            CREATE TRIGGER {updated} AFTER UPDATE ON {_qualified} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION {_schema}.{function}();
            DROP TRIGGER IF EXISTS {deleted} ON {_qualified};
            CREATE TRIGGER {deleted} AFTER DELETE ON {_qualified} REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION {_schema}.{function}();
            DROP TRIGGER IF EXISTS {truncated} ON {_qualified};
            CREATE TRIGGER {truncated} AFTER TRUNCATE ON {_qualified}
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
