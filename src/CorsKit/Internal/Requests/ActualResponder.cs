using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// Answers an actual request (or one without Origin) under a policy: the app answers it, and CorsKit adds its headers
/// when the response starts (<c>Response.OnStarting</c>), so they are there whatever the app or an exception handler
/// did to the response before; then it logs and counts the decision. One per app. The common path allocates nothing:
/// the callback is the served policy's, and its state is the HttpContext.
/// </summary>
internal sealed partial class ActualResponder
{
    private readonly DecisionLog _log;
    private readonly CorsKitMetrics _metrics;
    private readonly ResponseCacheUse _caches;
    private readonly CachedResponseVersion _cachedResponses;

    public ActualResponder(DecisionLog log, CorsKitMetrics metrics, ResponseCacheUse caches, CachedResponseVersion cachedResponses)
    {
        _log = log;
        _metrics = metrics;
        _caches = caches;
        _cachedResponses = cachedResponses;
    }

    /// <summary>The allowlist decides the origin when the response starts.</summary>
    public Task Respond(HttpContext context, ServedPolicy served, in CorsRequest request, RequestDelegate next)
    {
        context.Response.OnStarting(served.ResponseStarting, context);
        return CacheAheadMayStore(context, out var outputCache)
            ? RespondWithCacheAheadAsync(context, served, null, request.Origin, outputCache, resolved: false, next)
            : next(context);
    }

    /// <summary>A resolver already gave the origin's verdict; a small state object carries it to the response start.</summary>
    /// <param name="context">The request.</param>
    /// <param name="served">The policy that governs it.</param>
    /// <param name="request">Its CORS headers.</param>
    /// <param name="originVerdict">The origin's verdict.</param>
    /// <param name="resolved">True when the resolver itself (not the allowlist) gave the verdict.</param>
    /// <param name="next">The rest of the pipeline.</param>
    public Task RespondDecided(
        HttpContext context, ServedPolicy served, in CorsRequest request, CorsKitReason originVerdict, bool resolved, RequestDelegate next)
    {
        context.Response.OnStarting(DecidedResponse.Callback, new DecidedResponse(this, context, served, request.Origin, originVerdict));
        return CacheAheadMayStore(context, out var outputCache)
            ? RespondWithCacheAheadAsync(context, served, originVerdict, request.Origin, outputCache, resolved, next)
            : next(context);
    }

    /// <summary>At response start: the headers, then the log event and the count.</summary>
    public void AtResponseStart(HttpContext context, ServedPolicy served, StringValues origin, CorsKitReason? originVerdict)
    {
        var settings = served.Settings;
        var answer = ActualAnswer.Decide(served.Policy, origin, originVerdict, settings.DebugMode);
        answer.WriteTo(context.Response.Headers);
        Report(answer, settings.RefusalLogLevel);
    }

    /// <summary>
    /// Logs and counts an answer already written. A failure here (a log sink or metrics listener that throws) is
    /// logged, never thrown into the server, where it would break a response the app already produced. Writing the
    /// headers cannot fail at response start, and keeping it outside the try keeps the common path tight.
    /// </summary>
    private void Report(in ActualAnswer answer, LogLevel refusalLevel)
    {
        try
        {
            _metrics.Count(answer.Origin.Count == 0 ? "not_cors" : "actual", answer.Reason, answer.Policy.Name);
            _log.Actual(answer, refusalLevel);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ResponseStartFailed(_log.Logger, answer.Policy.Name, ex);
        }
    }

    private sealed class DecidedResponse(
        ActualResponder responder, HttpContext context, ServedPolicy served, StringValues origin, CorsKitReason verdict)
    {
        public static readonly Func<object, Task> Callback = static state =>
        {
            var decided = (DecidedResponse)state;
            decided._responder.AtResponseStart(decided._context, decided._served, decided._origin, decided._verdict);
            return Task.CompletedTask;
        };

        private readonly ActualResponder _responder = responder;
        private readonly HttpContext _context = context;
        private readonly ServedPolicy _served = served;
        private readonly StringValues _origin = origin;
        private readonly CorsKitReason _verdict = verdict;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 15, EventName = "ResponseStartFailed", Level = LogLevel.Error,
            Message = "CorsKit could not add its headers to a response under policy '{Policy}'; the response is sent without them.")]
        public static partial void ResponseStartFailed(ILogger logger, string policy, Exception exception);

        [LoggerMessage(EventId = 14, EventName = "OutputCacheNotVaried", Level = LogLevel.Warning,
            Message = "An output-cache policy removed the Origin that CorsKit adds to the cache key for policy '{Policy}' (a custom "
                + "IOutputCachePolicy that clears CacheVaryByRules.VaryByValues?). CorsKit stops such responses from being stored, so one origin's "
                + "CORS answer is never served to another; keep VaryByValues in your policy to cache them.")]
        public static partial void OutputCacheNotVaried(ILogger logger, string policy);
    }
}
