using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CorsKit.Internal;

/// <summary>
/// Registers CorsKit's answer to ASP.NET Core 11's automatic CSRF protection, which finds trusted origins through
/// <see cref="ICorsPolicyProvider"/>. On earlier runtimes nothing is registered, so nothing changes there.
/// </summary>
internal static class CsrfSetup
{
    /// <summary>True on ASP.NET Core 11 and later, whose shared framework defines the automatic CSRF protection.</summary>
    public static readonly bool RuntimeHasCsrfProtection =
        Type.GetType("Microsoft.AspNetCore.Antiforgery.ICsrfProtection, Microsoft.AspNetCore.Http.Abstractions", throwOnError: false) is not null;

    public static void Add(IServiceCollection services)
    {
        if (!RuntimeHasCsrfProtection || services.Any(d => d.ServiceType == typeof(CsrfPolicySource))) return;
        services.AddSingleton<CsrfPolicySource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CsrfProviderCheck>());

        // Wrap the provider registered so far (AddCors(), and so AddControllers(), register Microsoft's), keeping its
        // lifetime. Without one, Microsoft's default provider is wrapped: a later AddCors() adds its provider with
        // TryAdd, so it would otherwise find this one and lose its own policies.
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(ICorsPolicyProvider) && !d.IsKeyedService);
        if (existing is null)
        {
            services.AddSingleton<ICorsPolicyProvider>(sp => new CorsKitCsrfPolicyProvider(
                new DefaultCorsPolicyProvider(sp.GetRequiredService<IOptions<CorsOptions>>()), sp.GetRequiredService<CsrfPolicySource>()));
            return;
        }

        services.Remove(existing);
        services.Add(ServiceDescriptor.Describe(typeof(ICorsPolicyProvider),
            sp => new CorsKitCsrfPolicyProvider(Create(sp, existing), sp.GetRequiredService<CsrfPolicySource>()), existing.Lifetime));
    }

    private static ICorsPolicyProvider Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (ICorsPolicyProvider)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
