using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The decision for an actual (non-preflight) request under a policy, and the headers of its response. Written when
/// the response starts, so the headers are there whatever the app did to the response before (an exception handler's
/// Clear() included). Shared with the explain API.
/// </summary>
internal readonly struct ActualAnswer
{
    private ActualAnswer(CorsKitPolicy policy, CorsKitReason reason, StringValues origin, bool debug)
    {
        Policy = policy;
        Reason = reason;
        Origin = origin;
        Debug = debug;
    }

    public CorsKitPolicy Policy { get; }

    public CorsKitReason Reason { get; }

    public StringValues Origin { get; }

    public bool Debug { get; }

    /// <param name="policy">The policy that governs the request.</param>
    /// <param name="origin">The request's Origin header lines (none: not a CORS request).</param>
    /// <param name="originVerdict">The origin's verdict when a resolver already gave it; null to check the allowlist.</param>
    /// <param name="debug">Debug mode.</param>
    public static ActualAnswer Decide(CorsKitPolicy policy, StringValues origin, CorsKitReason? originVerdict, bool debug)
    {
        var reason = origin.Count == 0 ? CorsKitReason.NotCors : originVerdict ?? policy.OriginRules.Check(origin);
        return new ActualAnswer(policy, reason, origin, debug);
    }

    /// <summary>Writes the headers. Idempotent, so it may run both before the body and at response start.</summary>
    public void WriteTo(IHeaderDictionary headers)
    {
        var policy = Policy;
        if (policy.AllowsAnyOrigin)
        {
            // The answer never depends on Origin: '*' on every response, so caches need no Vary.
            headers[CorsHeaders.AllowOrigin] = CorsHeaders.Wildcard;
            if (policy.ExposeHeadersValue.Count != 0) headers[CorsHeaders.ExposeHeaders] = policy.ExposeHeadersValue;
            return;
        }

        VaryHeader.Append(headers, CorsHeaders.VaryOrigin);
        if (Reason != CorsKitReason.Allowed)
        {
            if (Debug && Reason != CorsKitReason.NotCors)
            {
                headers[CorsHeaders.DebugReason] = ReasonText.Describe(Reason, policy, Origin, default, default);
            }

            return;
        }

        headers[CorsHeaders.AllowOrigin] = Origin;
        if (policy.AllowsCredentials) headers[CorsHeaders.AllowCredentials] = CorsHeaders.True;
        if (policy.ExposeHeadersValue.Count != 0) headers[CorsHeaders.ExposeHeaders] = policy.ExposeHeadersValue;
    }
}
