using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The path for policies with an <see cref="ICorsKitOriginResolver"/>: the origin is decided (allowlist first, then the
/// resolver, awaited) before a preflight is answered or the request goes on, and the actual response's headers are
/// written from that decision rather than by asking again. Allocates a small state object per request; the
/// allowlist-only path stays allocation-free.
/// </summary>
internal sealed partial class CorsKitMiddleware
{
    private async Task InvokeWithResolverAsync(
        HttpContext context, CorsKitPolicy policy, OriginResolution resolver, StringValues origin, bool isPreflight, StringValues requestMethod)
    {
        var reason = policy.CheckOrigin(origin);

        // Only a well-formed origin the allowlist did not match reaches the resolver; malformed and null never do.
        var resolved = reason == CorsKitReason.OriginNotAllowed;
        if (resolved) reason = await resolver.CheckAsync(origin[0]!, context, _logger).ConfigureAwait(false);

        if (isPreflight)
        {
            AnswerPreflight(context, policy, origin, requestMethod, reason);
            return;
        }

        AttachDiagnostics(policy);
        context.Response.OnStarting(DecidedActualResponse.Callback, new DecidedActualResponse(context, policy, reason, origin));
        if (CacheAheadMayStore(context, out var outputCache)) await InvokeWithCacheAheadAsync(context, policy, reason, origin, outputCache, resolved).ConfigureAwait(false);
        else await _next(context).ConfigureAwait(false);
    }

    private sealed class DecidedActualResponse(HttpContext context, CorsKitPolicy policy, CorsKitReason reason, StringValues origin)
    {
        public static readonly Func<object, Task> Callback = static state =>
        {
            var decided = (DecidedActualResponse)state;
            ActualResponse.Respond(decided._context, decided._policy, decided._reason, decided._origin);
            return Task.CompletedTask;
        };

        private readonly HttpContext _context = context;
        private readonly CorsKitPolicy _policy = policy;
        private readonly CorsKitReason _reason = reason;
        private readonly StringValues _origin = origin;
    }
}
