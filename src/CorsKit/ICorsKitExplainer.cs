namespace CorsKit;

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
