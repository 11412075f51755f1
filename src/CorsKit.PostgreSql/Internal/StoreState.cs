namespace CorsKit.PostgreSql.Internal;

/// <summary>
/// What one node knows of its snapshot, read by the health check and the metrics: when it was last loaded, how many
/// rows serve, whether the listening connection is up, the last connection error. Written by the listener only.
/// </summary>
internal sealed class StoreState
{
    private readonly TimeProvider _clock;
    private long _loadedAtTimestamp = -1;
    private volatile bool _connected;
    private volatile string? _lastError;
    private volatile int _rows;
    private volatile int _accepted;

    public StoreState(TimeProvider clock) => _clock = clock;

    public bool Loaded => Interlocked.Read(ref _loadedAtTimestamp) >= 0;

    public bool Connected => _connected;

    public string? LastError => _lastError;

    public int Rows => _rows;

    public int Accepted => _accepted;

    /// <summary>Time since the last complete load, or null before the first.</summary>
    public TimeSpan? Age
    {
        get
        {
            var loadedAt = Interlocked.Read(ref _loadedAtTimestamp);
            return loadedAt < 0 ? null : _clock.GetElapsedTime(loadedAt);
        }
    }

    public void MarkLoaded(int rows, int accepted)
    {
        _rows = rows;
        _accepted = accepted;
        Interlocked.Exchange(ref _loadedAtTimestamp, _clock.GetTimestamp());
    }

    public void Connect()
    {
        _connected = true;
        _lastError = null;
    }

    public void Disconnect(string error)
    {
        _connected = false;
        _lastError = error;
    }
}
