using Microsoft.AspNetCore.Http;

namespace CorsKit.Internal;

/// <summary>
/// Writes the CORS headers of a response to an actual (non-preflight) request. Runs from Response.OnStarting, so the
/// headers are present whatever the app did to the response before it started (an exception handler's Clear()
/// included), and every response of a policy that depends on Origin carries <c>Vary: Origin</c>.
/// </summary>
internal static class ActualResponse
{
    public static void Write(HttpContext context, CorsKitPolicy policy)
    {
        var headers = context.Response.Headers;
        if (policy.AllowsAnyOrigin)
        {
            // The answer never depends on Origin: '*' on every response, so caches need no Vary.
            headers[CorsHeaders.AllowOrigin] = CorsHeaders.Wildcard;
            if (policy.ExposeHeadersValue.Count != 0) headers[CorsHeaders.ExposeHeaders] = policy.ExposeHeadersValue;
            return;
        }

        var origin = context.Request.Headers.Origin;
        WriteOriginDependent(context, policy, origin.Count != 0 && policy.CheckOrigin(origin) == CorsKitReason.Allowed);
    }

    /// <summary>For a policy whose answer depends on Origin, once the origin is decided (by the allowlist or a resolver).</summary>
    public static void WriteOriginDependent(HttpContext context, CorsKitPolicy policy, bool originAllowed)
    {
        var headers = context.Response.Headers;
        VaryHeader.Append(headers, CorsHeaders.VaryOrigin);
        if (!originAllowed) return;

        headers[CorsHeaders.AllowOrigin] = context.Request.Headers.Origin;
        if (policy.AllowsCredentials) headers[CorsHeaders.AllowCredentials] = CorsHeaders.True;
        if (policy.ExposeHeadersValue.Count != 0) headers[CorsHeaders.ExposeHeaders] = policy.ExposeHeadersValue;
    }
}
