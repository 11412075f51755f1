using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Internal;

/// <summary>
/// The app's <see cref="ICorsPolicyProvider"/> on ASP.NET Core 11 and later: it wraps the provider the app had
/// (Microsoft's <see cref="DefaultCorsPolicyProvider"/> when none), and answers with CorsKit's policy only when the
/// automatic CSRF protection asks about a request CorsKit governs. Microsoft's CORS middleware, and anything else that
/// asks, gets the wrapped provider's answer unchanged, so apps that also use Microsoft's CORS keep its behaviour.
/// </summary>
internal sealed class CorsKitCsrfPolicyProvider : ICorsPolicyProvider
{
    private readonly ICorsPolicyProvider _inner;
    private readonly CsrfPolicySource _source;

    public CorsKitCsrfPolicyProvider(ICorsPolicyProvider inner, CsrfPolicySource source)
    {
        _inner = inner;
        _source = source;
    }

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (PipelinePlacement.IsCsrfProtectionAsking(context) && _source.TryAnswer(context, policyName, out var answer)) return answer;
        return _inner.GetPolicyAsync(context, policyName);
    }
}
