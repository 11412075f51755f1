using Microsoft.AspNetCore.Builder;

namespace CorsKit.Net11Tests;

/// <summary>
/// Each set of tests checks the runtime it runs on, so that a test host that silently fell back to the SDK's runtime
/// fails instead of proving nothing.
/// </summary>
public sealed class RuntimeTests
{
    [Fact]
    [Trait("Runtime", "11")]
    public void The_11_tests_run_on_the_ASP_NET_Core_11_shared_runtime()
    {
        Environment.Version.Major.Should().Be(11);
        typeof(WebApplication).Assembly.GetName().Version!.Major.Should().Be(11);
        Type.GetType("Microsoft.AspNetCore.Antiforgery.ICsrfProtection, Microsoft.AspNetCore.Http.Abstractions").Should().NotBeNull();
    }

    [Fact]
    [Trait("Runtime", "10")]
    public void The_10_tests_run_on_the_ASP_NET_Core_10_shared_runtime()
    {
        Environment.Version.Major.Should().Be(10);
        typeof(WebApplication).Assembly.GetName().Version!.Major.Should().Be(10);
        Type.GetType("Microsoft.AspNetCore.Antiforgery.ICsrfProtection, Microsoft.AspNetCore.Http.Abstractions").Should().BeNull();
    }
}
