using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

/// <summary>
/// A response cache in front of (or behind) CorsKit must never hand one origin's CORS answer to another. Each test
/// sends the same sequence of requests to an app with the cache and to the same app without it, and requires every
/// response to carry the same CORS answer; it also counts how many responses the cache served, so a cache that
/// silently stopped caching cannot make a test pass.
/// </summary>
public sealed class ResponseCacheTests
{
    private const string A = "https://a.example";
    private const string B = "https://b.example";
    private const string Refused = "https://evil.example";

    /// <summary>A refused origin first, then two allowed ones, repeated, and requests without Origin in between.</summary>
    private static readonly string?[] Sequence = [Refused, A, B, A, null, B, Refused, A, null];

    public static TheoryData<CacheKind, Placement, PolicyCase> Combinations()
    {
        var data = new TheoryData<CacheKind, Placement, PolicyCase>();
        foreach (var cache in new[] { CacheKind.ResponseCaching, CacheKind.CacheOutput, CacheKind.NamedOutputPolicy, CacheKind.BaseOutputPolicy, CacheKind.CustomOutputPolicy })
        {
            foreach (var placement in Enum.GetValues<Placement>())
            {
                foreach (var policy in Enum.GetValues<PolicyCase>()) data.Add(cache, placement, policy);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Every_response_carries_the_answer_it_would_have_without_the_cache(CacheKind cache, Placement placement, PolicyCase policy)
    {
        await using var reference = await CachedApp.StartAsync(CacheKind.None, placement, policy);
        await using var cached = await CachedApp.StartAsync(cache, placement, policy);

        var served = 0;
        for (var i = 0; i < Sequence.Length; i++)
        {
            var expected = await reference.GetAsync(Sequence[i]);
            var actual = await cached.GetAsync(Sequence[i]);
            actual.Answer.Should().Be(expected.Answer, $"request {i} (Origin {Sequence[i] ?? "none"}) must read as without the cache");
            if (actual.FromCache) served++;
        }

        // Distinct answers need distinct entries (refused, A, B, no Origin); an any-origin answer is one entry. With
        // UseResponseCaching behind CorsKit the entry is shared and CorsKit rewrites each replay's headers.
        var entries = policy == PolicyCase.AnyOrigin || (cache == CacheKind.ResponseCaching && placement == Placement.CorsKitBeforeCache) ? 1 : 4;
        served.Should().Be(Sequence.Length - entries, "the cache must really serve every repeat, from the right entry");
        cached.EndpointHits.Should().Be(entries);
    }

    [Theory]
    [InlineData(Placement.CacheBeforeCorsKit)]
    [InlineData(Placement.CorsKitBeforeCache)]
    public async Task Preflights_stay_right_through_an_output_cache_that_stores_options_requests(Placement placement)
    {
        await using var reference = await CachedApp.StartAsync(CacheKind.None, placement, PolicyCase.Exact);
        await using var cached = await CachedApp.StartAsync(CacheKind.EverythingOutputPolicy, placement, PolicyCase.Exact);
        (string Origin, string Method, string? Headers)[] preflights =
        [
            (A, "PUT", null), (B, "PUT", null), (A, "PATCH", null), (A, "PUT", "x-api-key"), (Refused, "PUT", null),
            (A, "PUT", null), (B, "PUT", null), (A, "PATCH", null), (A, "PUT", "x-api-key"), (Refused, "PUT", null),
        ];

        var served = 0;
        foreach (var (origin, method, headers) in preflights)
        {
            var expected = await reference.PreflightAsync(origin, method, headers);
            var actual = await cached.PreflightAsync(origin, method, headers);
            actual.Answer.Should().Be(expected.Answer, $"the preflight from {origin} for {method} [{headers}] must read as without the cache");
            if (actual.FromCache) served++;
        }

        // CorsKit ahead of the cache answers preflights before the cache sees them.
        served.Should().Be(placement == Placement.CacheBeforeCorsKit ? 5 : 0);
    }

    [Fact]
    public async Task A_custom_output_policy_that_drops_the_origin_from_the_key_stops_storage_instead_of_mixing_answers()
    {
        var logs = new ListLoggerProvider();
        await using var reference = await CachedApp.StartAsync(CacheKind.None, Placement.CacheBeforeCorsKit, PolicyCase.Exact);
        await using var cached = await CachedApp.StartAsync(CacheKind.VaryClearingOutputPolicy, Placement.CacheBeforeCorsKit, PolicyCase.Exact, logs);

        foreach (var origin in Sequence)
        {
            var actual = await cached.GetAsync(origin);
            actual.Answer.Should().Be((await reference.GetAsync(origin)).Answer);
            actual.FromCache.Should().BeFalse();
        }

        cached.EndpointHits.Should().Be(Sequence.Length);
        logs.Entries.Should().ContainSingle(e => e.Event.Name == "OutputCacheNotVaried" && e.Level == LogLevel.Warning)
            .Which.Message.Should().Contain("'web'");
    }

    [Fact]
    public async Task Headers_survive_an_exception_handler_with_the_cache_ahead()
    {
        await using var app = await Host.StartAsync(b =>
        {
            b.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins(A)));
            b.Services.AddResponseCaching();
        }, a =>
        {
            a.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = c => c.Response.WriteAsync("handled") });
            a.UseResponseCaching();
            a.UseCorsKit();
            a.MapGet("/throw", string () => throw new InvalidOperationException("boom"));
        });

