using Microsoft.AspNetCore.Http;

namespace CorsKit.Internal;

/// <summary>Answers a preflight itself, 204 or 403, then logs and counts it. It never reaches the app. One per app.</summary>
internal sealed class PreflightResponder
{
    private readonly DecisionLog _log;
    private readonly CorsKitMetrics _metrics;

    public PreflightResponder(DecisionLog log, CorsKitMetrics metrics)
    {
        _log = log;
        _metrics = metrics;
    }

    /// <param name="context">The request.</param>
    /// <param name="served">The policy that governs it.</param>
    /// <param name="request">Its CORS headers.</param>
    /// <param name="originVerdict">The origin's verdict, from the allowlist or a resolver.</param>
    public void Respond(HttpContext context, ServedPolicy served, in CorsRequest request, CorsKitReason originVerdict)
    {
        var settings = served.Settings;
        var requestHeaders = context.Request.Headers[CorsHeaders.RequestHeaders];
        var answer = PreflightAnswer.Decide(served.Policy, originVerdict, request.Origin, request.RequestMethod, requestHeaders, settings.DebugMode);
        var response = context.Response;
        response.StatusCode = answer.WriteTo(response.Headers);
        _metrics.Count("preflight", answer.Reason, served.Policy.Name);
        _log.Preflight(answer, settings.RefusalLogLevel);
    }

    /// <summary>A preflight to an endpoint that disables CorsKit: 403, with no CORS header but Vary (and debug mode's reason).</summary>
    public void RefuseDisabled(HttpContext context, in CorsRequest request, GenerationSettings settings)
    {
        var response = context.Response;
        VaryHeader.Append(response.Headers, CorsHeaders.VaryPreflight);
        if (settings.DebugMode)
        {
            response.Headers[CorsHeaders.DebugReason] =
                ReasonText.Describe(CorsKitReason.EndpointDisabled, null, request.Origin, request.RequestMethod, default);
        }

        response.StatusCode = StatusCodes.Status403Forbidden;
        _metrics.Count("preflight", CorsKitReason.EndpointDisabled, null);
        _log.PreflightDisabled(request.Origin, settings.RefusalLogLevel);
    }
}
