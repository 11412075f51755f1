using System.Collections.Concurrent;
using System.Net;
using CorsKit.Internal;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CorsKit.Tests;

/// <summary>Origins decided at run time by an <see cref="ICorsKitOriginResolver"/>, its cache, and its failures.</summary>
public sealed class OriginResolverTests
{
    private const string StaticOrigin = "https://app.example.com";
    private const string Tenant = "https://shop.tenant-one.example";
    private const string Stranger = "https://stranger.example";

    /// <summary>A resolver whose answers a test sets; counts its calls per origin.</summary>
    private sealed class ScriptedResolver : ICorsKitOriginResolver
    {
        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, bool> Allowed { get; } = new(StringComparer.Ordinal);

        /// <summary>Replaces the lookup in Allowed when set.</summary>
        public Func<string, CancellationToken, ValueTask<bool>>? Behaviour { get; set; }

        public int Calls(string origin) => _calls.TryGetValue(origin, out var calls) ? calls : 0;

        public int TotalCalls => _calls.Values.Sum();

        public ValueTask<bool> IsAllowedAsync(string origin, HttpContext context, CancellationToken cancellationToken)
        {
            _calls.AddOrUpdate(origin, 1, (_, calls) => calls + 1);
            return Behaviour is { } behaviour ? behaviour(origin, cancellationToken) : ValueTask.FromResult(Allowed.ContainsKey(origin));
        }
    }

    private static Task<TestApp> Start(
        ScriptedResolver resolver,
        Action<CorsKitResolverOptions>? options = null,
        Action<CorsKitPolicyBuilder>? policy = null,
        ManualTimeProvider? clock = null,
        LogCollector? logs = null) =>
        TestApp.StartAsync(services =>
        {
            services.AddSingleton(resolver);
            services.AddSingleton<TimeProvider>(clock ?? new ManualTimeProvider());
            if (logs is not null) services.AddSingleton<ILoggerProvider>(logs);
            services.AddCorsKit(o => o.AddDefaultPolicy(p =>
            {
                p.AllowOrigins(StaticOrigin).AllowMethods("PUT").ExposeHeaders("x-total-count").AllowOriginsFrom<ScriptedResolver>(options);
                policy?.Invoke(p);
            }));
        });

    private static ScriptedResolver Allowing(params string[] origins)
    {
        var resolver = new ScriptedResolver();
        foreach (var origin in origins) resolver.Allowed[origin] = true;
        return resolver;
    }

    // ---- Decisions ----

    [Fact]
    public async Task An_origin_the_resolver_allows_gets_cors_headers_on_actual_requests_and_preflights()
    {
        await using var app = await Start(Allowing(Tenant));

        var actual = await app.GetAsync("/", Tenant);
        actual.Single("Access-Control-Allow-Origin").Should().Be(Tenant);
        actual.Single("Access-Control-Expose-Headers").Should().Be("x-total-count");
        actual.VaryTokens().Should().Contain("Origin");

        var preflight = await app.PreflightAsync(Tenant, "PUT");
        preflight.StatusCode.Should().Be(HttpStatusCode.NoContent);
        preflight.Single("Access-Control-Allow-Origin").Should().Be(Tenant);
        preflight.Single("Access-Control-Allow-Methods").Should().Be("PUT");
    }

    [Fact]
    public async Task An_origin_the_resolver_refuses_gets_no_cors_headers_and_a_403_preflight()
    {
        var resolver = Allowing(Tenant);
        await using var app = await Start(resolver);

        var actual = await app.GetAsync("/", Stranger);
        actual.StatusCode.Should().Be(HttpStatusCode.OK);
        actual.ShouldHaveNoCorsHeaders();
        actual.VaryTokens().Should().Contain("Origin");

        var preflight = await app.PreflightAsync(Stranger, "PUT");
        preflight.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        preflight.ShouldHaveNoCorsHeaders();
        resolver.Calls(Stranger).Should().Be(1, "the refusal is cached for the preflight");
    }

