using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>Header names and constant values, allocated once.</summary>
internal static class CorsHeaders
{
    public const string Origin = "Origin";
    public const string RequestMethod = "Access-Control-Request-Method";
    public const string RequestHeaders = "Access-Control-Request-Headers";
    public const string AllowOrigin = "Access-Control-Allow-Origin";
    public const string AllowCredentials = "Access-Control-Allow-Credentials";
    public const string AllowMethods = "Access-Control-Allow-Methods";
    public const string AllowHeaders = "Access-Control-Allow-Headers";
    public const string ExposeHeaders = "Access-Control-Expose-Headers";
    public const string MaxAge = "Access-Control-Max-Age";

    /// <summary>Debug mode only: why CorsKit refused the request, in plain words.</summary>
    public const string DebugReason = "X-CorsKit-Reason";

    public static readonly StringValues Wildcard = new("*");
    public static readonly StringValues True = new("true");
    public static readonly StringValues VaryOrigin = new(Origin);
    public static readonly StringValues VaryPreflight = new($"{Origin}, {RequestMethod}, {RequestHeaders}");
}
