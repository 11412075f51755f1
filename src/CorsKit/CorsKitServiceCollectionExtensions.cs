using CorsKit;
using CorsKit.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CorsKit's services and policies.</summary>
public static class CorsKitServiceCollectionExtensions
{
    /// <summary>Adds CorsKit with policies configured in code. May be combined with the configuration overload.</summary>
    public static IServiceCollection AddCorsKit(this IServiceCollection services, Action<CorsKitOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services);
        services.Configure(configure);
        return services;
    }

    /// <summary>
    /// Adds CorsKit with policies read from a configuration section (usually <c>configuration.GetSection("CorsKit")</c>).
    /// When the configuration reloads, the policies are rebuilt and swapped atomically; an invalid new configuration is
    /// refused and logged, and the previous one keeps serving.
    /// </summary>
    public static IServiceCollection AddCorsKit(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        AddCore(services);
        services.AddSingleton<IConfigureOptions<CorsKitOptions>>(
            new ConfigureOptions<CorsKitOptions>(options => ConfigurationReader.Apply(section, options)));
        services.AddSingleton<IOptionsChangeTokenSource<CorsKitOptions>>(new ConfigurationChangeTokenSource<CorsKitOptions>(section));
        return services;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.AddOptions<CorsKitOptions>();
        services.AddMetrics();

        // Hosting: the policies serving now, and where UseCorsKit() sits.
        services.TryAddSingleton<PolicyStore>();
        services.TryAddSingleton<PipelinePlacement>();
        services.TryAddSingleton<CachedResponseVersion>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, StartupCheck>());

        // The request path and what it reports.
        services.TryAddSingleton<PreflightResponder>();
        services.TryAddSingleton<ActualResponder>();
        services.TryAddSingleton<WebSocketResponder>();
        services.TryAddSingleton<DecisionLog>();
        services.TryAddSingleton<CorsKitMetrics>();

        // Public services.
        services.TryAddSingleton<ICorsKitOriginCache, OriginCacheControl>();
        services.TryAddSingleton<ICorsKitExplainer, PolicyExplainer>();
        services.TryAddSingleton<ICorsKitStoreOrigins, StoreOriginControl>();

        // Only read if the app uses a response cache: then output-cache keys vary by what CorsKit's answers depend on,
        // and the middleware looks for a cache ahead of it.
        services.TryAddSingleton<ResponseCacheUse>();
        services.TryAddSingleton<OutputCacheOriginPolicy>();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.OutputCaching.OutputCacheOptions>, OutputCacheSetup>());
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.ResponseCaching.ResponseCachingOptions>, ResponseCachingSetup>());

        // ASP.NET Core 11's automatic CSRF protection learns CorsKit's trusted origins (Internal/Csrf); nothing on 10.
        CsrfSetup.Add(services);
    }
}
