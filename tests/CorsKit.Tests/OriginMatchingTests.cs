using CorsKit.Tests.Infrastructure;

namespace CorsKit.Tests;

/// <summary>Each origin form against origins that must and must not match, through a real request.</summary>
public sealed class OriginMatchingTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        // Exact origins: byte-for-byte.
        { "https://app.example.com", "https://app.example.com", true },
        { "https://app.example.com", "http://app.example.com", false },
        { "https://app.example.com", "https://app.example.com:8443", false },
        { "https://app.example.com", "https://APP.example.com", false },
        { "https://app.example.com", "https://app.example.com/", false },
        { "https://app.example.com", "https://app.example.com.evil.com", false },
        { "https://app.example.com", "https://evilapp.example.com", false },
        { "https://app.example.com", "https://x.app.example.com", false },
        { "https://app.example.com", "https://app.example.co", false },
        { "https://app.example.com", "https://app.example.com:443", false },
        { "http://localhost:5173", "http://localhost:5173", true },
        { "http://localhost:5173", "http://localhost:5174", false },
        { "http://localhost:5173", "http://localhost", false },
        { "http://[::1]:8080", "http://[::1]:8080", true },
        { "http://127.0.0.1:8080", "http://127.0.0.1:8080", true },
        { "http://127.0.0.1:8080", "http://127.1:8080", false },
        { "http://127.0.0.1:8080", "http://127.0.0.01:8080", false },

        // Subdomain patterns: one or more whole labels, same scheme, default port.
        { "https://*.example.com", "https://a.example.com", true },
        { "https://*.example.com", "https://a.b.example.com", true },
        { "https://*.example.com", "https://a-b_c.example.com", true },
        { "https://*.example.com", "https://example.com", false },
        { "https://*.example.com", "https://evilexample.com", false },
        { "https://*.example.com", "https://a.evilexample.com", false },
        { "https://*.example.com", "https://a.example.com.evil.com", false },
        { "https://*.example.com", "http://a.example.com", false },
        { "https://*.example.com", "https://a.example.com:8443", false },
        { "https://*.example.com", "https://.example.com", false },
        { "https://*.example.com", "https://a..example.com", false },
        { "https://*.example.com", "https://a.example.com.", false },
        { "https://*.example.com", "https://a.example.co", false },
        { "https://*.example.com", "https://a.xexample.com", false },
        { "https://*.example.com", "https://123.example.com", true },
        { "https://*.example.com", "https://" + new string('a', 63) + ".example.com", true },
        { "https://*.example.com", "https://" + new string('a', 64) + ".example.com", false },
        { "https://*.example.com", "https://a-.example.com", false },
        { "https://*.example.com", "https://-a.example.com", false },
        { "https://*.example.com", "https://a.b-.example.com", false },

        // Port patterns: any port, or none.
        { "http://localhost:*", "http://localhost", true },
        { "http://localhost:*", "http://localhost:1", true },
        { "http://localhost:*", "http://localhost:65535", true },
        { "http://localhost:*", "http://localhost:65536", false },
        { "http://localhost:*", "http://localhost:080", false },
        { "http://localhost:*", "http://localhost:80", false },
        { "http://localhost:*", "https://localhost:8080", false },
        { "http://localhost:*", "http://localhost.evil.com:8080", false },
        { "http://localhost:*", "http://evil-localhost:8080", false },
        { "http://localhost:*", "http://app.localhost:8080", false },

        // Both together.
        { "https://*.example.com:*", "https://a.example.com:8443", true },
        { "https://*.example.com:*", "https://a.example.com", true },
        { "https://*.example.com:*", "https://example.com:8443", false },
        { "https://*.example.com:*", "https://a.example.com.evil.com:8443", false },

        // Subdomain pattern with an explicit port.
        { "http://*.localhost:5173", "http://app.localhost:5173", true },
        { "http://*.localhost:5173", "http://app.localhost:5174", false },
        { "http://*.localhost:5173", "http://app.localhost", false },
        { "http://*.localhost:5173", "http://localhost:5173", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Actual_request_gets_its_origin_back_only_when_the_pattern_matches(string configured, string origin, bool allowed)
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins(configured)));

        var response = await app.GetAsync("/", origin);

        response.Single("Access-Control-Allow-Origin").Should().Be(allowed ? origin : null);
        response.VaryTokens().Should().Contain("Origin");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Preflight_is_allowed_only_when_the_pattern_matches(string configured, string origin, bool allowed)
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins(configured).AllowMethods("PUT")));

        var response = await app.PreflightAsync(origin, "PUT");

        ((int)response.StatusCode).Should().Be(allowed ? 204 : 403);
        response.Single("Access-Control-Allow-Origin").Should().Be(allowed ? origin : null);
    }

    public static TheoryData<string, bool> RegexCases => new()
    {
        { "https://pr-1.preview.example.com", true },
        { "https://pr-12345.preview.example.com", true },
        { "https://pr-.preview.example.com", false },
        { "https://pr-1.previewxexample.com", false },
        { "https://pr-1.preview.example.com.evil.com", false },
        { "https://evil.com/https://pr-1.preview.example.com", false },
        { "http://pr-1.preview.example.com", false },
        { "https://pr-1.preview.example.com:8443", false },
        { "https://xpr-1.preview.example.com", false },
    };

    [Theory]
    [MemberData(nameof(RegexCases))]
    public async Task Regexes_match_the_whole_origin(string origin, bool allowed)
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOriginRegexes("https://pr-[0-9]+\\.preview\\.example\\.com")));

        var response = await app.GetAsync("/", origin);

        response.Single("Access-Control-Allow-Origin").Should().Be(allowed ? origin : null);
    }

    [Fact]
    public async Task Several_regexes_each_match_whole_origins_only()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOriginRegexes("https://a\\.example\\.com", "https://b[0-9]\\.example\\.com")));

        (await app.GetAsync("/", "https://a.example.com")).Single("Access-Control-Allow-Origin").Should().Be("https://a.example.com");
        (await app.GetAsync("/", "https://b7.example.com")).Single("Access-Control-Allow-Origin").Should().Be("https://b7.example.com");
        (await app.GetAsync("/", "https://a.example.comhttps://b7.example.com")).Single("Access-Control-Allow-Origin").Should().BeNull();
    }

    [Fact]
    public async Task Remembered_regex_matches_never_admit_an_origin_the_regex_refuses()
    {
        // CorsKit remembers recent regex matches (a fixed table of 64 slots). Against an oracle built here with the
        // backtracking engine, send 300 matching origins (more than the table holds, so entries are evicted and
        // re-matched) and, for each, near misses that a sloppy memo would confuse with it: one character changed,
        // one added, one removed, and the same text with a port. Every origin is sent three times, concurrently, in
        // a seeded random order.
        const string Pattern = "https://pr-[0-9]+\\.preview\\.example\\.com";
        var oracle = new System.Text.RegularExpressions.Regex("^(?:" + Pattern + ")\\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOriginRegexes(Pattern)));

        var origins = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var match = $"https://pr-{i}.preview.example.com";
            origins.Add(match);
            origins.Add($"https://pr-{i}x.preview.example.com");
            origins.Add($"https://pr-{i}.preview.example.co");
            origins.Add($"https://pr-{i}.preview.example.comm");
            origins.Add($"https://pr-{i}.preview.example.com:8443");
            origins.Add(match.Replace("pr-", "pq-", StringComparison.Ordinal));
        }
        var random = new Random(20261122);
        var requests = origins.Concat(origins).Concat(origins).OrderBy(_ => random.Next()).ToArray();
        var matching = origins.Count(o => oracle.IsMatch(o));
        matching.Should().Be(300, "the oracle itself must tell matches from near misses");

        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (origin, _) =>
        {
            var allowed = (await app.GetAsync("/", origin)).Single("Access-Control-Allow-Origin") == origin;
            if (allowed != oracle.IsMatch(origin)) wrong.Add($"{origin}: allowed={allowed}");
        });

        wrong.Should().BeEmpty();
    }

    [Fact]
    public async Task A_predicate_decides_origins_the_allowlist_does_not_know()
    {
        var asked = new List<string>();
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p
            .AllowOrigins("https://static.example.com")
            .AllowOriginWhen(origin =>
            {
                lock (asked) asked.Add(origin);
                return origin == "https://tenant.example.net";
            })));

        (await app.GetAsync("/", "https://tenant.example.net")).Single("Access-Control-Allow-Origin").Should().Be("https://tenant.example.net");
        (await app.GetAsync("/", "https://other.example.net")).Single("Access-Control-Allow-Origin").Should().BeNull();
        (await app.GetAsync("/", "null")).Single("Access-Control-Allow-Origin").Should().BeNull();
        lock (asked) asked.Should().NotContain("null", "the predicate only ever sees well-formed origins");
    }

    [Fact]
    public async Task A_throwing_predicate_refuses_instead_of_failing_the_request()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOriginWhen(_ => throw new InvalidOperationException("store down"))));

        var response = await app.GetAsync("/", "https://tenant.example.net");

        ((int)response.StatusCode).Should().Be(200);
        response.Single("Access-Control-Allow-Origin").Should().BeNull();
    }

    [Fact]
    public async Task Lookup_works_with_ten_thousand_exact_origins()
    {
        var origins = Enumerable.Range(0, 10_000).Select(i => $"https://app{i}.example.com").ToArray();
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins(origins)));

        (await app.GetAsync("/", "https://app9999.example.com")).Single("Access-Control-Allow-Origin").Should().Be("https://app9999.example.com");
        (await app.GetAsync("/", "https://app10000.example.com")).Single("Access-Control-Allow-Origin").Should().BeNull();
    }

    [Fact]
    public async Task Many_subdomain_patterns_do_not_let_a_joined_host_in()
    {
        // The trap of tree-based matchers: foo.com and bar.com allowed must not admit barfoo.com.
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOrigins("https://*.foo.com", "https://*.bar.com", "https://foo.com")));

        (await app.GetAsync("/", "https://x.barfoo.com")).Single("Access-Control-Allow-Origin").Should().BeNull();
        (await app.GetAsync("/", "https://barfoo.com")).Single("Access-Control-Allow-Origin").Should().BeNull();
        (await app.GetAsync("/", "https://x.bar.com")).Single("Access-Control-Allow-Origin").Should().Be("https://x.bar.com");
    }
}
