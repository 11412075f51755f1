using Microsoft.AspNetCore.Http;

namespace CorsKit;

/// <summary>
/// Decides at run time whether an origin is allowed, for origins that cannot be listed in configuration (for example
/// tenants' origins kept in a database). Attach it to a policy with
/// <see cref="CorsKitPolicyBuilder.AllowOriginsFrom{TResolver}(Action{CorsKitResolverOptions}?)"/> and register the
/// type in the service collection (singleton, scoped or transient); it is resolved from
/// <see cref="HttpContext.RequestServices"/>.
/// <para>
/// CorsKit consults it only for well-formed origins (never <c>null</c>, never malformed) that the policy's static
/// allowlist did not match, and caches its answers (see <see cref="CorsKitResolverOptions"/>): the answer must depend on
/// the origin alone, not on the request. Concurrent requests for an origin that is not cached share one call, made
/// with the first request's context. An exception or a timeout refuses the origin and is logged; it is never cached.
/// </para>
/// </summary>
public interface ICorsKitOriginResolver
{
    /// <summary>Returns true when <paramref name="origin"/> may make CORS requests under the policy.</summary>
    /// <param name="origin">A serialized origin as the browser sent it, e.g. <c>https://shop.tenant.example</c>.</param>
    /// <param name="context">The request that asked first.</param>
    /// <param name="cancellationToken">Cancelled when <see cref="CorsKitResolverOptions.Timeout"/> elapses.</param>
    ValueTask<bool> IsAllowedAsync(string origin, HttpContext context, CancellationToken cancellationToken);
}
