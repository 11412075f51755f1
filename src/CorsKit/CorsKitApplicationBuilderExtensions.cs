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

    private static IApplicationBuilder UseCorsKitCore(IApplicationBuilder app, string? policyName)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ApplicationServices;
        if (services.GetService<IServiceProviderIsService>()?.IsService(typeof(PolicyStore)) != true)
        {
            throw new InvalidOperationException(
                "UseCorsKit() needs CorsKit's services: call builder.Services.AddCorsKit(...) (with policies in code or a configuration section) "
                + "before building the app.");
        }

        services.GetRequiredService<PipelinePlacement>().CheckUse(app, policyName);

        // The middleware is created when the pipeline is built (at start-up), so an invalid configuration or an
        // unknown policy name fails the start, not the first request.
        return app.Use(next => new CorsKitMiddleware(next, services, policyName).InvokeAsync);
    }
}
