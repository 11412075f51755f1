using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.Internal;

/// <summary>
/// The path for policies with an <see cref="ICorsKitOriginResolver"/>: the origin is decided (allowlist first, then the
/// resolver, awaited) before a preflight is answered or the request goes on, and the response headers are written from
/// that decision rather than by asking again. Allocates a small state object per request; the allowlist-only path
/// stays allocation-free.
/// </summary>
internal sealed partial class CorsKitMiddleware
{
    private async Task InvokeWithResolverAsync(HttpContext context, CorsKitPolicy policy, OriginResolution resolver)
    {
        var request = context.Request;
        var origin = request.Headers.Origin;
        var reason = policy.CheckOrigin(origin);

        // Only a well-formed origin the allowlist did not match reaches the resolver; malformed and null never do.
        if (reason == CorsKitReason.OriginNotAllowed) reason = await resolver.CheckAsync(origin[0]!, context, _logger).ConfigureAwait(false);

        if (HttpMethods.IsOptions(request.Method) && request.Headers.TryGetValue(CorsHeaders.RequestMethod, out var requestMethod))
        {
            AnswerPreflight(context, policy, origin, requestMethod, reason);
            return;
        }

        context.Response.OnStarting(DecidedActualResponse.Callback, new DecidedActualResponse(context, policy, reason == CorsKitReason.Allowed));
        if (reason == CorsKitReason.Allowed) Log.ActualAllowed(_logger, policy.Name, new LoggedValue(origin));
        else Log.ActualRefused(_logger, policy.Name, reason, new LoggedValue(origin));
        await _next(context).ConfigureAwait(false);
    }

    private sealed class DecidedActualResponse(HttpContext context, CorsKitPolicy policy, bool originAllowed)
    {
        public static readonly Func<object, Task> Callback = static state =>
        {
            var decided = (DecidedActualResponse)state;
            ActualResponse.WriteOriginDependent(decided.Context, decided.Policy, decided.OriginAllowed);
            return Task.CompletedTask;
        };

        public HttpContext Context { get; } = context;

        public CorsKitPolicy Policy { get; } = policy;

        public bool OriginAllowed { get; } = originAllowed;
    }
}
