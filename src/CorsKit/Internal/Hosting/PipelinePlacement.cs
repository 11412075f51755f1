using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.ResponseCaching;
using Microsoft.Extensions.Logging;

namespace CorsKit.Internal;

/// <summary>
/// Whether <c>UseCorsKit()</c> sits in the right place: after routing, ahead of authentication and authorization, and
/// not together with Microsoft's <c>UseCors()</c>. The only type that reads the keys ASP.NET Core's own middlewares
/// leave in <c>IApplicationBuilder.Properties</c> and <c>HttpContext.Items</c> (private to ASP.NET Core, so they are
/// read in one place). It checks at three moments, each seeing what the others cannot:
/// <list type="number">
/// <item>when <c>UseCorsKit()</c> is called (<see cref="CheckUse"/>): authentication or authorization already added;</item>
/// <item>once the app has started (<see cref="CheckStarted"/>): endpoints with CorsKit metadata but no UseCorsKit(),
/// or a UseCorsKit() that runs before routing;</item>
/// <item>on the first requests (<see cref="CheckRequest"/>): authorization ran first (WebApplication adds it when the
/// app does not), or a response cache whose entries cannot follow policy changes runs ahead.</item>
/// </list>
/// On every request to an endpoint with CorsKit metadata, <see cref="MarkCorsHandled"/> also tells endpoint routing
/// that a CORS middleware saw it.
/// </summary>
internal sealed partial class PipelinePlacement
{
    // IApplicationBuilder.Properties keys set by UseAuthentication, UseAuthorization, UseRouting and WebApplication.
    private const string AuthenticationSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationSetKey = "__AuthorizationMiddlewareSet";
    private const string EndpointRouteBuilderKey = "__EndpointRouteBuilder";
    private const string GlobalEndpointRouteBuilderKey = "__GlobalEndpointRouteBuilder";

    // HttpContext.Items keys: EndpointMiddleware refuses to run an endpoint with ICorsMetadata unless a CORS middleware
    // set the first; the authorization middleware sets the second.
    private const string CorsMiddlewareInvokedKey = "__CorsMiddlewareWithEndpointInvoked";
    private const string AuthorizationInvokedKey = "__AuthorizationMiddlewareWithEndpointInvoked";

    // ASP.NET Core 11: set by the automatic CSRF protection just before it asks the ICorsPolicyProvider (it is the only
    // caller that sets it). It runs right after routing, before any CORS middleware sets the key above.
    private const string CsrfProtectionInvokedKey = "__CsrfProtectionMiddlewareWithEndpointInvoked";

    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private volatile PipelineRegistration[] _registrations = [];
    private int _requestChecksLeft = 1000;

    public PipelinePlacement(ILoggerFactory loggerFactory) => _logger = loggerFactory.CreateLogger("CorsKit");

    /// <summary>True until the first requests have been checked (<see cref="CheckRequest"/>).</summary>
    public bool RequestChecksPending => _requestChecksLeft > 0;

    /// <summary>The UseCorsKit() calls so far; a snapshot the output-cache policy reads per request without copying.</summary>
    public IReadOnlyList<PipelineRegistration> Registrations => _registrations;

    /// <summary>At <c>UseCorsKit()</c>: refuses a place after authentication or authorization, and records the call.</summary>
    public void CheckUse(IApplicationBuilder app, string? policyName)
    {
        var properties = app.Properties;
        if (properties.ContainsKey(AuthenticationSetKey) || properties.ContainsKey(AuthorizationSetKey))
        {
            throw new InvalidOperationException(
                "app.UseCorsKit() is called after app.UseAuthentication() or app.UseAuthorization(), so preflights (which never carry credentials) "
                + "would be refused with 401/403 before CorsKit answers them. "
                + "Use this order: app.UseRouting(); app.UseCorsKit(); app.UseAuthentication(); app.UseAuthorization();");
        }

        var registration = new PipelineRegistration(
            properties,
            RoutingBefore: properties.ContainsKey(EndpointRouteBuilderKey),
            IsWebApplication: properties.ContainsKey(GlobalEndpointRouteBuilderKey),
            policyName);
        lock (_lock) _registrations = [.. _registrations, registration];
    }

