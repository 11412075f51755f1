using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The decision for a preflight under a policy, and the headers that answer it. The middleware and the explain API
/// both decide and write through this type, so what <see cref="ICorsKitExplainer"/> reports is what the middleware sends.
/// </summary>
internal readonly struct PreflightAnswer
{
    private PreflightAnswer(
        CorsKitPolicy policy, CorsKitReason reason, StringValues origin, StringValues method, StringValues requestHeaders, bool debug)
    {
        Policy = policy;
        Reason = reason;
        Origin = origin;
        Method = method;
        RequestHeaders = requestHeaders;
        Debug = debug;
    }

    public CorsKitPolicy Policy { get; }

    public CorsKitReason Reason { get; }

    public StringValues Origin { get; }

    /// <summary>Access-Control-Request-Method, as received.</summary>
    public StringValues Method { get; }

    /// <summary>Access-Control-Request-Headers, as received.</summary>
    public StringValues RequestHeaders { get; }

    /// <summary>Debug mode: refusals explain themselves (<see cref="CorsHeaders.DebugReason"/>).</summary>
    public bool Debug { get; }

    /// <summary>The origin's verdict (from the allowlist or a resolver), then the method, then the request headers.</summary>
    public static PreflightAnswer Decide(
        CorsKitPolicy policy, CorsKitReason originVerdict, StringValues origin, StringValues method, StringValues requestHeaders, bool debug)
    {
        var reason = originVerdict;
        if (reason == CorsKitReason.Allowed) reason = policy.MethodRules.Check(method);
        if (reason == CorsKitReason.Allowed && requestHeaders.Count != 0) reason = policy.RequestHeaderRules.Check(requestHeaders);
        return new PreflightAnswer(policy, reason, origin, method, requestHeaders, debug);
    }

    /// <summary>Writes the answer's headers; returns its status code (204 or 403).</summary>
    public int WriteTo(IHeaderDictionary headers)
    {
        VaryHeader.Append(headers, CorsHeaders.VaryPreflight);
        if (Reason != CorsKitReason.Allowed) return WriteRefusal(headers);

        var policy = Policy;
        var credentials = policy.AllowsCredentials;
        WriteAllowOrigin(headers);

        // With credentials, '*' would name a method or header literally called '*': echo the (validated) request.
        if (policy.MethodRules.AllowsAny && credentials) headers[CorsHeaders.AllowMethods] = Method;
        else if (policy.AllowMethodsValue.Count != 0) headers[CorsHeaders.AllowMethods] = policy.AllowMethodsValue;

        if (HeaderNameSet.HasAny(RequestHeaders))
        {
            headers[CorsHeaders.AllowHeaders] = policy.RequestHeaderRules.AllowsAny && credentials ? RequestHeaders : policy.AllowHeadersValue;
        }

        if (policy.MaxAgeValue.Count != 0) headers[CorsHeaders.MaxAge] = policy.MaxAgeValue;
        return StatusCodes.Status204NoContent;
    }

    private int WriteRefusal(IHeaderDictionary headers)
    {
        if (!Debug) return StatusCodes.Status403Forbidden;
        var policy = Policy;
        headers[CorsHeaders.DebugReason] = ReasonText.Describe(Reason, policy, Origin, Method, RequestHeaders);
        if (Reason is not (CorsKitReason.MethodNotAllowed or CorsKitReason.HeaderNotAllowed)) return StatusCodes.Status403Forbidden;

        // Debug mode, a method or header refusal (the origin is allowed): answer with the allowed lists so that the
        // browser's console names the exact method or header that is missing. Nothing is granted that normal mode would
        // not grant: the browser still fails the preflight.
        WriteAllowOrigin(headers);
        if (policy.AllowMethodsValue.Count != 0 && !(policy.MethodRules.AllowsAny && policy.AllowsCredentials))
        {
            headers[CorsHeaders.AllowMethods] = policy.AllowMethodsValue;
        }

        // A '*' policy can only refuse Authorization, and Chromium lets a '*' answer cover Authorization (the Fetch
        // Standard does not): name the allowed requested headers instead, or debug mode would let the request through.
        var allowedHeaders = policy.RequestHeaderRules.AllowsAny
            ? new StringValues(string.Join(", ", policy.RequestHeaderRules.ListAllowed(RequestHeaders)))
            : policy.AllowHeadersValue;
        if (allowedHeaders.Count != 0 && !string.IsNullOrEmpty(allowedHeaders[0])) headers[CorsHeaders.AllowHeaders] = allowedHeaders;
        return StatusCodes.Status204NoContent;
    }

    private void WriteAllowOrigin(IHeaderDictionary headers)
    {
        headers[CorsHeaders.AllowOrigin] = Policy.AllowsAnyOrigin ? CorsHeaders.Wildcard : Origin;
        if (Policy.AllowsCredentials) headers[CorsHeaders.AllowCredentials] = CorsHeaders.True;
    }
}
