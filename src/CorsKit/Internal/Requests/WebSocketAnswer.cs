using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The decision for a WebSocket handshake with an Origin, and the headers of a refusal. Browsers apply no CORS check to
/// WebSockets, so the policy's origins are enforced here: an origin the policy does not allow gets 403 before the app
/// sees the request. Shared by <see cref="WebSocketResponder"/> and the explain API, so both say the same.
/// </summary>
internal readonly struct WebSocketAnswer
{
    private WebSocketAnswer(CorsKitPolicy? policy, CorsKitReason reason, StringValues origin, bool debug)
    {
        Policy = policy;
        Reason = reason;
        Origin = origin;
        Debug = debug;
    }

    /// <summary>The policy that decided; null for an endpoint that disables CorsKit.</summary>
    public CorsKitPolicy? Policy { get; }

    public CorsKitReason Reason { get; }

    public StringValues Origin { get; }

    public bool Debug { get; }

    public string PolicyName => Policy?.Name ?? "(disabled endpoint)";

    /// <summary>
    /// The verdict that needs no resolver: Allowed when the policy lets any origin open WebSockets or the page is the
    /// server's own origin; otherwise the allowlist's verdict (OriginNotAllowed may still go to a resolver).
    /// </summary>
    public static CorsKitReason Precheck(CorsKitPolicy policy, StringValues origin, HostString host)
    {
        if (policy.AllowsAnyOriginForWebSockets || IsSameOrigin(origin, host)) return CorsKitReason.Allowed;
        return policy.OriginRules.Check(origin);
    }

    public static WebSocketAnswer Decide(CorsKitPolicy policy, CorsKitReason originVerdict, StringValues origin, bool debug) =>
        new(policy, originVerdict, origin, debug);

    /// <summary>An endpoint that disables CorsKit allows no cross-origin page: only the server's own origin may connect.</summary>
    public static WebSocketAnswer ForDisabledEndpoint(StringValues origin, HostString host, bool debug) =>
        new(null, IsSameOrigin(origin, host) ? CorsKitReason.Allowed : CorsKitReason.EndpointDisabled, origin, debug);

    /// <summary>
    /// Whether the Origin names the host the request was sent to (host and port, as in the Host header or :authority).
    /// CORS never restricts a page's own origin, and browsers send Origin on every handshake, same-origin ones included.
    /// The scheme is not compared: behind a TLS-terminating proxy the request's scheme is not the page's.
    /// </summary>
    public static bool IsSameOrigin(StringValues origin, HostString host)
    {
        if (origin.Count != 1 || !host.HasValue) return false;
        var value = origin[0].AsSpan();
        var separator = value.IndexOf("://", StringComparison.Ordinal);
        return separator > 0
            && value[(separator + 3)..].Equals(host.Value, StringComparison.OrdinalIgnoreCase)
            && OriginSyntax.TryParse(origin[0]!, out _);
    }

    /// <summary>For a refusal, writes Vary (and debug mode's reason) and returns 403; for an allowed handshake, nothing and 0.</summary>
    public int WriteTo(IHeaderDictionary headers)
    {
        if (Reason == CorsKitReason.Allowed) return 0;
        VaryHeader.Append(headers, CorsHeaders.VaryOrigin);
        if (Debug) headers[CorsHeaders.DebugReason] = ReasonText.WebSocketRefusal(Reason, Policy, Origin);
        return StatusCodes.Status403Forbidden;
    }
}
