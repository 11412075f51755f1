using CorsKit.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the CorsKit middleware to the pipeline.</summary>
public static class CorsKitApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the CorsKit middleware with the default policy. Place it after <c>UseRouting()</c> and before
    /// <c>UseAuthentication()</c>, <c>UseAuthorization()</c> and any response caching, so preflights are answered
    /// before anything can refuse them.
    /// </summary>
    public static IApplicationBuilder UseCorsKit(this IApplicationBuilder app) => UseCorsKitCore(app, null);

    /// <summary>Adds the CorsKit middleware with the named policy as the policy for requests whose endpoint names none.</summary>
    public static IApplicationBuilder UseCorsKit(this IApplicationBuilder app, string policyName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        return UseCorsKitCore(app, policyName);
    }

    // Keys ASP.NET Core's own Use* methods leave in IApplicationBuilder.Properties.
    private const string AuthenticationSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationSetKey = "__AuthorizationMiddlewareSet";
    internal const string EndpointRouteBuilderKey = "__EndpointRouteBuilder";
    private const string GlobalEndpointRouteBuilderKey = "__GlobalEndpointRouteBuilder";

    private static IApplicationBuilder UseCorsKitCore(IApplicationBuilder app, string? policyName)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<IServiceProviderIsService>()?.IsService(typeof(PolicyStore)) != true)
        {
            throw new InvalidOperationException(
                "UseCorsKit() needs CorsKit's services: call builder.Services.AddCorsKit(...) (with policies in code or a configuration section) before building the app.");
        }

        if (app.Properties.ContainsKey(AuthenticationSetKey) || app.Properties.ContainsKey(AuthorizationSetKey))
        {
            throw new InvalidOperationException(
                "app.UseCorsKit() is called after app.UseAuthentication() or app.UseAuthorization(), so preflights (which never carry credentials) would be refused with 401/403 before CorsKit answers them. Use this order: app.UseRouting(); app.UseCorsKit(); app.UseAuthentication(); app.UseAuthorization();");
        }

        var store = app.ApplicationServices.GetRequiredService<PipelineRegistry>();
        store.Register(new PipelineRegistration(
            app.Properties,
            RoutingBefore: app.Properties.ContainsKey(EndpointRouteBuilderKey),
            IsWebApplication: app.Properties.ContainsKey(GlobalEndpointRouteBuilderKey),
            PolicyName: policyName));

        // The middleware is created when the pipeline is built (at start-up), so an invalid configuration or an
        // unknown policy name fails the start, not the first request.
        return app.Use(next =>
        {
            var services = app.ApplicationServices;
            var middleware = new CorsKitMiddleware(
                next,
                services.GetRequiredService<PolicyStore>(),
                services.GetRequiredService<CorsKitDiagnostics>(),
                policyName,
                new EndpointMetadataPresence(services),
                services.GetRequiredService<ResponseCacheUse>());
            return middleware.InvokeAsync;
        });
    }
}
