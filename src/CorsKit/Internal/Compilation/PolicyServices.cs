using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Internal;

/// <summary>What policy compilation takes from the host's services; <see cref="Default"/> outside a host.</summary>
internal sealed record PolicyServices(TimeProvider Time, IServiceProviderIsService? Registrations)
{
    public static readonly PolicyServices Default = new(TimeProvider.System, null);

    public static PolicyServices From(IServiceProvider services) =>
        new(services.GetService<TimeProvider>() ?? TimeProvider.System, services.GetService<IServiceProviderIsService>());
}
