using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The decision for a preflight and the headers that answer it. The middleware and the explain API both call these,
/// so what <see cref="ICorsKitExplainer"/> reports is exactly what the middleware sends.
/// </summary>
internal static class PreflightDecision
{
    public static CorsKitReason Evaluate(CorsKitPolicy policy, StringValues origin, StringValues method, StringValues requestHeaders) =>
        Evaluate(policy, policy.CheckOrigin(origin), method, requestHeaders);

    /// <summary>The rest of the decision once the origin has a verdict (from the allowlist, or from a resolver).</summary>
    public static CorsKitReason Evaluate(CorsKitPolicy policy, CorsKitReason originReason, StringValues method, StringValues requestHeaders)
    {
        var reason = originReason;
        if (reason == CorsKitReason.Allowed) reason = policy.MethodRules.Check(method);
        if (reason == CorsKitReason.Allowed && requestHeaders.Count != 0) reason = policy.RequestHeaderRules.Check(requestHeaders);
        return reason;
    }

    /// <summary>Writes the answer's headers and returns its status code.</summary>
    public static int Write(IHeaderDictionary headers, CorsKitPolicy? policy, CorsKitReason reason, StringValues origin, StringValues method, StringValues requestHeaders, bool debug)
    {
        VaryHeader.Append(headers, CorsHeaders.VaryPreflight);
        if (reason != CorsKitReason.Allowed)
        {
            if (debug)
            {
                headers[CorsHeaders.DebugReason] = ReasonText.Describe(reason, policy, origin, method, requestHeaders);

                // Debug mode: for a method or header refusal (the origin is allowed), answer with the allowed lists so
                // that the browser's console names the exact method or header that is missing. Nothing is granted
                // that normal mode would not grant: the browser still fails the preflight.
                if (policy is not null && reason is CorsKitReason.MethodNotAllowed or CorsKitReason.HeaderNotAllowed)
                {
                    WriteAllowOrigin(headers, policy, origin);
                    if (policy.AllowMethodsValue.Count != 0 && !(policy.MethodRules.AllowsAny && policy.AllowsCredentials))
                    {
                        headers[CorsHeaders.AllowMethods] = policy.AllowMethodsValue;
                    }

                    // A '*' policy can only refuse Authorization, and Chromium lets a '*' answer cover Authorization
                    // (the Fetch Standard does not): name the allowed requested headers instead, or debug mode would
                    // let the request through.
                    var allowedHeaders = policy.RequestHeaderRules.AllowsAny
                        ? new StringValues(string.Join(", ", policy.RequestHeaderRules.ListAllowed(requestHeaders)))
                        : policy.AllowHeadersValue;
                    if (allowedHeaders.Count != 0 && !string.IsNullOrEmpty(allowedHeaders[0])) headers[CorsHeaders.AllowHeaders] = allowedHeaders;
                    return StatusCodes.Status204NoContent;
                }
            }

            return StatusCodes.Status403Forbidden;
        }

        var credentials = policy!.AllowsCredentials;
        WriteAllowOrigin(headers, policy, origin);

        // With credentials, '*' would name a method or header literally called '*': echo the (validated) request.
        if (policy.MethodRules.AllowsAny && credentials) headers[CorsHeaders.AllowMethods] = method;
        else if (policy.AllowMethodsValue.Count != 0) headers[CorsHeaders.AllowMethods] = policy.AllowMethodsValue;

        if (HeaderNameSet.HasAny(requestHeaders))
        {
            headers[CorsHeaders.AllowHeaders] = policy.RequestHeaderRules.AllowsAny && credentials
                ? requestHeaders
                : policy.AllowHeadersValue;
        }

        if (policy.MaxAgeValue.Count != 0) headers[CorsHeaders.MaxAge] = policy.MaxAgeValue;
        return StatusCodes.Status204NoContent;
    }

    private static void WriteAllowOrigin(IHeaderDictionary headers, CorsKitPolicy policy, StringValues origin)
    {
        headers[CorsHeaders.AllowOrigin] = policy.AllowsAnyOrigin ? CorsHeaders.Wildcard : origin;
        if (policy.AllowsCredentials) headers[CorsHeaders.AllowCredentials] = CorsHeaders.True;
    }
}

/// <summary>
/// The decision for an actual (non-preflight) request and the headers of its response. Written from
/// Response.OnStarting, so the headers are present whatever the app did to the response before it started (an
/// exception handler's Clear() included).
/// </summary>
internal static class ActualResponse
{
    public static CorsKitReason Evaluate(CorsKitPolicy policy, StringValues origin)
    {
        return origin.Count == 0 ? CorsKitReason.NotCors : policy.CheckOrigin(origin);
    }

    /// <summary>At response start: the headers for this decision, then its log event and count.</summary>
    public static void Respond(HttpContext context, CorsKitPolicy policy, CorsKitReason reason, StringValues origin)
    {
        var diagnostics = policy.Diagnostics;
        Write(context.Response.Headers, policy, reason, origin, diagnostics?.DebugMode ?? false);
        diagnostics?.Actual(policy, reason, origin);
    }

    public static void Write(IHeaderDictionary headers, CorsKitPolicy policy, CorsKitReason reason, StringValues origin, bool debug)
    {
        if (policy.AllowsAnyOrigin)
        {
            // The answer never depends on Origin: '*' on every response, so caches need no Vary.
            headers[CorsHeaders.AllowOrigin] = CorsHeaders.Wildcard;
            if (policy.ExposeHeadersValue.Count != 0) headers[CorsHeaders.ExposeHeaders] = policy.ExposeHeadersValue;
            return;
        }

        VaryHeader.Append(headers, CorsHeaders.VaryOrigin);
        if (reason != CorsKitReason.Allowed)
        {
            if (debug && reason != CorsKitReason.NotCors) headers[CorsHeaders.DebugReason] = ReasonText.Describe(reason, policy, origin, default, default);
            return;
        }

        headers[CorsHeaders.AllowOrigin] = origin;
        if (policy.AllowsCredentials) headers[CorsHeaders.AllowCredentials] = CorsHeaders.True;
        if (policy.ExposeHeadersValue.Count != 0) headers[CorsHeaders.ExposeHeaders] = policy.ExposeHeadersValue;
    }
}
