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
        var policy = ResolvePolicy(_store.Current);
        if (policy is null)
        {
            return _next(context);
        }

        var request = context.Request;
        if (HttpMethods.IsOptions(request.Method))
        {
            var requestHeaders = request.Headers;
            var origin = requestHeaders.Origin;
            if (origin.Count != 0 && requestHeaders.TryGetValue(CorsHeaders.RequestMethod, out var requestMethod))
            {
                AnswerPreflight(context, policy, origin, requestMethod);
                return Task.CompletedTask;
            }
        }

        // Headers are written when the response starts (see ActualResponse), by a callback cached on the policy,
        // so nothing is allocated here. The decision is evaluated again only when it is worth logging.
        context.Response.OnStarting(policy.ActualResponseCallback, context);
        if (_logger.IsEnabled(LogLevel.Information) && request.Headers.Origin.Count != 0) LogActual(policy, request.Headers.Origin);
        return _next(context);
    }

    /// <summary>Policy resolution, in order: 1. the policy named in UseCorsKit(name); 2. the default policy; 3. none.</summary>
    private CorsKitPolicy? ResolvePolicy(PolicySet set)
    {
        if (_policyName is not null && set.Policies.TryGetValue(_policyName, out var named)) return named;
        return set.Default;
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
    }
}
