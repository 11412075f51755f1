namespace CorsKit;

/// <summary>Why CorsKit allowed or refused a request. Stable: logs, metrics and the debug header use these names.</summary>
public enum CorsKitReason
{
    /// <summary>The request was allowed.</summary>
    Allowed = 0,

    /// <summary>The request carried no Origin header: it is not a CORS request.</summary>
    NotCors,

    /// <summary>The Origin header was repeated, empty, too long, or not a serialized origin a browser could send.</summary>
    OriginMalformed,

    /// <summary>The origin was <c>null</c>, which CorsKit never allows.</summary>
    OriginNull,

    /// <summary>The origin is well formed but not allowed by the policy.</summary>
    OriginNotAllowed,

    /// <summary>Access-Control-Request-Method was repeated, empty, too long or not a method token.</summary>
    MethodMalformed,

    /// <summary>The requested method is not allowed by the policy.</summary>
    MethodNotAllowed,

    /// <summary>Access-Control-Request-Headers was too long, had too many elements, or an element was not a header name.</summary>
    HeadersMalformed,

    /// <summary>A requested header is not allowed by the policy.</summary>
    HeaderNotAllowed,

    /// <summary>The endpoint disables CorsKit.</summary>
    EndpointDisabled,

    /// <summary>No policy applies to the request.</summary>
    NoPolicy,

    /// <summary>The origin resolver failed or timed out; CorsKit refuses rather than guess.</summary>
    ResolverFailed,
}
