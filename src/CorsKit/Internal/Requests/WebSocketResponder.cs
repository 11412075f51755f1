using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// Answers a WebSocket handshake with an Origin: an allowed one goes on to the app untouched (nothing allocated), a
/// refused one gets 403 and never reaches it. Logged and counted (kind <c>websocket</c>). One per app.
/// </summary>
internal sealed class WebSocketResponder
{
    private readonly DecisionLog _log;
    private readonly CorsKitMetrics _metrics;

    public WebSocketResponder(DecisionLog log, CorsKitMetrics metrics)
    {
        _log = log;
        _metrics = metrics;
    }

    /// <summary>The policy's origin rules, with the same allowlist and resolver (and its cache) as a CORS request.</summary>
    public Task Respond(HttpContext context, ServedPolicy served, in CorsRequest request, RequestDelegate next)
    {
        var policy = served.Policy;
        var verdict = WebSocketAnswer.Precheck(policy, request.Origin, context.Request.Host);
        if (verdict == CorsKitReason.OriginNotAllowed && policy.CachedResolver is { } resolver)
        {
            return ResolveThenAnswerAsync(context, served, resolver, request.Origin, next);
        }

        return Answer(context, WebSocketAnswer.Decide(policy, verdict, request.Origin, served.Settings.DebugMode), served.Settings, next);
    }

    /// <summary>An endpoint that disables CorsKit: only the server's own origin may open a WebSocket to it.</summary>
    public Task RefuseDisabled(HttpContext context, in CorsRequest request, GenerationSettings settings, RequestDelegate next) =>
        Answer(context, WebSocketAnswer.ForDisabledEndpoint(request.Origin, context.Request.Host, settings.DebugMode), settings, next);

    private async Task ResolveThenAnswerAsync(
        HttpContext context, ServedPolicy served, CachedOriginResolver resolver, StringValues origin, RequestDelegate next)
    {
        var verdict = await resolver.CheckAsync(origin[0]!, context, _log.Logger).ConfigureAwait(false);
        await Answer(context, WebSocketAnswer.Decide(served.Policy, verdict, origin, served.Settings.DebugMode), served.Settings, next)
            .ConfigureAwait(false);
    }

    private Task Answer(HttpContext context, in WebSocketAnswer answer, GenerationSettings settings, RequestDelegate next)
    {
        _metrics.Count("websocket", answer.Reason, answer.Policy?.Name);
        _log.WebSocket(answer, settings.RefusalLogLevel);
        if (answer.Reason == CorsKitReason.Allowed) return next(context);
        context.Response.StatusCode = answer.WriteTo(context.Response.Headers);
        return Task.CompletedTask;
    }
}
