using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// Classifies each request as the Fetch Standard does and applies the policy that governs it.
/// <list type="bullet">
/// <item>Preflight (OPTIONS + Origin + Access-Control-Request-Method): answered here, 204 or 403, never passed on.</item>
/// <item>Actual CORS request (Origin present): passed on; CORS headers are added when the response starts, so they
/// survive an exception handler that clears the response.</item>
/// <item>Anything else: passed on; <c>Vary: Origin</c> is still added when the policy's answer depends on Origin.</item>
/// </list>
/// </summary>
internal sealed partial class CorsKitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly PolicyStore _store;
    private readonly ILogger _logger;
    private readonly CorsKitDiagnostics _diagnostics;
    private readonly string? _policyName;
    private readonly EndpointMetadataPresence _endpointMetadata;
    private readonly ResponseCacheUse _caches;
    private int _pipelineChecksLeft = 1000;

    /// <summary>The key EndpointMiddleware looks for before running an endpoint that carries ICorsMetadata.</summary>
    internal const string EndpointMiddlewareCorsKey = "__CorsMiddlewareWithEndpointInvoked";

    private const string AuthorizationInvokedKey = "__AuthorizationMiddlewareWithEndpointInvoked";

    public CorsKitMiddleware(
        RequestDelegate next, PolicyStore store, CorsKitDiagnostics diagnostics, string? policyName, EndpointMetadataPresence endpointMetadata, ResponseCacheUse caches)
    {
        _caches = caches;
        _endpointMetadata = endpointMetadata;
        _next = next;
        _store = store;
        _diagnostics = diagnostics;
        _logger = diagnostics.Logger;
        _policyName = policyName;
        if (policyName is not null) store.Require(policyName);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_pipelineChecksLeft > 0) CheckPipelineOrder(context);

        var policy = ResolvePolicy(context, _store.Current, out var disabled);
        var request = context.Request;
        var requestHeaders = request.Headers;
        var origin = requestHeaders.Origin;
        StringValues requestMethod = default;
        var isPreflight = HttpMethods.IsOptions(request.Method)
            && origin.Count != 0
            && requestHeaders.TryGetValue(CorsHeaders.RequestMethod, out requestMethod);

        if (policy is null)
        {
            // No policy (passes through, a preflight included) or a disabled endpoint (a preflight is refused).
            var reason = disabled ? CorsKitReason.EndpointDisabled : CorsKitReason.NoPolicy;
            if (!(disabled && isPreflight))
            {
                _diagnostics.Skipped(reason, isPreflight ? "preflight" : origin.Count != 0 ? "actual" : "not_cors", origin, request.Path.Value ?? "/");
                if (disabled && origin.Count != 0 && _diagnostics.DebugMode)
                {
                    // Debug mode explains every refusal; a disabled endpoint's response gets no other CORS header.
                    context.Response.Headers[CorsHeaders.DebugReason] = ReasonText.Describe(reason, null, origin, default, default);
                }

                // In debug mode the answer (that reason) depends on Origin, so a cache must keep it apart.
                if (disabled && _diagnostics.DebugMode) VaryHeader.Append(context.Response.Headers, CorsHeaders.VaryOrigin);

                return _next(context);
            }
        }
        else if (policy.OriginResolver is { } resolver && origin.Count != 0)
        {
            return InvokeWithResolverAsync(context, policy, resolver, origin, isPreflight, requestMethod);
        }

        if (isPreflight)
        {
            AnswerPreflight(context, policy, origin, requestMethod);
            return Task.CompletedTask;
        }

        // Headers are written when the response starts (ActualResponse), by a callback cached on the policy, so
        // nothing is allocated here.
        AttachDiagnostics(policy!);
        context.Response.OnStarting(policy!.ActualResponseCallback, context);
        return CacheAheadMayStore(context, out var outputCache)
            ? InvokeWithCacheAheadAsync(context, policy, null, origin, outputCache)
            : _next(context);
    }

    /// <summary>Gives the policy this app's logs and metrics, for the callbacks that run at response start.</summary>
    private void AttachDiagnostics(CorsKitPolicy policy)
    {
        if (policy.Diagnostics is null) policy.Diagnostics = _diagnostics;
    }

    /// <summary>
    /// Resolves the policy in the order documented on <see cref="PolicyResolution"/>. The endpoint's metadata is the last
    /// <see cref="ICorsKitMetadata"/> on it, so an action beats its controller and an endpoint beats its group.
    /// </summary>
    private CorsKitPolicy? ResolvePolicy(HttpContext context, PolicySet set, out bool disabled)
    {
        disabled = false;
        var metadata = _endpointMetadata.MayBePresent ? context.GetEndpoint()?.Metadata.GetMetadata<ICorsKitMetadata>() : null;
        if (metadata is not null)
        {
            // Tell endpoint routing that a CORS middleware handled this endpoint's ICorsMetadata. If the key is there
            // already and this is not a re-execution by an error handler, Microsoft's CORS middleware ran first.
            var items = context.Items;
            if (items.ContainsKey(EndpointMiddlewareCorsKey) && !IsReExecution(context))
            {
                throw new InvalidOperationException(
                    "Microsoft's CORS middleware (app.UseCors()) ran before CorsKit for this request. The two must not be used together: remove app.UseCors() and express the policies with CorsKit.");
            }

            items[EndpointMiddlewareCorsKey] = true;
            if (PolicyResolution.TryFromEndpoint(metadata, set, out var endpointPolicy, out var unknownName))
            {
                // Names are checked at start-up and on every reload, so an unknown one is unreachable unless the
                // endpoints changed at run time; it is refused like a disabled endpoint.
                if (unknownName is not null) Log.UnknownEndpointPolicy(_logger, unknownName);
                disabled = endpointPolicy is null;
                return endpointPolicy;
            }
        }

        return PolicyResolution.FromPipeline(set, _policyName);
    }

    private bool PoliciesCanChange()
    {
        if (_store.CanReload) return true;
        foreach (var policy in _store.Current.Policies.Values)
        {
            if (policy.OriginResolver is not null) return true;
        }

        return false;
    }

    private static bool IsReExecution(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null
        || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null;

    /// <summary>
    /// Looks, on the first requests, for signs that CorsKit sits in the wrong place: authorization already ran, or a
    /// response cache whose entries cannot follow a policy change runs ahead. These cannot be seen when the pipeline is
    /// built, only when a request goes through it.
    /// </summary>
    private void CheckPipelineOrder(HttpContext context)
    {
        if (Interlocked.Decrement(ref _pipelineChecksLeft) < 0) return;
        var features = context.Features;

        // Ahead of CorsKit, both caches store the right answer per origin (CorsKitMiddleware.CacheAhead.cs). The output
        // cache also follows policy changes (its keys carry the policies' version); UseResponseCaching cannot, so it
        // matters only when the policies can change while the app runs.
        if (features.Get<Microsoft.AspNetCore.ResponseCaching.IResponseCachingFeature>() is not null && PoliciesCanChange())
        {
            Log.AfterResponseCache(_logger);
            _pipelineChecksLeft = 0;
        }

        // WebApplication adds UseAuthorization() at the start of the pipeline when the app does not call it itself;
        // then credential-less preflights can be refused before CorsKit ever sees them.
        if (context.GetEndpoint() is not null && context.Items.ContainsKey(AuthorizationInvokedKey) && !IsReExecution(context))
        {
            Log.AfterAuthorization(_logger);
            _pipelineChecksLeft = 0;
        }
    }

    // originReason: the origin's verdict when a resolver already decided it; null to check it here.
    private void AnswerPreflight(HttpContext context, CorsKitPolicy? policy, StringValues origin, StringValues requestMethod, CorsKitReason? originReason = null)
    {
        var requestHeaders = context.Request.Headers[CorsHeaders.RequestHeaders];
        var reason = policy is null
            ? CorsKitReason.EndpointDisabled
            : PreflightDecision.Evaluate(policy, originReason ?? policy.CheckOrigin(origin), requestMethod, requestHeaders);
        var response = context.Response;
        response.StatusCode = PreflightDecision.Write(response.Headers, policy, reason, origin, requestMethod, requestHeaders, _diagnostics.DebugMode);
        _diagnostics.Preflight(policy, reason, origin, requestMethod, requestHeaders);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, EventName = "UnknownEndpointPolicy", Level = LogLevel.Error,
            Message = "CorsKit: an endpoint names policy '{Policy}', which does not exist; the request is treated as CORS-disabled.")]
        public static partial void UnknownEndpointPolicy(ILogger logger, string policy);

        [LoggerMessage(EventId = 11, EventName = "AfterResponseCache", Level = LogLevel.Warning,
            Message = "UseResponseCaching() runs before CorsKit. Each cached response carries the CORS headers and Vary: Origin of the request that filled it, so every origin gets its own entry; but an entry keeps that answer until it expires, so a reloaded policy, or an origin revoked through its resolver, reaches cached responses only then. Call app.UseCorsKit() before app.UseResponseCaching() to apply policy changes at once (UseOutputCache has no such delay).")]
        public static partial void AfterResponseCache(ILogger logger);

        [LoggerMessage(EventId = 14, EventName = "OutputCacheNotVaried", Level = LogLevel.Warning,
            Message = "An output-cache policy removed the Origin that CorsKit adds to the cache key for policy '{Policy}' (a custom IOutputCachePolicy that clears CacheVaryByRules.VaryByValues?). CorsKit stops such responses from being stored, so one origin's CORS answer is never served to another; keep VaryByValues in your policy to cache them.")]
        public static partial void OutputCacheNotVaried(ILogger logger, string policy);

        [LoggerMessage(EventId = 12, EventName = "AfterAuthorization", Level = LogLevel.Error,
            Message = "Authorization ran before CorsKit, so preflights (which never carry credentials) can be refused with 401/403 before CorsKit answers them. With WebApplication this happens when the app does not call UseAuthorization() itself: call app.UseCorsKit(); app.UseAuthentication(); app.UseAuthorization(); in that order.")]
        public static partial void AfterAuthorization(ILogger logger);
    }
}
