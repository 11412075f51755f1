using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>The CSRF verdict the explain API reports with a decision: the rule of <see cref="CsrfTrust"/>, offline.</summary>
internal static class CsrfExplanation
{
    /// <summary>
    /// The verdict for an actual unsafe request with an Origin; null for a preflight, a safe method or no Origin, which
    /// the CSRF protection never judges by CORS policy. <paramref name="policy"/> null: no policy applies.
    /// </summary>
    public static CorsKitCsrfVerdict? For(CorsKitPolicy? policy, CorsKitRequestFacts request)
    {
        if (request.IsPreflight || request.Origin is null || CsrfTrust.IsSafeMethod(request.Method)) return null;
        var origin = new StringValues(request.Origin);
        var originVerdict = CorsKitReason.Allowed;
        if (!CsrfTrust.RefusesEveryOrigin(policy, disabled: false, out var reason))
        {
            originVerdict = policy.OriginRules.Check(origin);
            reason = CsrfTrust.FromOrigin(originVerdict);
        }

        var message = CsrfTrust.Describe(reason, policy, origin, originVerdict) + ".";
        if (originVerdict == CorsKitReason.OriginNotAllowed && policy?.OriginResolverType is { } resolver)
        {
            message += $" The policy also asks its origin resolver ({resolver.Name}) at run time, which this explanation does not consult; an "
                + "origin it allows is trusted.";
        }

        return new CorsKitCsrfVerdict(reason, message);
    }
}
