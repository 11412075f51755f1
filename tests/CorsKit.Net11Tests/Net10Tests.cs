using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Net11Tests;

/// <summary>On ASP.NET Core 10, which has no automatic CSRF protection, AddCorsKit registers nothing more than before.</summary>
[Trait("Runtime", "10")]
public sealed class Net10Tests
{
    [Fact]
    public void AddCorsKit_registers_no_CORS_policy_provider()
    {
        var services = new ServiceCollection().AddLogging().AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins("https://app.example").AllowCredentials()));

        services.Should().NotContain(d => d.ServiceType == typeof(ICorsPolicyProvider));
    }

    [Fact]
    public void Microsofts_policy_provider_is_left_as_registered()
    {
        using var provider = new ServiceCollection().AddLogging().AddCors()
            .AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins("https://app.example").AllowCredentials()))
            .BuildServiceProvider();

        provider.GetRequiredService<ICorsPolicyProvider>().Should().BeOfType<DefaultCorsPolicyProvider>();
    }
}