        var response = await app.SendAsync(HttpMethod.Get, "/throw", ("Origin", A));

        ((int)response.StatusCode).Should().Be(500);
        response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(A);
        response.Headers.Vary.Should().Contain("Origin");
    }

    [Fact]
    public async Task A_reload_reaches_output_cached_responses_at_once()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationManager();
        configuration["CorsKit:DefaultPolicy"] = "web";
        configuration["CorsKit:Policies:web:Origins:0"] = A;
        await using var app = await Host.StartAsync(b =>
        {
            b.Services.AddCorsKit(configuration.GetSection("CorsKit"));
            b.Services.AddOutputCache();
        }, a =>
        {
            a.UseRouting();
            a.UseOutputCache();
            a.UseCorsKit();
            a.MapGet("/data", () => "payload").CacheOutput();
        });

        (await app.SendAsync(HttpMethod.Get, "/data", ("Origin", A))).Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(A);
        (await app.SendAsync(HttpMethod.Get, "/data", ("Origin", A))).Headers.Age.Should().NotBeNull("the second request is served from the cache");

        configuration["CorsKit:Policies:web:Origins:0"] = B;
        ((Microsoft.Extensions.Configuration.IConfigurationRoot)configuration).Reload();
        var afterReload = await app.SendAsync(HttpMethod.Get, "/data", ("Origin", A));

        afterReload.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse("A was removed from the policy");
        afterReload.Headers.Age.Should().BeNull("the entry stored under the old policy must not be served");
    }

    [Fact]
    public async Task Invalidating_an_origin_reaches_output_cached_responses_at_once()
    {
        var allowed = new HashSet<string> { B };
        await using var app = await Host.StartAsync(b =>
        {
            b.Services.AddSingleton(new SetResolver(allowed));
            b.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins(A).AllowOriginsFrom<SetResolver>()));
            b.Services.AddOutputCache();
        }, a =>
        {
            a.UseRouting();
            a.UseOutputCache();
            a.UseCorsKit();
            a.MapGet("/data", () => "payload").CacheOutput();
        });

        (await app.SendAsync(HttpMethod.Get, "/data", ("Origin", B))).Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(B);
        (await app.SendAsync(HttpMethod.Get, "/data", ("Origin", B))).Headers.Age.Should().NotBeNull();

        lock (allowed) allowed.Remove(B);
        app.Services.GetRequiredService<ICorsKitOriginCache>().Invalidate(B);
        var afterRevocation = await app.SendAsync(HttpMethod.Get, "/data", ("Origin", B));

        afterRevocation.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        afterRevocation.Headers.Age.Should().BeNull();
    }

    [Fact]
    public async Task A_resolver_decided_response_is_cached_no_longer_than_corskit_reuses_the_resolver_answer()
    {
        const string C = "https://c.example";
        var allowed = new HashSet<string> { B };
        await using var app = await Host.StartAsync(b =>
        {
            b.Services.AddSingleton(new SetResolver(allowed));
            b.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins(A).AllowOriginsFrom<SetResolver>(r =>
            {
                r.PositiveTtl = TimeSpan.FromSeconds(2);
                r.NegativeTtl = TimeSpan.FromSeconds(2);
            })));
            b.Services.AddOutputCache(o => o.DefaultExpirationTimeSpan = TimeSpan.FromHours(1));
        }, a =>
        {
            a.UseRouting();
            a.UseOutputCache();
            a.UseCorsKit();
            a.MapGet("/data", () => "payload").CacheOutput();
        });

        // The output cache reads the real clock (its TimeProvider is not settable), so this waits for the 2 s to pass.
        foreach (var origin in new[] { A, B, C }) await app.SendAsync(HttpMethod.Get, "/data", ("Origin", origin));
        foreach (var origin in new[] { A, B, C })
        {
            (await app.SendAsync(HttpMethod.Get, "/data", ("Origin", origin))).Headers.Age.Should().NotBeNull($"{origin} is within every lifetime");
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        lock (allowed) allowed.Add(C);

        (await app.SendAsync(HttpMethod.Get, "/data", ("Origin", A))).Headers.Age.Should().NotBeNull("A is in the static allowlist: the cache's hour applies");
        (await app.SendAsync(HttpMethod.Get, "/data", ("Origin", B))).Headers.Age.Should().BeNull("past the resolver's 2 s the allowed entry is gone");
        var c = await app.SendAsync(HttpMethod.Get, "/data", ("Origin", C));
        c.Headers.Age.Should().BeNull("past the resolver's 2 s the refused entry is gone too");
        c.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(new[] { C }, "the tenant added meanwhile is asked again and allowed");
    }

    [Fact]
    public async Task Response_caching_ahead_of_reloadable_policies_warns_why()
    {
        var logs = new ListLoggerProvider();
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationManager();
        configuration["CorsKit:DefaultPolicy"] = "web";
        configuration["CorsKit:Policies:web:Origins:0"] = A;
        await using var app = await Host.StartAsync(b =>
        {
            b.Services.AddCorsKit(configuration.GetSection("CorsKit"));
            b.Services.AddResponseCaching();
        }, a =>
        {
            a.UseResponseCaching();
            a.UseCorsKit();
            a.MapGet("/data", () => "payload");
        }, logs);

        await app.SendAsync(HttpMethod.Get, "/data", ("Origin", A));

        logs.Entries.Should().ContainSingle(e => e.Event.Name == "AfterResponseCache" && e.Level == LogLevel.Warning)
            .Which.Message.Should().Contain("until it expires").And.Contain("reloaded policy");
    }

    [Theory]
    [InlineData(CacheKind.ResponseCaching)]
    [InlineData(CacheKind.CacheOutput)]
    public async Task A_cache_ahead_of_policies_that_cannot_change_logs_no_warning(CacheKind cache)
    {
        var logs = new ListLoggerProvider();
        await using var app = await CachedApp.StartAsync(cache, Placement.CacheBeforeCorsKit, PolicyCase.Exact, logs);

        await app.GetAsync(A);

        logs.Entries.Should().NotContain(e => e.Category.StartsWith("CorsKit", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Output_cache_ahead_of_reloadable_policies_logs_no_warning()
    {
        var logs = new ListLoggerProvider();
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationManager();
        configuration["CorsKit:DefaultPolicy"] = "web";
        configuration["CorsKit:Policies:web:Origins:0"] = A;
        await using var app = await Host.StartAsync(b =>
        {
            b.Services.AddCorsKit(configuration.GetSection("CorsKit"));
            b.Services.AddOutputCache();
        }, a =>
        {
            a.UseRouting();
            a.UseOutputCache();
            a.UseCorsKit();
            a.MapGet("/data", () => "payload").CacheOutput();
        }, logs);

        await app.SendAsync(HttpMethod.Get, "/data", ("Origin", A));

        logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Warning);
    }

    public enum CacheKind
    {
        None,

        /// <summary><c>UseResponseCaching</c>, which varies by the response's <c>Vary</c>.</summary>
        ResponseCaching,

        /// <summary><c>UseOutputCache</c> with <c>.CacheOutput()</c> (the default output-cache policy).</summary>
        CacheOutput,

        /// <summary><c>.CacheOutput("cached")</c>, a named policy.</summary>
        NamedOutputPolicy,

        /// <summary><c>AddBasePolicy(b =&gt; b.Cache())</c>: every endpoint cached.</summary>
        BaseOutputPolicy,

        /// <summary><c>.CacheOutput(new HandWrittenPolicy())</c>: a hand-written <see cref="IOutputCachePolicy"/>.</summary>
        CustomOutputPolicy,

        /// <summary>A custom base policy that caches every method, OPTIONS (preflights) included.</summary>
        EverythingOutputPolicy,

        /// <summary>A custom endpoint policy that clears the vary-by values after CorsKit set them.</summary>
        VaryClearingOutputPolicy,
    }

    public enum Placement
    {
        CacheBeforeCorsKit,
        CorsKitBeforeCache,
    }

    public enum PolicyCase
    {
        /// <summary>Exact origins, exposed header.</summary>
        Exact,

        /// <summary>Exact origins with credentials.</summary>
        Credentials,

        /// <summary>A regex and a subdomain pattern.</summary>
        Patterns,

        /// <summary>Exact origins, debug mode on (refusals carry X-CorsKit-Reason).</summary>
        Debug,

        /// <summary>A, and B from a run-time resolver.</summary>
        Resolver,

        /// <summary>The endpoint names the policy; UseCorsKit() has no default.</summary>
        EndpointNamed,

        /// <summary>An inline endpoint policy.</summary>
        EndpointInline,

        /// <summary>UseCorsKit("web") names the policy.</summary>
        UseCorsKitNamed,

        /// <summary><c>*</c> with an exposed header: one shared entry.</summary>
        AnyOrigin,
    }

    internal sealed record Answer(int Status, string Body, string? AllowOrigin, string? AllowCredentials, string? ExposeHeaders,
        string? AllowMethods, string? AllowHeaders, string? Reason, string VaryTokens);

    internal sealed record Observed(Answer Answer, bool FromCache);

    internal sealed class SetResolver(HashSet<string> allowed) : ICorsKitOriginResolver
    {
        public ValueTask<bool> IsAllowedAsync(string origin, HttpContext context, CancellationToken cancellationToken)
        {
            lock (allowed) return ValueTask.FromResult(allowed.Contains(origin));
        }
    }

    /// <summary>
    /// A hand-written <see cref="IOutputCachePolicy"/>: what one usually does (enable caching for GET), one that caches
    /// every request (OPTIONS, 204 and 403 included), or one that replaces the vary-by values wholesale, losing what
    /// base policies put there.
    /// </summary>
    private sealed class HandWrittenPolicy(bool everyMethod = false, bool clearVaryByValues = false) : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
        {
            var cache = everyMethod || HttpMethods.IsGet(context.HttpContext.Request.Method);
            context.EnableOutputCaching = cache;
            context.AllowCacheLookup = cache;
            context.AllowCacheStorage = cache;
            context.AllowLocking = true;
            context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(1);
            if (clearVaryByValues) context.CacheVaryByRules.VaryByValues.Clear();
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>One app: CorsKit with the policy case, the cache kind placed before or after it, one cacheable endpoint.</summary>
    private sealed class CachedApp : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HitCounter _hits;

        private CachedApp(WebApplication app, HitCounter hits)
        {
            _app = app;
            _hits = hits;
        }

        public int EndpointHits => _hits.Count;

        public static async Task<CachedApp> StartAsync(CacheKind cache, Placement placement, PolicyCase policy, ListLoggerProvider? logs = null)
        {
            var hits = new HitCounter();
            var app = await Host.StartAsync(b =>
            {
                b.Services.AddSingleton(new SetResolver([B]));
                b.Services.AddCorsKit(o => Configure(o, policy));
                if (cache == CacheKind.ResponseCaching) b.Services.AddResponseCaching();
                else if (cache != CacheKind.None)
                {
                    b.Services.AddOutputCache(o =>
                    {
                        o.AddPolicy("cached", p => p.Expire(TimeSpan.FromMinutes(1)));
                        if (cache == CacheKind.BaseOutputPolicy) o.AddBasePolicy(p => p.Cache());
                        if (cache == CacheKind.EverythingOutputPolicy) o.AddBasePolicy(new HandWrittenPolicy(everyMethod: true));
                    });
                }
            }, a =>
            {
                a.UseRouting();
                if (placement == Placement.CacheBeforeCorsKit) UseCache(a, cache);
                if (policy == PolicyCase.UseCorsKitNamed) a.UseCorsKit("web");
                else a.UseCorsKit();
                if (placement == Placement.CorsKitBeforeCache) UseCache(a, cache);

                var endpoint = a.MapGet("/data", (HttpContext context) =>
                {
                    hits.Increment();
                    context.Response.Headers.CacheControl = "public, max-age=60";
                    context.Response.Headers["X-Total-Count"] = "42";
                    return "payload";
                });
                Convention(endpoint, cache, policy);
            }, logs);
            return new CachedApp(app, hits);
        }

        public async Task<Observed> GetAsync(string? origin)
        {
            var response = origin is null
                ? await _app.SendAsync(HttpMethod.Get, "/data")
                : await _app.SendAsync(HttpMethod.Get, "/data", ("Origin", origin));
            return await ObserveAsync(response);
        }

        public async Task<Observed> PreflightAsync(string origin, string method, string? requestHeaders) =>
            await ObserveAsync(await _app.PreflightAsync("/data", origin, method, requestHeaders));

        public ValueTask DisposeAsync() => _app.DisposeAsync();

        private static void Configure(CorsKitOptions options, PolicyCase policy)
        {
            Action<CorsKitPolicyBuilder> web = policy switch
            {
                PolicyCase.Credentials => p => p.AllowOrigins(A, B).AllowCredentials(),
                PolicyCase.Patterns => p => p.AllowOrigins("https://*.a.example").AllowOriginRegexes(@"https://[ab]\.example").AllowMethods("PUT"),
                PolicyCase.Resolver => p => p.AllowOrigins(A).AllowOriginsFrom<SetResolver>().AllowMethods("PUT"),
                PolicyCase.AnyOrigin => p => p.AllowAnyOrigin().AllowMethods("PUT").ExposeHeaders("x-total-count"),
                _ => p => p.AllowOrigins(A, B).AllowMethods("PUT").ExposeHeaders("x-total-count"),
            };

            options.DebugMode = policy == PolicyCase.Debug;
            if (policy is PolicyCase.EndpointNamed or PolicyCase.UseCorsKitNamed) options.AddPolicy("web", web);
            else if (policy == PolicyCase.EndpointInline) options.AddPolicy("unused", p => p.AllowOrigins("https://unused.example"));
            else
            {
                options.AddPolicy("web", web);
                options.DefaultPolicyName = "web";
            }
        }

        private static void UseCache(WebApplication app, CacheKind cache)
        {
            if (cache == CacheKind.ResponseCaching) app.UseResponseCaching();
            else if (cache != CacheKind.None) app.UseOutputCache();
        }

        private static void Convention(RouteHandlerBuilder endpoint, CacheKind cache, PolicyCase policy)
        {
            if (policy == PolicyCase.EndpointNamed) endpoint.RequireCorsKit("web");
            if (policy == PolicyCase.EndpointInline) endpoint.RequireCorsKit(p => p.AllowOrigins(A, B).AllowMethods("PUT").ExposeHeaders("x-total-count"));
            _ = cache switch
            {
                CacheKind.CacheOutput => endpoint.CacheOutput(),
                CacheKind.NamedOutputPolicy => endpoint.CacheOutput("cached"),
                CacheKind.CustomOutputPolicy => endpoint.CacheOutput(new HandWrittenPolicy()),
                CacheKind.VaryClearingOutputPolicy => endpoint.CacheOutput(new HandWrittenPolicy(clearVaryByValues: true)),
                _ => endpoint,
            };
        }

        private static async Task<Observed> ObserveAsync(HttpResponseMessage response)
        {
            string? One(string name) =>
                response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
                    ? string.Join(" | ", values)
                    : null;

            var vary = response.Headers.Vary.SelectMany(v => v.Split(',')).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0).Distinct().Order();
            var answer = new Answer(
                (int)response.StatusCode,
                await response.Content.ReadAsStringAsync(),
                One("Access-Control-Allow-Origin"),
                One("Access-Control-Allow-Credentials"),
                One("Access-Control-Expose-Headers"),
                One("Access-Control-Allow-Methods"),
                One("Access-Control-Allow-Headers"),
                One("X-CorsKit-Reason"),
                string.Join(",", vary));
            return new Observed(answer, response.Headers.Age is not null);
        }
    }

    private sealed class HitCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }
}
