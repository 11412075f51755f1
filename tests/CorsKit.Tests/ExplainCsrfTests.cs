using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Tests;

/// <summary>
/// The explain API's CSRF verdict: what ASP.NET Core 11's automatic CSRF protection makes of a policy for an unsafe
/// request (tests/CorsKit.Net11Tests checks it against the runtime).
/// </summary>
public sealed class ExplainCsrfTests : IDisposable
{
    private const string App = "https://app.example";

    private sealed class NoResolver : ICorsKitOriginResolver
    {
        public ValueTask<bool> IsAllowedAsync(string origin, HttpContext context, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddSingleton<NoResolver>().AddCorsKit(o =>
    {
        o.AddPolicy("web", p => p.AllowOrigins(App, "https://*.example.org").AllowCredentials());
        o.AddPolicy("anonymous", p => p.AllowOrigins(App));
        o.AddPolicy("public", p => p.AllowAnyOrigin());
        o.AddPolicy("tenants", p => p.AllowOrigins(App).AllowOriginsFrom<NoResolver>().AllowCredentials());
    }).BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private CorsKitCsrfVerdict? Csrf(string? policy, string? origin, string method = "POST", bool preflight = false) =>
        _services.GetRequiredService<ICorsKitExplainer>().Explain(policy, new CorsKitRequestFacts { Origin = origin, Method = method, IsPreflight = preflight }).Csrf;

    [Theory]
    [InlineData(App)]
    [InlineData("https://eu.example.org")]
    public void Origin_a_credentialed_policy_allows_is_trusted(string origin)
    {
        var csrf = Csrf("web", origin)!;

        csrf.Trusted.Should().BeTrue();
        csrf.Reason.Should().Be(CorsKitCsrfReason.Trusted);
        csrf.Message.Should().Be($"ASP.NET Core 11's CSRF protection trusts unsafe requests from '{origin}': CorsKit policy 'web' allows that origin with credentials.");
    }

    [Fact]
    public void Unlisted_origin_is_not_trusted_and_the_message_says_why()
    {
        var csrf = Csrf("web", "https://evil.example")!;

        csrf.Trusted.Should().BeFalse();
        csrf.Reason.Should().Be(CorsKitCsrfReason.OriginNotAllowed);
        csrf.Message.Should().Contain("origin 'https://evil.example' is not allowed by CorsKit policy 'web'");
    }

    [Fact]
    public void Policy_without_credentials_trusts_nothing_and_names_the_fix()
    {
        var csrf = Csrf("anonymous", App)!;

        csrf.Reason.Should().Be(CorsKitCsrfReason.NoCredentials);
        csrf.Message.Should().Contain("CorsKit policy 'anonymous' does not allow credentials. Call AllowCredentials()");
    }

    [Fact]
    public void Any_origin_policy_trusts_nothing()
    {
        var csrf = Csrf("public", App)!;

        csrf.Reason.Should().Be(CorsKitCsrfReason.AnyOrigin);
        csrf.Message.Should().Contain("allows any origin, which lets every page read responses, never act for the user");
    }

    [Fact]
    public void Without_a_default_policy_nothing_is_trusted()
    {
        Csrf(null, App)!.Reason.Should().Be(CorsKitCsrfReason.NoPolicy);
    }

    [Fact]
    public void An_origin_left_to_the_resolver_is_reported_as_decided_at_run_time()
    {
        var csrf = Csrf("tenants", "https://tenant.example")!;

        csrf.Reason.Should().Be(CorsKitCsrfReason.OriginNotAllowed);
        csrf.Message.Should().EndWith("The policy also asks its origin resolver (NoResolver) at run time, which this explanation does not consult; an origin it allows is trusted.");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("QUERY")]
    public void Safe_methods_get_no_verdict(string method)
    {
        Csrf("web", App, method).Should().BeNull();
    }

    [Fact]
    public void Preflights_and_requests_without_an_Origin_get_no_verdict()
    {
        Csrf("web", App, "PUT", preflight: true).Should().BeNull();
        Csrf("web", origin: null).Should().BeNull();
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public void Every_unsafe_method_gets_a_verdict(string method)
    {
        Csrf("web", App, method)!.Trusted.Should().BeTrue();
    }
}
