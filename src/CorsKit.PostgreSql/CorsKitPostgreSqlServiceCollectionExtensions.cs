using CorsKit;
using CorsKit.PostgreSql;
using CorsKit.PostgreSql.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CorsKit's PostgreSQL origin store.</summary>
public static class CorsKitPostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Adds the rows of table <c>public.corskit_origins</c> (<c>policy</c>, <c>origin</c>) to the named CorsKit
    /// policies, on every node, changes arriving through <c>LISTEN</c>/<c>NOTIFY</c>. Call <c>AddCorsKit</c> too.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    public static IServiceCollection AddCorsKitPostgreSqlOrigins(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        return services.AddCorsKitPostgreSqlOrigins(options => options.ConnectionString = connectionString);
    }

    /// <summary>As the connection-string overload, with every option (<see cref="CorsKitPostgreSqlOptions"/>) set in code.</summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets the options; <see cref="CorsKitPostgreSqlOptions.ConnectionString"/> is required.</param>
    public static IServiceCollection AddCorsKitPostgreSqlOrigins(this IServiceCollection services, Action<CorsKitPostgreSqlOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => StoreSettings.Check(sp.GetRequiredService<IOptions<CorsKitPostgreSqlOptions>>().Value));
        services.TryAddSingleton(sp => new StoreState(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<StoreMetrics>();
        services.TryAddSingleton(sp => new OriginListener(
            sp.GetRequiredService<StoreSettings>(),
            sp.GetService<ICorsKitStoreOrigins>() ?? throw new CorsKitConfigurationException(
                "AddCorsKitPostgreSqlOrigins adds origins to CorsKit policies, but CorsKit is not registered. Fix: call "
                + "builder.Services.AddCorsKit(...) with the policies the table's rows name."),
            sp.GetRequiredService<StoreState>(),
            sp.GetRequiredService<StoreMetrics>(),
            sp.GetRequiredService<ILogger<OriginListener>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OriginListener>(sp => sp.GetRequiredService<OriginListener>()));
        services.TryAddSingleton(sp => new CorsKitPostgreSqlOriginAdmin(
            sp.GetRequiredService<ICorsKitStoreOrigins>(), sp.GetRequiredService<StoreSettings>()));
        services.TryAddSingleton(sp => new CorsKitPostgreSqlHealthCheck(sp.GetRequiredService<StoreState>(), sp.GetRequiredService<StoreSettings>()));
        return services;
    }

    /// <summary>
    /// Adds <see cref="CorsKitPostgreSqlHealthCheck"/>: degraded when this node's snapshot is older than
    /// <see cref="CorsKitPostgreSqlOptions.StalenessBound"/> or was never loaded.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name.</param>
    public static IHealthChecksBuilder AddCorsKitPostgreSql(this IHealthChecksBuilder builder, string name = "corskit-postgresql")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<CorsKitPostgreSqlHealthCheck>(name, tags: ["corskit"]);
    }
}
