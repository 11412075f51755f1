using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Internal;

/// <summary>
/// The request path, in the Fetch Standard's terms. For each request:
/// <list type="number">
/// <item>classify it: not CORS (no Origin), actual CORS request, preflight, or WebSocket handshake (<see cref="CorsRequest"/>);</item>
/// <item>resolve the policy that governs it (<see cref="PolicyResolution"/>): a policy, a disabled endpoint, or none;</item>
/// <item>hand it to the answer: <see cref="PreflightResponder"/> answers a preflight itself; <see cref="ActualResponder"/>
/// passes any other request on and adds headers when the response starts. A policy with an origin resolver first
/// awaits the origin's verdict. A disabled endpoint or no policy passes the request on untouched (a preflight to a
/// disabled endpoint is refused). <see cref="WebSocketResponder"/> refuses a WebSocket handshake from an origin the policy does
/// not allow with 403, and passes an allowed one on.</item>
/// </list>
/// </summary>
internal sealed partial class CorsKitMiddleware
{
    private readonly RequestDelegate _next;
    private readonly string? _pipelinePolicyName;
    private readonly PolicyStore _store;
    private readonly PipelinePlacement _placement;
    private readonly EndpointMetadataPresence _endpointMetadata;
    private readonly PreflightResponder _preflight;
    private readonly ActualResponder _actual;
    private readonly WebSocketResponder _webSockets;
    private readonly DecisionLog _log;
    private readonly CorsKitMetrics _metrics;

    /// <param name="next">The rest of the pipeline.</param>
    /// <param name="services">The app's services.</param>
    /// <param name="pipelinePolicyName">The policy named in <c>UseCorsKit(name)</c>, or null.</param>
    public CorsKitMiddleware(RequestDelegate next, IServiceProvider services, string? pipelinePolicyName)
    {
        _next = next;
        _pipelinePolicyName = pipelinePolicyName;
        _store = services.GetRequiredService<PolicyStore>();
        _placement = services.GetRequiredService<PipelinePlacement>();
        _endpointMetadata = new EndpointMetadataPresence(services);
        _preflight = services.GetRequiredService<PreflightResponder>();
        _actual = services.GetRequiredService<ActualResponder>();
        _webSockets = services.GetRequiredService<WebSocketResponder>();
        _log = services.GetRequiredService<DecisionLog>();
        _metrics = services.GetRequiredService<CorsKitMetrics>();
        if (pipelinePolicyName is not null) _store.Require(pipelinePolicyName);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_placement.RequestChecksPending) _placement.CheckRequest(context, _store);

        var request = CorsRequest.Read(context.Request);
        var generation = _store.Current;
        if (!TryResolve(context, generation, out var served, out var disabled))
        {
            return PassUngoverned(context, request, disabled, generation.Settings);
        }

        if (request.Kind == CorsRequestKind.WebSocket) return _webSockets.Respond(context, served, request, _next);
        if (served.Policy.CachedResolver is { } resolver && request.Kind != CorsRequestKind.NotCors)
        {
            return ResolveOriginThenRespondAsync(context, served, resolver, request);
        }

        if (request.Kind == CorsRequestKind.Preflight)
        {
            _preflight.Respond(context, served, request, served.Policy.OriginRules.Check(request.Origin));
            return Task.CompletedTask;
        }

        return _actual.Respond(context, served, request, _next);
    }

    /// <summary>
    /// Resolution (<see cref="PolicyResolution"/>): the endpoint's CorsKit metadata first, then the pipeline's policy.
    /// False when no policy governs the request; <paramref name="disabled"/> then says whether the endpoint disables
    /// CorsKit (rather than no policy applying at all).
    /// </summary>
    private bool TryResolve(HttpContext context, PolicyGeneration generation, [NotNullWhen(true)] out ServedPolicy? served, out bool disabled)
    {
        disabled = false;
        var metadata = _endpointMetadata.MayBePresent ? context.GetEndpoint()?.Metadata.GetMetadata<ICorsKitMetadata>() : null;
        if (metadata is not null)
        {
            PipelinePlacement.MarkCorsHandled(context);
            if (PolicyResolution.TryFromEndpoint(metadata, generation, out served, out var unknownName))
            {
                // Names are checked at start-up and on every reload, so an unknown one is unreachable unless the
                // endpoints changed at run time; it is refused like a disabled endpoint.
                if (unknownName is not null) Log.UnknownEndpointPolicy(_log.Logger, unknownName);
                disabled = served is null;
                return served is not null;
            }
        }

        served = PolicyResolution.FromPipeline(generation, _pipelinePolicyName);
        return served is not null;
    }

    /// <summary>No policy, or a disabled endpoint: the request goes on without CORS headers; a preflight to a disabled endpoint is refused.</summary>
    private Task PassUngoverned(HttpContext context, in CorsRequest request, bool disabled, GenerationSettings settings)
    {
        if (disabled && request.Kind == CorsRequestKind.Preflight)
        {
            _preflight.RefuseDisabled(context, request, settings);
            return Task.CompletedTask;
        }

        if (disabled && request.Kind == CorsRequestKind.WebSocket) return _webSockets.RefuseDisabled(context, request, settings, _next);

        var reason = disabled ? CorsKitReason.EndpointDisabled : CorsKitReason.NoPolicy;
        _metrics.Count(request.KindTag, reason, null);
        _log.Ungoverned(reason, request.Origin, context.Request.Path.Value ?? "/", settings.RefusalLogLevel);
        if (disabled && settings.DebugMode)
        {
            // Debug mode explains every refusal; a disabled endpoint's response gets no other CORS header. The reason
            // depends on Origin, so a cache must keep it apart.
            var headers = context.Response.Headers;
            if (request.Kind != CorsRequestKind.NotCors)
            {
                headers[CorsHeaders.DebugReason] = ReasonText.Describe(reason, null, request.Origin, default, default);
            }

            VaryHeader.Append(headers, CorsHeaders.VaryOrigin);
        }

        return _next(context);
    }

    /// <summary>
    /// A policy with an origin resolver: the origin is decided first (allowlist, then the awaited resolver), and the
    /// answer is written from that verdict rather than by asking again.
    /// </summary>
    private async Task ResolveOriginThenRespondAsync(HttpContext context, ServedPolicy served, CachedOriginResolver resolver, CorsRequest request)
    {
        var verdict = served.Policy.OriginRules.Check(request.Origin);

        // Only a well-formed origin the allowlist did not match reaches the resolver; malformed and null never do.
        var resolved = verdict == CorsKitReason.OriginNotAllowed;
        if (resolved) verdict = await resolver.CheckAsync(request.Origin[0]!, context, _log.Logger).ConfigureAwait(false);

        if (request.Kind == CorsRequestKind.Preflight)
        {
            _preflight.Respond(context, served, request, verdict);
            return;
        }

        await _actual.RespondDecided(context, served, request, verdict, resolved, _next).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, EventName = "UnknownEndpointPolicy", Level = LogLevel.Error,
            Message = "CorsKit: an endpoint names policy '{Policy}', which does not exist; the request is treated as CORS-disabled.")]
        public static partial void UnknownEndpointPolicy(ILogger logger, string policy);
    }
}
