namespace CorsKit;

/// <summary>CorsKit's decision for a request, with the reason and the exact headers it would send.</summary>
public sealed class CorsKitExplanation
{
    internal CorsKitExplanation(
        bool allowed, CorsKitReason reason, string policyName, string message, int? statusCode, IReadOnlyList<KeyValuePair<string, string>> headers,
        CorsKitCsrfVerdict? csrf = null)
    {
        Csrf = csrf;
        Allowed = allowed;
        Reason = reason;
        PolicyName = policyName;
        Message = message;
        StatusCode = statusCode;
        Headers = headers;
    }

    /// <summary>True when CorsKit grants the request (and, for credentialed requests, the browser would accept it).</summary>
    public bool Allowed { get; }

    /// <summary>Why.</summary>
    public CorsKitReason Reason { get; }

    /// <summary>The policy that decided, or an empty string when none applies.</summary>
    public string PolicyName { get; }

    /// <summary>The decision in plain words.</summary>
    public string Message { get; }

    /// <summary>
    /// The status of CorsKit's own answer: 204 or 403 for a preflight, 403 for a refused WebSocket handshake; null when
    /// the app answers (actual requests, allowed handshakes).
    /// </summary>
    public int? StatusCode { get; }

    /// <summary>The CORS-related response headers CorsKit would send (including Vary), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>
    /// For an unsafe request (POST, PUT, DELETE, ...) with an Origin: whether ASP.NET Core 11's automatic CSRF protection
    /// trusts it through this policy, and why. Null for preflights, safe methods and requests without an Origin.
    /// </summary>
    public CorsKitCsrfVerdict? Csrf { get; }
}
