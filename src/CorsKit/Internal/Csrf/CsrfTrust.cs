using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The rule ASP.NET Core 11's automatic CSRF protection applies to the CORS policy of an unsafe cross-site request,
/// applied to a CorsKit policy: trusted only when the policy allows the origin with credentials and is not an
/// any-origin policy. Shared by the policy provider .NET 11 asks (<see cref="CsrfPolicySource"/>) and the explain API,
/// so both say the same thing.
/// </summary>
internal static class CsrfTrust
{
    /// <summary>The methods the CSRF protection never checks (it calls them safe).</summary>
    public static bool IsSafeMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)
        || HttpMethods.IsQuery(method);

    /// <summary>
    /// True when the verdict does not depend on the origin (no policy, a disabled endpoint, any origin, no
    /// credentials): <paramref name="reason"/> is that verdict. False when the origin decides.
    /// </summary>
    public static bool RefusesEveryOrigin([NotNullWhen(false)] CorsKitPolicy? policy, bool disabled, out CorsKitCsrfReason reason)
    {
        reason = policy switch
        {
            null => disabled ? CorsKitCsrfReason.EndpointDisabled : CorsKitCsrfReason.NoPolicy,
            { AllowsAnyOrigin: true } => CorsKitCsrfReason.AnyOrigin,
            { AllowsCredentials: false } => CorsKitCsrfReason.NoCredentials,
            _ => CorsKitCsrfReason.Trusted,
        };
        return reason != CorsKitCsrfReason.Trusted;
    }

    /// <summary>The verdict of a credentialed, listed-origins policy once its origin check has answered.</summary>
    public static CorsKitCsrfReason FromOrigin(CorsKitReason originVerdict) =>
        originVerdict == CorsKitReason.Allowed ? CorsKitCsrfReason.Trusted : CorsKitCsrfReason.OriginNotAllowed;

    /// <summary>
    /// The verdict in plain words. <paramref name="originVerdict"/> matters for <see cref="CorsKitCsrfReason.OriginNotAllowed"/>;
    /// <paramref name="policies"/> names the disagreeing pipeline policies.
    /// </summary>
    public static string Describe(
        CorsKitCsrfReason reason, CorsKitPolicy? policy, StringValues origin, CorsKitReason originVerdict, string? policies = null)
    {
        var name = policy?.Name ?? "(none)";
        var shown = SafeLog.Value(origin);
        return reason switch
        {
            CorsKitCsrfReason.Trusted =>
                $"ASP.NET Core 11's CSRF protection trusts unsafe requests from '{shown}': CorsKit policy '{name}' allows that origin with "
                    + "credentials",
            CorsKitCsrfReason.NoPolicy =>
                "ASP.NET Core 11's CSRF protection does not trust this cross-site request: no CorsKit policy applies. Configure a default policy or "
                    + "name one on the endpoint, with the origin and AllowCredentials()",
            CorsKitCsrfReason.EndpointDisabled =>
                "ASP.NET Core 11's CSRF protection does not trust this cross-site request: CorsKit is disabled for this endpoint",
            CorsKitCsrfReason.AnyOrigin =>
                $"ASP.NET Core 11's CSRF protection does not trust this cross-site request: CorsKit policy '{name}' allows any origin, which lets "
                    + "every page read responses, never act for the user. Give the endpoint a policy that lists the origins allowed to post, with "
                    + "AllowCredentials()",
            CorsKitCsrfReason.NoCredentials =>
                $"ASP.NET Core 11's CSRF protection does not trust this cross-site request: CorsKit policy '{name}' does not allow credentials. "
                    + $"Call AllowCredentials() (\"AllowCredentials\": true) if '{shown}' may act with the user's cookies",
            CorsKitCsrfReason.PipelinePoliciesDisagree =>
                $"ASP.NET Core 11's CSRF protection does not trust this cross-site request: the endpoint names no policy and the UseCorsKit(name) "
                    + $"policies ({policies}) do not all allow '{shown}' with credentials; ASP.NET Core judges before the request reaches any of "
                    + "them. Name the policy on the endpoint (RequireCorsKit(name) or [CorsKitPolicy(name)])",
            _ => $"ASP.NET Core 11's CSRF protection does not trust this cross-site request: "
                + $"{ReasonText.Describe(originVerdict, policy, origin, default, default)}",
        };
    }
}
