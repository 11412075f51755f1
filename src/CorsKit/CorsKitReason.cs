namespace CorsKit;

/// <summary>Why CorsKit allowed or refused a request. Stable: logs, metrics and the debug header use these names.</summary>
public enum CorsKitReason
{
    /// <summary>The request was allowed.</summary>
    Allowed = 0,

    /// <summary>The request carried no Origin header: it is not a CORS request.</summary>
    NotCors = 1,

    /// <summary>The Origin header was repeated, empty, too long, or not a serialized origin a browser could send.</summary>
    OriginMalformed = 2,

    /// <summary>The origin was <c>null</c>, which CorsKit never allows.</summary>
    OriginNull = 3,

    /// <summary>The origin is well formed but not allowed by the policy.</summary>
    OriginNotAllowed = 4,

    /// <summary>Access-Control-Request-Method was repeated, empty, too long or not a method token.</summary>
    MethodMalformed = 5,

    /// <summary>The requested method is not allowed by the policy.</summary>
    MethodNotAllowed = 6,

    /// <summary>Access-Control-Request-Headers was too long, had too many elements, or an element was not a header name.</summary>
    HeadersMalformed = 7,

    /// <summary>A requested header is not allowed by the policy.</summary>
    HeaderNotAllowed = 8,

    /// <summary>The endpoint disables CorsKit.</summary>
    EndpointDisabled = 9,

    /// <summary>No policy applies to the request.</summary>
    NoPolicy = 10,

    /// <summary>The origin resolver failed or timed out; CorsKit refuses rather than guess.</summary>
    ResolverFailed = 11,
}
