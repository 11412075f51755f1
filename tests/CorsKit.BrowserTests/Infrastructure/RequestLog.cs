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

    /// <summary>The status the server answered with (set when the response started).</summary>
    public int? Status { get; init; }

    /// <summary>The answer's X-CorsKit-Reason header (CorsKit's debug mode), if it had one.</summary>
    public string? DebugReason { get; init; }
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

    /// <summary>Completes a recorded request with what the server answered.</summary>
    public void Answered(ArrivedRequest request, int status, string? debugReason)
    {
        lock (_lock)
        {
            // Found by reference: the log may have been cleared for the next scenario since the request arrived.
            var index = _requests.FindIndex(recorded => ReferenceEquals(recorded, request));
            if (index >= 0) _requests[index] = request with { Status = status, DebugReason = debugReason };
        }
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
