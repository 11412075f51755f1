namespace CorsKit.Internal;

/// <summary>
/// Limits applied to values read from a request. Anything beyond them is refused as a CORS request
/// before any lookup, so hostile input costs a length check. Documented in docs/security.md.
/// </summary>
internal static class RequestLimits
{
    /// <summary>Longest Origin accepted: scheme, "://", a 253-character host and a port fit with room to spare.</summary>
    public const int MaxOriginLength = 512;

    /// <summary>Longest Access-Control-Request-Method accepted.</summary>
    public const int MaxMethodLength = 64;

    /// <summary>Longest Access-Control-Request-Headers accepted, summed over all its header lines.</summary>
    public const int MaxRequestHeadersLength = 2048;

    /// <summary>Most elements (empty ones included) accepted in Access-Control-Request-Headers.</summary>
    public const int MaxRequestHeadersElements = 64;

    /// <summary>Longest DNS host name.</summary>
    public const int MaxHostLength = 253;

    /// <summary>Longest DNS label.</summary>
    public const int MaxLabelLength = 63;
}
