using System.Net;
using CorsKit.Net11Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Net11Tests;

/// <summary>
/// Origins allowed at run time by an <see cref="ICorsKitOriginResolver"/>: the CSRF protection awaits the resolver
/// through the policy's cache, so the CORS answer of the same request needs no second call.
/// </summary>
[Trait("Runtime", "11")]
public sealed class ResolverTests
{
    private const string TenantA = "http://tenant-a.localhost:3000";
    private const string TenantB = "http://tenant-b.localhost:3000";
    private const string Broken = "http://broken.localhost:3000";

    /// <summary>Allows tenant A after a short wait, as a store lookup would; fails for "broken"; counts its calls.</summary>
    private sealed class TenantResolver : ICorsKitOriginResolver
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<bool> IsAllowedAsync(string origin, HttpContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(20, cancellationToken);
            if (origin == Broken) throw new InvalidOperationException("tenant store unavailable");
            return origin == TenantA;
        }
    }

    private static Task<KestrelApp> StartAsync(TenantResolver resolver) => KestrelApp.StartAsync(
        builder =>
        {
            builder.Services.AddSingleton(resolver);
            builder.Services.AddCorsKit(options => options.AddDefaultPolicy(p => p
                .AllowOrigins("http://static.localhost:3000")
                .AllowOriginsFrom<TenantResolver>()
                .AllowCredentials()));
        },
        app =>
        {
            app.UseRouting();
            app.UseCorsKit();
            app.MapCommentForm("/comments");
        });

    [Fact]
    public async Task Origin_the_resolver_allows_is_trusted()
    {
        var resolver = new TenantResolver();
        await using var app = await StartAsync(resolver);

        using var response = await app.PostFormAsync("/comments", TenantA);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Origin_the_resolver_refuses_gets_400()
    {
        var resolver = new TenantResolver();
        await using var app = await StartAsync(resolver);

        using var response = await app.PostFormAsync("/comments", TenantB);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_failing_resolver_trusts_nothing()
    {
        var resolver = new TenantResolver();
        await using var app = await StartAsync(resolver);

        using var response = await app.PostFormAsync("/comments", Broken);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task One_resolver_call_serves_the_csrf_check_and_the_cors_answer()
    {
        var resolver = new TenantResolver();
        await using var app = await StartAsync(resolver);

        using var first = await app.PostFormAsync("/comments", TenantA);
        using var second = await app.PostFormAsync("/comments", TenantA);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        first.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(TenantA);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        resolver.Calls.Should().Be(1);
    }

    [Fact]
    public async Task The_static_allowlist_is_trusted_without_asking_the_resolver()
    {
        var resolver = new TenantResolver();
        await using var app = await StartAsync(resolver);

        using var response = await app.PostFormAsync("/comments", "http://static.localhost:3000");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        resolver.Calls.Should().Be(0);
    }
}
