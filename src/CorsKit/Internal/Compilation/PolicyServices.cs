namespace CorsKit.Internal;

/// <summary>What policy compilation takes from the host's services; <see cref="Default"/> outside a host.</summary>
internal sealed record PolicyServices(TimeProvider Time, Microsoft.Extensions.DependencyInjection.IServiceProviderIsService? Registrations)
{
    public static readonly PolicyServices Default = new(TimeProvider.System, null);

    public static PolicyServices From(IServiceProvider services) => new(
        (TimeProvider?)services.GetService(typeof(TimeProvider)) ?? TimeProvider.System,
        (Microsoft.Extensions.DependencyInjection.IServiceProviderIsService?)services.GetService(typeof(Microsoft.Extensions.DependencyInjection.IServiceProviderIsService)));
}
