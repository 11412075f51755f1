using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CorsKit.PostgreSql.Internal;

/// <summary>
/// Keeps this node's store origins in step with the table. One dedicated connection: it creates what is missing of the
/// schema, <c>LISTEN</c>s, loads the whole table, then waits for notifications. A notification (after a short debounce)
/// carries the changed rows, which are applied to this node's copy of the rows (<see cref="StoreChange"/>); one that
/// cannot carry them (a big statement, a TRUNCATE) or the resync interval loads the whole table again. When the
/// connection fails, the last good snapshot keeps serving and the node reconnects with exponential backoff, then loads
/// in full (notifications sent meanwhile are lost).
/// </summary>
internal sealed partial class OriginListener : IHostedService, IAsyncDisposable
{
    private const int MaxDebounceRounds = 10;

    private readonly StoreSettings _settings;
    private readonly StoreSql _sql;
    private readonly ICorsKitStoreOrigins _origins;
    private readonly StoreState _state;
    private readonly StoreMetrics _metrics;
    private readonly ILogger<OriginListener> _logger;
    private readonly TimeProvider _clock;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private int _notified;

    // Payloads in the order PostgreSQL delivered them (commit order), and this node's rows as of its last load or
    // change. Touched by the loop only: Npgsql raises Notification on the thread that reads the connection.
    private readonly Queue<string> _payloads = new();
    private HashSet<CorsKitStoreOrigin>? _rows;

    // The backoff: failures since the last successful load, and the next wait. Touched by the loop only.
    private int _failures;
    private TimeSpan _delay;