    /// <summary>Once the app has started, given the endpoints that carry CorsKit metadata (described for messages).</summary>
    public void CheckStarted(int endpointsWithMetadata, string described)
    {
        if (endpointsWithMetadata == 0) return;
        var registrations = _registrations;
        if (registrations.Length == 0)
        {
            throw new InvalidOperationException(
                $"Endpoints carry CorsKit policies ({described}) but app.UseCorsKit() is not in the pipeline. "
                + "Add app.UseCorsKit() after app.UseRouting() and before app.UseAuthentication()/app.UseAuthorization().");
        }

        foreach (var registration in registrations)
        {
            // WebApplication runs routing first by itself, unless the app calls UseRouting() after UseCorsKit().
            var routingAfter = !registration.RoutingBefore
                && (!registration.IsWebApplication || registration.Properties.ContainsKey(EndpointRouteBuilderKey));
            if (routingAfter)
            {
                throw new InvalidOperationException(
                    $"app.UseCorsKit() runs before app.UseRouting(), so it cannot see the endpoint policies of {described}. "
                    + "Call app.UseRouting() before app.UseCorsKit().");
            }
        }
    }

    /// <summary>On the first requests only: signs of a misplaced UseCorsKit() that only a request shows.</summary>
    public void CheckRequest(HttpContext context, PolicyStore store)
    {
        if (Interlocked.Decrement(ref _requestChecksLeft) < 0) return;

        // Ahead of CorsKit, both caches store the right answer per origin (ActualResponder). The output cache also
        // follows policy changes (its keys carry the answers' version); UseResponseCaching cannot, which matters only
        // when the policies can change while the app runs.
        if (context.Features.Get<IResponseCachingFeature>() is not null && PoliciesCanChange(store))
        {
            Log.AfterResponseCache(_logger);
            _requestChecksLeft = 0;
        }

        // WebApplication adds UseAuthorization() at the start of the pipeline when the app does not call it itself;
        // then credential-less preflights can be refused before CorsKit ever sees them.
        if (context.GetEndpoint() is not null && context.Items.ContainsKey(AuthorizationInvokedKey) && !IsReExecution(context))
        {
            Log.AfterAuthorization(_logger);
            _requestChecksLeft = 0;
        }
    }

    /// <summary>
    /// For a request whose endpoint carries CorsKit metadata: tells endpoint routing that a CORS middleware handled it.
    /// If the key is there already and this is not a re-execution by an error handler, Microsoft's CORS middleware
    /// ran first, which is not supported.
    /// </summary>
    public static void MarkCorsHandled(HttpContext context)
    {
        var items = context.Items;
        if (items.ContainsKey(CorsMiddlewareInvokedKey) && !IsReExecution(context))
        {
            throw new InvalidOperationException(
                "Microsoft's CORS middleware (app.UseCors()) ran before CorsKit for this request. The two must not be used together: "
                + "remove app.UseCors() and express the policies with CorsKit.");
        }

        items[CorsMiddlewareInvokedKey] = true;
    }

    /// <summary>
    /// True when the caller of an <see cref="Microsoft.AspNetCore.Cors.Infrastructure.ICorsPolicyProvider"/> is ASP.NET
    /// Core 11's automatic CSRF protection rather than a CORS middleware.
    /// </summary>
    public static bool IsCsrfProtectionAsking(HttpContext context)
    {
        var items = context.Items;
        return items.ContainsKey(CsrfProtectionInvokedKey) && !items.ContainsKey(CorsMiddlewareInvokedKey);
    }

    private static bool IsReExecution(HttpContext context) =>
        context.Features.Get<IExceptionHandlerFeature>() is not null || context.Features.Get<IStatusCodeReExecuteFeature>() is not null;

    private static bool PoliciesCanChange(PolicyStore store) =>
        store.CanReload || store.Current.AllServed().Any(served => served.Policy.CachedResolver is not null);

    private static partial class Log
    {
        [LoggerMessage(EventId = 11, EventName = "AfterResponseCache", Level = LogLevel.Warning,
            Message = "UseResponseCaching() runs before CorsKit. Each cached response carries the CORS headers and Vary: Origin of the request "
                + "that filled it, so every origin gets its own entry; but an entry keeps that answer until it expires, so a reloaded policy, or an "
                + "origin revoked through its resolver, reaches cached responses only then. Call app.UseCorsKit() before app.UseResponseCaching() "
                + "to apply policy changes at once (UseOutputCache has no such delay).")]
        public static partial void AfterResponseCache(ILogger logger);

        [LoggerMessage(EventId = 12, EventName = "AfterAuthorization", Level = LogLevel.Error,
            Message = "Authorization ran before CorsKit, so preflights (which never carry credentials) can be refused with 401/403 before "
                + "CorsKit answers them. With WebApplication this happens when the app does not call UseAuthorization() itself: call "
                + "app.UseCorsKit(); app.UseAuthentication(); app.UseAuthorization(); in that order.")]
        public static partial void AfterAuthorization(ILogger logger);
    }
}