    [Fact]
    public async Task A_preflight_allowed_by_the_resolver_is_still_checked_for_method_and_headers()
    {
        await using var app = await Start(Allowing(Tenant));

        (await app.PreflightAsync(Tenant, "DELETE")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await app.PreflightAsync(Tenant, "PUT", "x-secret")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Origins_on_the_static_allowlist_never_reach_the_resolver()
    {
        var resolver = new ScriptedResolver();
        await using var app = await Start(resolver);

        (await app.GetAsync("/", StaticOrigin)).Single("Access-Control-Allow-Origin").Should().Be(StaticOrigin);
        (await app.PreflightAsync(StaticOrigin, "PUT")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        resolver.TotalCalls.Should().Be(0);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("https://Shop.tenant-one.example")]
    [InlineData("https://shop.tenant-one.example/")]
    [InlineData("shop.tenant-one.example")]
    [InlineData("https://shop.tenant-one.example:443")]
    public async Task Null_and_malformed_origins_never_reach_the_resolver(string origin)
    {
        var resolver = new ScriptedResolver { Behaviour = (_, _) => ValueTask.FromResult(true) };
        await using var app = await Start(resolver);

        (await app.GetAsync("/", origin)).ShouldHaveNoCorsHeaders();
        (await app.PreflightAsync(origin, "PUT")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        resolver.TotalCalls.Should().Be(0);
    }

    [Fact]
    public async Task Requests_without_origin_never_reach_the_resolver_and_still_vary_by_origin()
    {
        var resolver = new ScriptedResolver();
        await using var app = await Start(resolver);

        var response = await app.GetAsync("/");

        response.VaryTokens().Should().Contain("Origin");
        resolver.TotalCalls.Should().Be(0);
    }

    [Fact]
    public async Task With_credentials_a_resolved_origin_is_echoed_with_allow_credentials()
    {
        await using var app = await Start(Allowing(Tenant), policy: p => p.AllowCredentials());

        var actual = await app.GetAsync("/", Tenant);
        actual.Single("Access-Control-Allow-Origin").Should().Be(Tenant);
        actual.Single("Access-Control-Allow-Credentials").Should().Be("true");

        var preflight = await app.PreflightAsync(Tenant, "PUT");
        preflight.Single("Access-Control-Allow-Credentials").Should().Be("true");
    }

    // ---- Scoped resolvers ----

    private sealed class RequestMarker
    {
        public string Id { get; } = Guid.NewGuid().ToString("N");
    }

    private sealed class ScopedResolver(RequestMarker marker, ConcurrentQueue<(string Marker, string Path)> seen) : ICorsKitOriginResolver
    {
        public ValueTask<bool> IsAllowedAsync(string origin, HttpContext context, CancellationToken cancellationToken)
        {
            seen.Enqueue((marker.Id, context.Request.Path.Value ?? string.Empty));
            return ValueTask.FromResult(origin == Tenant);
        }
    }

    [Fact]
    public async Task A_scoped_resolver_is_resolved_from_the_requests_services_and_gets_its_context()
    {
        var seen = new ConcurrentQueue<(string Marker, string Path)>();
        await using var app = await TestApp.StartAsync(
            services =>
            {
                services.AddScoped<RequestMarker>();
                services.AddSingleton(seen);
                services.AddScoped<ScopedResolver>();
                services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOriginsFrom<ScopedResolver>()));
            },
            beforeCorsKit: web => web.Use((context, next) =>
            {
                context.Response.Headers["X-Request-Marker"] = context.RequestServices.GetRequiredService<RequestMarker>().Id;
                return next(context);
            }));

        var response = await app.GetAsync("/tenants/orders", Tenant);

        response.Single("Access-Control-Allow-Origin").Should().Be(Tenant);
        seen.Should().ContainSingle().Which.Should().Be((response.Single("X-Request-Marker")!, "/tenants/orders"));
    }

    // ---- The cache ----

    [Fact]
    public async Task A_burst_of_requests_for_one_origin_asks_the_resolver_once()
    {
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resolver = new ScriptedResolver { Behaviour = async (_, _) => await gate.Task };
        await using var app = await Start(resolver, o => o.Timeout = TimeSpan.FromSeconds(30));

        var burst = Enumerable.Range(0, 100).Select(_ => app.GetAsync("/", Tenant)).ToArray();
        await WaitUntil(() => resolver.TotalCalls >= 1);
        gate.SetResult(true);
        var responses = await Task.WhenAll(burst);

        responses.Should().OnlyContain(r => r.Single("Access-Control-Allow-Origin") == Tenant);
        resolver.Calls(Tenant).Should().Be(1);
    }

    [Fact]
    public async Task Concurrent_misses_share_one_call_even_without_a_cache()
    {
        // Deterministic: every check below starts before the shared call can finish.
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resolver = new ScriptedResolver { Behaviour = async (_, _) => await gate.Task };
        var (resolution, context) = NewResolution(resolver, o => o.CacheSize = 0);

        var checks = Enumerable.Range(0, 20).Select(_ => resolution.CheckAsync(Tenant, context, NullLogger.Instance).AsTask()).ToArray();
        gate.SetResult(true);
        var reasons = await Task.WhenAll(checks);

        reasons.Should().OnlyContain(r => r == CorsKitReason.Allowed);
        resolver.Calls(Tenant).Should().Be(1);

        (await resolution.CheckAsync(Tenant, context, NullLogger.Instance)).Should().Be(CorsKitReason.Allowed);
        resolver.Calls(Tenant).Should().Be(2, "with CacheSize 0 nothing is kept once the shared call ends");
    }

    [Fact]
    public async Task An_answer_from_a_call_that_started_before_an_invalidation_is_not_cached()
    {
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resolver = new ScriptedResolver { Behaviour = async (_, _) => await gate.Task };
        var (resolution, context) = NewResolution(resolver, o => o.NegativeTtl = TimeSpan.FromHours(1));

        var stale = resolution.CheckAsync(Tenant, context, NullLogger.Instance).AsTask();
        resolution.Invalidate(Tenant);
        gate.SetResult(false);
        (await stale).Should().Be(CorsKitReason.OriginNotAllowed);

        resolver.Behaviour = (_, _) => ValueTask.FromResult(true);
        (await resolution.CheckAsync(Tenant, context, NullLogger.Instance)).Should().Be(CorsKitReason.Allowed);
    }

    private static (CachedOriginResolver Resolution, HttpContext Context) NewResolution(ScriptedResolver resolver, Action<CorsKitResolverOptions> options)
    {
        var services = new ServiceCollection().AddSingleton(resolver).BuildServiceProvider();
        var policy = new CorsKitPolicyBuilder().AllowOriginsFrom<ScriptedResolver>(options).Build("p");
        return (policy.CachedResolver!, new DefaultHttpContext { RequestServices = services });
    }

    [Fact]
    public async Task An_allowed_answer_is_reused_until_its_time_to_live_ends()
    {
        var clock = new ManualTimeProvider();
        var resolver = Allowing(Tenant);
        await using var app = await Start(resolver, o => o.PositiveTtl = TimeSpan.FromMinutes(10), clock: clock);

        for (var i = 0; i < 3; i++) (await app.GetAsync("/", Tenant)).Single("Access-Control-Allow-Origin").Should().Be(Tenant);
        clock.Advance(TimeSpan.FromMinutes(9));
        await app.GetAsync("/", Tenant);
        resolver.Calls(Tenant).Should().Be(1);

        clock.Advance(TimeSpan.FromMinutes(2));
        await app.GetAsync("/", Tenant);
        resolver.Calls(Tenant).Should().Be(2);
    }

    [Fact]
    public async Task A_refused_answer_is_reused_until_its_own_shorter_time_to_live_ends()
    {
        var clock = new ManualTimeProvider();
        var resolver = new ScriptedResolver();
        await using var app = await Start(resolver, o => (o.PositiveTtl, o.NegativeTtl) = (TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30)), clock: clock);

        await app.GetAsync("/", Stranger);
        clock.Advance(TimeSpan.FromSeconds(29));
        await app.GetAsync("/", Stranger);
        resolver.Calls(Stranger).Should().Be(1);

        resolver.Allowed[Stranger] = true;
        clock.Advance(TimeSpan.FromSeconds(2));
        (await app.GetAsync("/", Stranger)).Single("Access-Control-Allow-Origin").Should().Be(Stranger);
        resolver.Calls(Stranger).Should().Be(2);
    }

    [Fact]
    public async Task A_zero_time_to_live_does_not_cache_that_kind_of_answer()
    {
        var resolver = new ScriptedResolver();
        await using var app = await Start(resolver, o => o.NegativeTtl = TimeSpan.Zero);

        for (var i = 0; i < 3; i++) await app.GetAsync("/", Stranger);

        resolver.Calls(Stranger).Should().Be(3);
    }

    [Fact]
    public async Task The_cache_is_bounded_and_forgets_the_least_recently_used_answer_first()
    {
        var resolver = Allowing("https://a.example", "https://b.example", "https://c.example");
        await using var app = await Start(resolver, o => o.CacheSize = 2);

        foreach (var origin in new[] { "https://a.example", "https://b.example", "https://a.example", "https://c.example", "https://a.example", "https://b.example" })
        {
            (await app.GetAsync("/", origin)).Single("Access-Control-Allow-Origin").Should().Be(origin);
        }

        // a, b cached; a used again; c evicts b (least recently used); a still cached; b asked again.
        resolver.Calls("https://a.example").Should().Be(1);
        resolver.Calls("https://b.example").Should().Be(2);
        resolver.Calls("https://c.example").Should().Be(1);
    }

    [Fact]
    public async Task Invalidating_an_origin_makes_the_next_request_ask_again()
    {
        var resolver = new ScriptedResolver();
        await using var app = await Start(resolver, o => o.NegativeTtl = TimeSpan.FromHours(1));
        (await app.GetAsync("/", Tenant)).ShouldHaveNoCorsHeaders();

        resolver.Allowed[Tenant] = true;
        (await app.GetAsync("/", Tenant)).ShouldHaveNoCorsHeaders();
        resolver.Calls(Tenant).Should().Be(1, "the refusal is still cached");

        app.Services.GetRequiredService<ICorsKitOriginCache>().Invalidate(Tenant);
        (await app.GetAsync("/", Tenant)).Single("Access-Control-Allow-Origin").Should().Be(Tenant);
        resolver.Calls(Tenant).Should().Be(2);
    }

    [Fact]
    public async Task Clearing_the_cache_makes_every_origin_ask_again()
    {
        var resolver = Allowing(Tenant);
        await using var app = await Start(resolver);
        await app.GetAsync("/", Tenant);
        await app.GetAsync("/", Stranger);

        app.Services.GetRequiredService<ICorsKitOriginCache>().Clear();
        await app.GetAsync("/", Tenant);
        await app.GetAsync("/", Stranger);

        resolver.Calls(Tenant).Should().Be(2);
        resolver.Calls(Stranger).Should().Be(2);
    }

    // ---- Failures refuse, are logged, and are not cached ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_resolver_that_throws_refuses_the_origin_and_is_logged(bool synchronously)
    {
        var logs = new LogCollector();
        var resolver = new ScriptedResolver
        {
            Behaviour = synchronously
                ? (_, _) => throw new InvalidOperationException("database down")
                : async (_, _) =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException("database down");
                },
        };
        await using var app = await Start(resolver, logs: logs);

        (await app.GetAsync("/", Tenant)).ShouldHaveNoCorsHeaders();
        (await app.PreflightAsync(Tenant, "PUT")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        resolver.Calls(Tenant).Should().Be(2, "a failure is not an answer and is not cached");
        var entry = logs.WithEvent("OriginResolverFailed").Should().HaveCount(2).And.Subject.First();
        entry.Level.Should().Be(LogLevel.Error);
        entry.Exception.Should().BeOfType<InvalidOperationException>();
        entry.Message.Should().Contain(Tenant).And.Contain("'default'");
        logs.WithEvent("PreflightOriginRefused").Should().ContainSingle().Which.Message.Should().Contain(nameof(CorsKitReason.ResolverFailed));
    }

    [Fact]
    public async Task A_resolver_that_times_out_refuses_the_origin_cancels_its_token_and_is_logged()
    {
        var logs = new LogCollector();
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resolver = new ScriptedResolver
        {
            Behaviour = async (_, token) =>
            {
                token.Register(() => cancelled.TrySetResult(true));
                await Task.Delay(Timeout.Infinite, token);
                return true;
            },
        };
        await using var app = await Start(resolver, o => o.Timeout = TimeSpan.FromMilliseconds(200), logs: logs);

        var response = await app.GetAsync("/", Tenant).WaitAsync(TimeSpan.FromSeconds(10));

        response.ShouldHaveNoCorsHeaders();
        (await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        logs.WithEvent("OriginResolverTimedOut").Should().ContainSingle().Which.Message.Should().Contain("200 ms");
    }

    [Fact]
    public async Task A_resolver_that_ignores_its_token_is_still_cut_off_by_the_timeout()
    {
        var never = new TaskCompletionSource<bool>();
        var resolver = new ScriptedResolver { Behaviour = (_, _) => new ValueTask<bool>(never.Task) };
        await using var app = await Start(resolver, o => o.Timeout = TimeSpan.FromMilliseconds(200));

        var preflight = await app.PreflightAsync(Tenant, "PUT").WaitAsync(TimeSpan.FromSeconds(10));

        preflight.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        never.SetResult(true);
    }

    [Fact]
    public async Task The_explain_api_says_that_it_does_not_consult_the_resolver()
    {
        var resolver = Allowing(Tenant);
        await using var app = await Start(resolver);
        var explainer = app.Services.GetRequiredService<ICorsKitExplainer>();

        var explanation = explainer.Explain((string?)null, new CorsKitRequestFacts { Origin = Tenant, Method = "GET" });

        explanation.Reason.Should().Be(CorsKitReason.OriginNotAllowed);
        explanation.Message.Should().Contain("origin resolver (ScriptedResolver)").And.Contain("does not consult");
        resolver.TotalCalls.Should().Be(0);
    }

    // ---- Validation ----

    [Fact]
    public async Task A_resolver_missing_from_the_service_collection_fails_start_up_naming_it()
    {
        var act = async () =>
        {
            await using var app = await TestApp.StartAsync(services => services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOriginsFrom<ScriptedResolver>())));
        };

        (await act.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Message.Should()
            .Contain("policy 'default', OriginResolver").And.Contain(nameof(ScriptedResolver)).And.Contain("AddScoped<ScriptedResolver>()");
    }

    public static TheoryData<string, Action<CorsKitResolverOptions>> BadOptions => new()
    {
        { "OriginResolver.CacheSize", o => o.CacheSize = -1 },
        { "OriginResolver.CacheSize", o => o.CacheSize = 2_000_000 },
        { "OriginResolver.PositiveTtl", o => o.PositiveTtl = TimeSpan.FromSeconds(-1) },
        { "OriginResolver.NegativeTtl", o => o.NegativeTtl = TimeSpan.FromDays(2) },
        { "OriginResolver.Timeout", o => o.Timeout = TimeSpan.Zero },
        { "OriginResolver.Timeout", o => o.Timeout = Timeout.InfiniteTimeSpan },
        { "OriginResolver.Timeout", o => o.Timeout = TimeSpan.FromMinutes(5) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Out_of_range_resolver_options_are_refused_naming_the_option(string option, Action<CorsKitResolverOptions> configure)
    {
        var act = () => new CorsKitPolicyBuilder().AllowOriginsFrom<ScriptedResolver>(configure).Build("p");

        act.Should().Throw<CorsKitConfigurationException>().Which.Errors.Should().ContainSingle().Which.Option.Should().Be(option);
    }

    [Fact]
    public void A_resolver_beside_any_origin_is_refused()
    {
        var act = () => new CorsKitPolicyBuilder().AllowAnyOrigin().AllowOriginsFrom<ScriptedResolver>().Build("p");

        act.Should().Throw<CorsKitConfigurationException>().Which.Errors.Should().ContainSingle().Which.Value.Should().Be("*");
    }

    [Fact]
    public void Two_resolvers_on_one_policy_are_refused()
    {
        var act = () => new CorsKitPolicyBuilder().AllowOriginsFrom<ScriptedResolver>().AllowOriginsFrom<ScopedResolver>().Build("p");

        act.Should().Throw<CorsKitConfigurationException>().Which.Errors.Should().ContainSingle().Which.Option.Should().Be("OriginResolver");
    }

    [Fact]
    public void A_resolver_alone_is_a_non_empty_allowlist_and_reads_back()
    {
        var policy = new CorsKitPolicyBuilder().AllowOriginsFrom<ScriptedResolver>().AllowCredentials().Build("p");

        policy.OriginResolverType.Should().Be<ScriptedResolver>();
        policy.Origins.Should().BeEmpty();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not become true in time.");
            await Task.Delay(5);
        }
    }
}
