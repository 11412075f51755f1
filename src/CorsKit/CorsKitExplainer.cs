namespace CorsKit;

/// <summary>The facts of a request that decide CorsKit's answer, for <see cref="ICorsKitExplainer"/>.</summary>
public sealed class CorsKitRequestFacts
{
    /// <summary>The Origin header, or null for a request without one.</summary>
    public string? Origin { get; init; }

    /// <summary>
    /// The method: for an actual request its method; for a preflight the method it asks for
    /// (Access-Control-Request-Method). Default: GET.
    /// </summary>
    public string Method { get; init; } = "GET";

    /// <summary>True for a preflight (OPTIONS with Origin and Access-Control-Request-Method).</summary>
    public bool IsPreflight { get; init; }

    /// <summary>For a preflight, the header names it asks for (Access-Control-Request-Headers).</summary>
    public IReadOnlyList<string> RequestHeaders { get; init; } = [];

    /// <summary>
    /// True when the request is credentialed (<c>credentials: 'include'</c>). It does not change what CorsKit sends;
    /// it changes what the browser accepts, and <see cref="CorsKitExplanation.Message"/> says so.
    /// </summary>
    public bool Credentials { get; init; }
}

/// <summary>CorsKit's decision for a request, with the reason and the exact headers it would send.</summary>
public sealed class CorsKitExplanation
{
    internal CorsKitExplanation(bool allowed, CorsKitReason reason, string policyName, string message, int? statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, CorsKitCsrfVerdict? csrf = null)
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

    /// <summary>The status of CorsKit's own answer to a preflight (204 or 403); null for actual requests, which the app answers.</summary>
    public int? StatusCode { get; }

    /// <summary>The CORS-related response headers CorsKit would send (including Vary), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>
    /// For an unsafe request (POST, PUT, DELETE, ...) with an Origin: whether ASP.NET Core 11's automatic CSRF protection
    /// trusts it through this policy, and why. Null for preflights, safe methods and requests without an Origin.
    /// </summary>
    public CorsKitCsrfVerdict? Csrf { get; }
}

/// <summary>
/// Explains CorsKit's decision for a request without an HttpContext: the same code the middleware runs. Resolve it from
/// DI (registered by <c>AddCorsKit</c>); use it in tests, tools and health checks.
/// </summary>
public interface ICorsKitExplainer
{
    /// <summary>
    /// Explains the decision of a configured policy: <paramref name="policyName"/>, or the default policy when null.
    /// </summary>
    /// <exception cref="ArgumentException">No policy has that name.</exception>
    CorsKitExplanation Explain(string? policyName, CorsKitRequestFacts request);

    /// <summary>Explains the decision of a given policy.</summary>
    CorsKitExplanation Explain(CorsKitPolicy policy, CorsKitRequestFacts request);
}
