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
        services.AddSingleton<IConfigureOptions<CorsKitOptions>>(new ConfigureOptions<CorsKitOptions>(options => ConfigurationReader.Apply(section, options)));
        services.AddSingleton<IOptionsChangeTokenSource<CorsKitOptions>>(new ConfigurationChangeTokenSource<CorsKitOptions>(section));
        return services;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.AddOptions<CorsKitOptions>();
        services.TryAddSingleton<PolicyStore>();
        services.TryAddSingleton<ICorsKitOriginCache, OriginCacheControl>();
        services.TryAddSingleton<PipelineRegistry>();
        services.AddMetrics();
        services.TryAddSingleton<CorsKitDiagnostics>();
        services.TryAddSingleton<ICorsKitExplainer, CorsKitExplainer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, StartupCheck>());

        // Only read if the app uses a response cache: then output-cache keys vary by what CorsKit's answers depend on,
        // and the middleware looks for a cache ahead of it.
        services.TryAddSingleton<ResponseCacheUse>();
        services.TryAddSingleton<OutputCacheOriginPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.OutputCaching.OutputCacheOptions>, OutputCacheSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.ResponseCaching.ResponseCachingOptions>, ResponseCachingSetup>());

        // ASP.NET Core 11's automatic CSRF protection learns CorsKit's trusted origins (Internal/Csrf); nothing on 10.
        CorsKit.Internal.Csrf.CsrfSetup.Add(services);
    }
}