    public OriginListener(
        StoreSettings settings, ICorsKitStoreOrigins origins, StoreState state, StoreMetrics metrics, ILogger<OriginListener> logger,
        TimeProvider clock)
    {
        _settings = settings;
        _sql = new StoreSql(settings.Options);
        _origins = origins;
        _state = state;
        _metrics = metrics;
        _logger = logger;
        _clock = clock;
        _delay = settings.Options.MinReconnectDelay;

        // A dedicated, unpooled connection; keepalive notices a peer that vanished without closing the connection.
        var connection = new NpgsqlConnectionStringBuilder(settings.Connection.ConnectionString) { Pooling = false };
        if (connection.KeepAlive == 0) connection.KeepAlive = 10;
        _dataSource = NpgsqlDataSource.Create(connection);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        if (_settings.Options.StartupMode == CorsKitPostgreSqlStartupMode.StartWithConfiguredOrigins) return;

        var timeout = _settings.Options.StartupTimeout;
        try
        {
            await _firstLoad.Task.WaitAsync(timeout, _clock, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host gave up starting: the loop must not outlive it.
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (TimeoutException)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw new CorsKitConfigurationException(
                $"CorsKit.PostgreSql could not load the origin table {_settings.Source} within StartupTimeout ({timeout.TotalSeconds:0.#} s): "
                + $"{_state.LastError ?? "no answer"}. Fix: check that PostgreSQL is up and ConnectionString is right, raise "
                + "CorsKitPostgreSqlOptions.StartupTimeout, or set StartupMode = StartWithConfiguredOrigins to start without the store.");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _loop is null) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping?.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var options = _settings.Options;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // Whatever failed (connection, query, a server restart), the last good snapshot keeps serving.
                _failures++;
                _state.Disconnect(ex.Message);
                var delay = _delay;
                var wait = delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, delay.TotalMilliseconds / 4)));
                if (!_state.Loaded) Log.Unreachable(_logger, _settings.Source, ex.Message, wait.TotalSeconds, options.StartupMode.ToString());
                else Log.Disconnected(_logger, _settings.Source, ex.Message, wait.TotalSeconds);
                _delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
                try
                {
                    await Task.Delay(wait, _clock, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One connection's life: set up, load in full, then follow notifications until it fails.</summary>
    private async Task ListenAsync(CancellationToken stopping)
    {
        var connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        connection.Notification += (_, e) =>
        {
            _payloads.Enqueue(e.Payload);
            Volatile.Write(ref _notified, 1);
        };
        if (await _sql.EnsureSchemaAsync(connection, stopping).ConfigureAwait(false))
        {
            Log.SchemaCreated(_logger, _settings.Source, _settings.Options.Channel);
        }

        using (var listen = new NpgsqlCommand(_sql.Listen, connection))
        {
            await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
        }

        _state.Connect();
        var reason = !_state.Loaded ? "start" : "reconnect";
        if (_failures > 0 && _state.Loaded) Log.Reconnected(_logger, _settings.Source, _failures);

        // Listening first, then loading: a change committed after the load's query began notifies again.
        Volatile.Write(ref _notified, 0);
        await LoadAsync(connection, reason, stopping).ConfigureAwait(false);
        _firstLoad.TrySetResult();
        _failures = 0;
        _delay = _settings.Options.MinReconnectDelay;

        var resync = _settings.Options.ResyncInterval;
        var nextResync = _clock.GetTimestamp();
        while (true)
        {
            if (Volatile.Read(ref _notified) == 0)
            {
                var remaining = resync - _clock.GetElapsedTime(nextResync);
                if (remaining > TimeSpan.Zero && !await connection.WaitAsync(remaining, stopping).ConfigureAwait(false)
                    && Volatile.Read(ref _notified) == 0)
                {
                    continue;
                }

                if (Volatile.Read(ref _notified) == 0)
                {
                    await LoadAsync(connection, "resync", stopping).ConfigureAwait(false);
                    nextResync = _clock.GetTimestamp();
                    continue;
                }
            }

            // A burst of changes costs one load: wait until the channel has been quiet for one debounce delay (bounded).
            for (var round = 0; round < MaxDebounceRounds; round++)
            {
                if (!await connection.WaitAsync(_settings.Options.DebounceDelay, stopping).ConfigureAwait(false)) break;
            }

            Volatile.Write(ref _notified, 0);
            if (!ApplyChanges()) await LoadAsync(connection, "change", stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies the queued payloads to this node's rows and compiles them; false (nothing applied) when one of them asks
    /// for a full read, or no load has given the rows yet.
    /// </summary>
    private bool ApplyChanges()
    {
        var rows = _rows;
        if (rows is null) return false;
        var started = Stopwatch.GetTimestamp();

        // The rows are changed in place: the serving snapshot is the compiled one, not this set. A payload that asks
        // for a full read leaves them part-changed, so they are dropped until the read (LoadAsync) sets them again.
        while (_payloads.TryDequeue(out var payload))
        {
            if (StoreChange.TryApply(payload, _sql.Table, rows)) continue;
            _rows = null;
            return false;
        }

        var result = _origins.Replace(rows, _settings.Source);
        var elapsed = Stopwatch.GetElapsedTime(started);
        _state.MarkLoaded(result.Rows, result.Accepted);
        _metrics.Reloaded(elapsed, "change");
        var milliseconds = elapsed.TotalMilliseconds;
        Log.Changed(_logger, _settings.Source, result.Rows, result.Accepted, result.Skipped.Count, milliseconds, milliseconds);
        return true;
    }

    private async Task LoadAsync(NpgsqlConnection connection, string reason, CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();

        // The read supersedes every payload received so far; those that arrive during it are applied after (harmlessly
        // again, if the read already saw their change).
        _payloads.Clear();
        var rows = await _sql.ReadSnapshotAsync(connection, stopping).ConfigureAwait(false);
        var read = Stopwatch.GetElapsedTime(started);
        var result = _origins.Replace(rows, _settings.Source);
        _rows = [.. rows];
        var elapsed = Stopwatch.GetElapsedTime(started);
        _state.MarkLoaded(result.Rows, result.Accepted);
        _metrics.Reloaded(elapsed, reason);
        var (skipped, total, compile) = (result.Skipped.Count, elapsed.TotalMilliseconds, (elapsed - read).TotalMilliseconds);
        if (reason == "change") Log.Changed(_logger, _settings.Source, result.Rows, result.Accepted, skipped, total, compile);
        else if (reason == "resync") Log.Resynced(_logger, _settings.Source, result.Rows, result.Accepted, skipped, total, compile);
        else Log.Loaded(_logger, _settings.Source, reason, result.Rows, result.Accepted, skipped, total, compile);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, EventName = "StoreLoaded", Level = LogLevel.Information,
            Message = "CorsKit loaded {Source} ({Reason}): {Rows} rows, {Accepted} serve, {Skipped} skipped, in {Milliseconds:0.#} ms "
                + "({CompileMilliseconds:0.#} ms of it compiling).")]
        public static partial void Loaded(
            ILogger logger, string source, string reason, int rows, int accepted, int skipped, double milliseconds, double compileMilliseconds);

        [LoggerMessage(EventId = 401, EventName = "StoreChanged", Level = LogLevel.Information,
            Message = "CorsKit updated {Source} after a change: {Rows} rows, {Accepted} serve, {Skipped} skipped, in {Milliseconds:0.#} ms "
                + "({CompileMilliseconds:0.#} ms of it compiling).")]
        public static partial void Changed(
            ILogger logger, string source, int rows, int accepted, int skipped, double milliseconds, double compileMilliseconds);

        [LoggerMessage(EventId = 402, EventName = "StoreResynced", Level = LogLevel.Debug,
            Message = "CorsKit resynced {Source}: {Rows} rows, {Accepted} serve, {Skipped} skipped, in {Milliseconds:0.#} ms "
                + "({CompileMilliseconds:0.#} ms of it compiling).")]
        public static partial void Resynced(
            ILogger logger, string source, int rows, int accepted, int skipped, double milliseconds, double compileMilliseconds);

        [LoggerMessage(EventId = 403, EventName = "StoreDisconnected", Level = LogLevel.Warning,
            Message = "CorsKit lost its connection to {Source} ({Error}); the last snapshot keeps serving; reconnecting in {Seconds:0.#} s.")]
        public static partial void Disconnected(ILogger logger, string source, string error, double seconds);

        [LoggerMessage(EventId = 404, EventName = "StoreReconnected", Level = LogLevel.Information,
            Message = "CorsKit reconnected to {Source} after {Failures} failures; reloading in full.")]
        public static partial void Reconnected(ILogger logger, string source, int failures);

        [LoggerMessage(EventId = 405, EventName = "StoreSchemaCreated", Level = LogLevel.Information,
            Message = "CorsKit created what was missing of {Source} and its trigger on channel '{Channel}'.")]
        public static partial void SchemaCreated(ILogger logger, string source, string channel);

        [LoggerMessage(EventId = 406, EventName = "StoreUnreachable", Level = LogLevel.Warning,
            Message = "CorsKit cannot reach {Source} yet ({Error}); retrying in {Seconds:0.#} s (StartupMode {Mode}: WaitForDatabase holds "
                + "start-up until StartupTimeout, StartWithConfiguredOrigins serves configured origins only until the table loads).")]
        public static partial void Unreachable(ILogger logger, string source, string error, double seconds, string mode);
    }
}
