namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>One request as it reached the API server, before CorsKit saw it.</summary>
internal sealed record ArrivedRequest(
    string Host,
    string Method,
    string PathAndQuery,
    string? Origin,
    string? RequestMethod,
    string? RequestHeaders,
    string? Cookie,
    string? Authorization)
{
    /// <summary>A CORS preflight as the Fetch Standard defines it.</summary>
    public bool IsPreflight => Method == "OPTIONS" && Origin is not null && RequestMethod is not null;
}

/// <summary>One decision CorsKit counted: the kind of request (preflight, actual, not_cors), the outcome and the reason.</summary>
internal sealed record CorsKitDecision(string Kind, string Outcome, CorsKitReason Reason)
{
    public override string ToString() => $"{Kind}:{Outcome}:{Reason}";
}

/// <summary>
/// What the API server saw during one scenario. Scenarios run one at a time (one xunit collection), so the log is
/// cleared when a scenario starts and everything recorded until it ends belongs to it.
/// </summary>
internal sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly List<ArrivedRequest> _requests = [];
    private readonly List<CorsKitDecision> _decisions = [];

    public void Add(ArrivedRequest request)
    {
        lock (_lock) _requests.Add(request);
    }

    public void Add(CorsKitDecision decision)
    {
        lock (_lock) _decisions.Add(decision);
    }

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
            _decisions.Clear();
        }
    }

    public IReadOnlyList<ArrivedRequest> Requests
    {
        get
        {
            lock (_lock) return [.. _requests];
        }
    }

    public IReadOnlyList<CorsKitDecision> Decisions
    {
        get
        {
            lock (_lock) return [.. _decisions];
        }
    }
}
