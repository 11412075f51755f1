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
    private readonly string? _policyName;
    private int _pipelineChecksLeft = 1000;

    /// <summary>The key EndpointMiddleware looks for before running an endpoint that carries ICorsMetadata.</summary>
    internal const string EndpointMiddlewareCorsKey = "__CorsMiddlewareWithEndpointInvoked";

    private const string AuthorizationInvokedKey = "__AuthorizationMiddlewareWithEndpointInvoked";

    public CorsKitMiddleware(RequestDelegate next, PolicyStore store, ILogger<CorsKitMiddleware> logger, string? policyName)
    {
        _next = next;
        _store = store;
        _logger = logger;
        _policyName = policyName;
        if (policyName is not null) store.Require(policyName);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_pipelineChecksLeft > 0) CheckPipelineOrder(context);

        var policy = ResolvePolicy(context, _store.Current, out var disabled);
        var request = context.Request;
        if (policy is null && !disabled)
        {
            return _next(context);
        }

        if (HttpMethods.IsOptions(request.Method))
        {
            var requestHeaders = request.Headers;
            if (requestHeaders.Origin.Count != 0 && requestHeaders.TryGetValue(CorsHeaders.RequestMethod, out var requestMethod))
            {
                if (policy is null) RefuseDisabledPreflight(context);
                else AnswerPreflight(context, policy, requestHeaders.Origin, requestMethod);
                return Task.CompletedTask;
            }
        }

        if (policy is null)
        {
            // Disabled endpoint: no CORS headers at all.
            return _next(context);
        }

        // Headers are written when the response starts (see ActualResponse), by a callback cached on the policy,
        // so nothing is allocated here. The decision is evaluated again only when it is worth logging.
        context.Response.OnStarting(policy.ActualResponseCallback, context);
        if (request.Headers.Origin.Count != 0 && _logger.IsEnabled(LogLevel.Information)) LogActual(policy, request.Headers.Origin);
        return _next(context);
    }

    /// <summary>
    /// Policy resolution, in this order (docs/endpoint-policies.md):
    /// 1. the endpoint disables CorsKit: no policy, preflights refused;
    /// 2. the endpoint names a policy or carries an inline one: that policy;
    /// 3. the policy named in UseCorsKit(name);
    /// 4. the default policy;
    /// 5. none: the request passes through untouched.
    /// The endpoint's metadata is the last <see cref="ICorsKitMetadata"/> on it, so an action beats its controller and an
    /// endpoint beats its group.
    /// </summary>
    private CorsKitPolicy? ResolvePolicy(HttpContext context, PolicySet set, out bool disabled)
    {
        disabled = false;
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<ICorsKitMetadata>();
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
            if (metadata.IsDisabled)
            {
                disabled = true;
                return null;
            }

            if (metadata.Policy is { } inline) return inline;
            if (metadata.PolicyName is { } name)
            {
                if (set.Policies.TryGetValue(name, out var endpointPolicy)) return endpointPolicy;

                // Names are checked at start-up and on every reload, so this is unreachable unless the endpoints
                // changed at run time. Refuse rather than fall back to a more permissive policy.
                disabled = true;
                Log.UnknownEndpointPolicy(_logger, name);
                return null;
            }
        }

        if (_policyName is not null && set.Policies.TryGetValue(_policyName, out var named)) return named;
        return set.Default;
    }

    private static bool IsReExecution(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null
        || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null;

    private void RefuseDisabledPreflight(HttpContext context)
    {
        var response = context.Response;
        VaryHeader.Append(response.Headers, CorsHeaders.VaryPreflight);
        response.StatusCode = StatusCodes.Status403Forbidden;
        Log.PreflightRefused(_logger, "(disabled)", CorsKitReason.EndpointDisabled, new LoggedValue(context.Request.Headers.Origin));
    }

    /// <summary>
    /// Looks, on the first requests, for signs that CorsKit sits in the wrong place: authorization or a response cache
    /// already ran. These cannot be seen when the pipeline is built, only when a request goes through it.
    /// </summary>
    private void CheckPipelineOrder(HttpContext context)
    {
        if (Interlocked.Decrement(ref _pipelineChecksLeft) < 0) return;
        var features = context.Features;
        if (features.Get<Microsoft.AspNetCore.ResponseCaching.IResponseCachingFeature>() is not null
            || features.Get<Microsoft.AspNetCore.OutputCaching.IOutputCacheFeature>() is not null)
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

    private void AnswerPreflight(HttpContext context, CorsKitPolicy policy, StringValues origin, StringValues requestMethod)
    {
        var requestHeaders = context.Request.Headers[CorsHeaders.RequestHeaders];
        var reason = policy.CheckOrigin(origin);
        if (reason == CorsKitReason.Allowed) reason = policy.MethodRules.Check(requestMethod);
        if (reason == CorsKitReason.Allowed && requestHeaders.Count != 0) reason = policy.RequestHeaderRules.Check(requestHeaders);

        var response = context.Response;
        var headers = response.Headers;
        VaryHeader.Append(headers, CorsHeaders.VaryPreflight);

        if (reason != CorsKitReason.Allowed)
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            Log.PreflightRefused(_logger, policy.Name, reason, new LoggedValue(origin));
            return;
        }

        response.StatusCode = StatusCodes.Status204NoContent;
        var credentials = policy.AllowsCredentials;
        headers[CorsHeaders.AllowOrigin] = policy.AllowsAnyOrigin ? CorsHeaders.Wildcard : origin;
        if (credentials) headers[CorsHeaders.AllowCredentials] = CorsHeaders.True;

        // With credentials, '*' would name a method or header literally called '*': echo the (validated) request.
        if (policy.MethodRules.AllowsAny && credentials) headers[CorsHeaders.AllowMethods] = requestMethod;
        else if (policy.AllowMethodsValue.Count != 0) headers[CorsHeaders.AllowMethods] = policy.AllowMethodsValue;

        if (HeaderNameSet.HasAny(requestHeaders))
        {
            headers[CorsHeaders.AllowHeaders] = policy.RequestHeaderRules.AllowsAny && credentials
                ? requestHeaders
                : policy.AllowHeadersValue;
        }

        if (policy.MaxAgeValue.Count != 0) headers[CorsHeaders.MaxAge] = policy.MaxAgeValue;
        Log.PreflightAllowed(_logger, policy.Name, new LoggedValue(origin));
    }

    private void LogActual(CorsKitPolicy policy, StringValues origin)
    {
        if (policy.AllowsAnyOrigin) return;
        var reason = policy.CheckOrigin(origin);
        if (reason == CorsKitReason.Allowed) Log.ActualAllowed(_logger, policy.Name, new LoggedValue(origin));
        else Log.ActualRefused(_logger, policy.Name, reason, new LoggedValue(origin));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "PreflightAllowed", Level = LogLevel.Debug,
            Message = "CorsKit allowed a preflight from {Origin} under policy '{Policy}'.")]
        public static partial void PreflightAllowed(ILogger logger, string policy, LoggedValue origin);

        [LoggerMessage(EventId = 2, EventName = "PreflightRefused", Level = LogLevel.Information,
            Message = "CorsKit refused a preflight from {Origin} under policy '{Policy}': {Reason}.")]
        public static partial void PreflightRefused(ILogger logger, string policy, CorsKitReason reason, LoggedValue origin);

        [LoggerMessage(EventId = 3, EventName = "ActualAllowed", Level = LogLevel.Debug,
            Message = "CorsKit allowed a CORS request from {Origin} under policy '{Policy}'.")]
        public static partial void ActualAllowed(ILogger logger, string policy, LoggedValue origin);

        [LoggerMessage(EventId = 4, EventName = "ActualRefused", Level = LogLevel.Information,
            Message = "CorsKit sent no CORS headers to {Origin} under policy '{Policy}': {Reason}.")]
        public static partial void ActualRefused(ILogger logger, string policy, CorsKitReason reason, LoggedValue origin);

        [LoggerMessage(EventId = 5, EventName = "UnknownEndpointPolicy", Level = LogLevel.Error,
            Message = "CorsKit: an endpoint names policy '{Policy}', which does not exist; the request is treated as CORS-disabled.")]
        public static partial void UnknownEndpointPolicy(ILogger logger, string policy);

        [LoggerMessage(EventId = 6, EventName = "AfterResponseCache", Level = LogLevel.Warning,
            Message = "CorsKit runs after a response cache (UseResponseCaching or UseOutputCache). Cached responses are served without passing through CorsKit, so their CORS headers and Vary may be wrong. Call app.UseCorsKit() before the cache middleware.")]
        public static partial void AfterResponseCache(ILogger logger);

        [LoggerMessage(EventId = 7, EventName = "AfterAuthorization", Level = LogLevel.Error,
            Message = "Authorization ran before CorsKit, so preflights (which never carry credentials) can be refused with 401/403 before CorsKit answers them. With WebApplication this happens when the app does not call UseAuthorization() itself: call app.UseCorsKit(); app.UseAuthentication(); app.UseAuthorization(); in that order.")]
        public static partial void AfterAuthorization(ILogger logger);
    }
}
