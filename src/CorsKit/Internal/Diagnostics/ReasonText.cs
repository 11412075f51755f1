using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// Plain-words reasons for the debug header, the explain API and logs. They name what the request asked for and the
/// limit or rule it broke, never the policy's allowlist of origins.
/// </summary>
internal static class ReasonText
{
    public static string Describe(CorsKitReason reason, CorsKitPolicy? policy, StringValues origin, StringValues method, StringValues requestHeaders)
    {
        var name = policy?.Name ?? "(none)";
        return reason switch
        {
            CorsKitReason.Allowed => $"allowed by CorsKit policy '{name}'",
            CorsKitReason.NotCors => "no Origin header: not a CORS request",
            CorsKitReason.OriginMalformed => $"the Origin header is malformed: {OriginProblem(origin)}",
            CorsKitReason.OriginNull => "the origin 'null' (sandboxed iframe, file: page or cross-origin redirect) is never allowed",
            CorsKitReason.OriginNotAllowed => $"origin '{SafeLog.Value(origin)}' is not allowed by CorsKit policy '{name}'",
            CorsKitReason.MethodMalformed => $"Access-Control-Request-Method is malformed: {MethodProblem(method)}",
            CorsKitReason.MethodNotAllowed => $"method '{SafeLog.Value(method)}' is not allowed by CorsKit policy '{name}'",
            CorsKitReason.HeadersMalformed => $"Access-Control-Request-Headers is malformed: {HeadersProblem(requestHeaders)}",
            CorsKitReason.HeaderNotAllowed => $"request header(s) '{RefusedHeaders(policy, requestHeaders)}' not allowed by CorsKit policy '{name}'",
            CorsKitReason.EndpointDisabled => "CorsKit is disabled for this endpoint",
            CorsKitReason.NoPolicy => "no CorsKit policy applies to this request",
            CorsKitReason.ResolverFailed => $"the origin resolver of CorsKit policy '{name}' failed or timed out, so the origin is refused",
            _ => reason.ToString(),
        };
    }

    /// <summary>Why a WebSocket handshake was refused (403), for the debug header and the explain API.</summary>
    public static string WebSocketRefusal(CorsKitReason reason, CorsKitPolicy? policy, StringValues origin) =>
        reason == CorsKitReason.EndpointDisabled
        ? "WebSocket handshake refused: CorsKit is disabled for this endpoint, so only the server's own origin may open a WebSocket to it"
        : $"WebSocket handshake refused: {Describe(reason, policy, origin, default, default)}";

    private static string RefusedHeaders(CorsKitPolicy? policy, StringValues requestHeaders) =>
        policy is null ? string.Empty : string.Join(", ", policy.RequestHeaderRules.ListRefused(requestHeaders));

    public static string OriginProblem(StringValues origin)
    {
        if (origin.Count > 1) return $"{origin.Count} Origin headers, only one is allowed";
        var value = origin.Count == 0 ? string.Empty : origin[0] ?? string.Empty;
        if (value.Length == 0) return "empty";
        if (value.Length > RequestLimits.MaxOriginLength)
        {
            return $"{value.Length} characters, longer than the {RequestLimits.MaxOriginLength} allowed";
        }

        return $"'{SafeLog.Value(value)}' is not a serialized origin (scheme://host[:port], lower case, no path, no default port)";
    }

    public static string MethodProblem(StringValues method)
    {
        if (method.Count > 1) return $"{method.Count} header lines, only one is allowed";
        var value = method.Count == 0 ? string.Empty : method[0] ?? string.Empty;
        if (value.Length == 0) return "empty";
        if (value.Length > RequestLimits.MaxMethodLength)
        {
            return $"{value.Length} characters, longer than the {RequestLimits.MaxMethodLength} allowed";
        }

        return $"'{SafeLog.Value(value)}' is not a single method token";
    }

    /// <summary>The first limit or rule the list breaks. Bounded: it never reads past the limits, however long the input.</summary>
    public static string HeadersProblem(StringValues requestHeaders)
    {
        if (requestHeaders.Count > RequestLimits.MaxRequestHeadersElements)
        {
            return $"{requestHeaders.Count} header lines, more than the {RequestLimits.MaxRequestHeadersElements} elements allowed";
        }

        if (HeaderNameSet.MeasureLength(requestHeaders) < 0)
        {
            return $"longer than the {RequestLimits.MaxRequestHeadersLength} characters allowed";
        }

        var elements = 0;
        foreach (var line in requestHeaders) elements += (line ?? string.Empty).AsSpan().Count(',') + 1;
        if (elements > RequestLimits.MaxRequestHeadersElements)
        {
            return $"{elements} elements, more than the {RequestLimits.MaxRequestHeadersElements} allowed";
        }

        foreach (var name in HeaderNameSet.Elements(requestHeaders))
        {
            if (!HttpSyntax.IsToken(name)) return $"'{SafeLog.Value(name)}' is not a header name";
        }

        return "not a comma-separated list of header names";
    }
}
