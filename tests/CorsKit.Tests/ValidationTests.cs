using CorsKit.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

/// <summary>
/// The validation rules that need more than a look at one value: credentials with plain http or public-suffix
/// wildcards, regexes attacked with origins derived from them, and warnings logged at start-up.
/// </summary>
public sealed class ValidationTests
{
    private static CorsKitConfigurationException Refused(Action<CorsKitPolicyBuilder> configure)
    {
        var builder = new CorsKitPolicyBuilder();
        configure(builder);
        var act = () => builder.Build("p");
        return act.Should().Throw<CorsKitConfigurationException>().Which;
    }

    private static CorsKitPolicy Built(Action<CorsKitPolicyBuilder> configure)
    {
        var builder = new CorsKitPolicyBuilder();
        configure(builder);
        return builder.Build("p");
    }

    // ---- Credentials and plain http ----

    [Theory]
    [InlineData("http://app.example.com")]
    [InlineData("http://app.example.com:8080")]
    [InlineData("http://*.example.com")]
    [InlineData("http://10.0.0.7:3000")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://128.0.0.1")]
    public void Credentials_with_a_plain_http_origin_beyond_loopback_are_refused_naming_the_opt_out(string origin)
    {
        var error = Refused(p => p.AllowOrigins(origin).AllowCredentials()).Errors.Should().ContainSingle().Which;

        error.Option.Should().Be("Origins");
        error.Value.Should().Be(origin);
        error.Problem.Should().Contain("plain-http");
        error.Fix.Should().Contain("DangerouslyAllowInsecureHttpOriginsWithCredentials");
    }

    [Theory]
    [InlineData("http://localhost")]
    [InlineData("http://localhost:5173")]
    [InlineData("http://localhost:*")]
    [InlineData("http://app.localhost:3000")]
    [InlineData("http://*.localhost:*")]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://127.45.6.7")]
    [InlineData("http://[::1]:8080")]
    public void Credentials_with_plain_http_on_loopback_are_accepted(string origin) =>
        Built(p => p.AllowOrigins(origin).AllowCredentials()).Warnings.Should().BeEmpty();

    [Fact]
    public void Plain_http_without_credentials_is_accepted() =>
        Built(p => p.AllowOrigins("http://app.example.com")).Origins.Should().Equal("http://app.example.com");

    [Fact]
    public void The_insecure_http_opt_out_accepts_the_origin_and_leaves_a_warning()
    {
        var policy = Built(p => p.AllowOrigins("http://intranet.example.com").AllowCredentials().DangerouslyAllowInsecureHttpOriginsWithCredentials());

        policy.Warnings.Should().ContainSingle().Which.Should().Contain("DangerouslyAllowInsecureHttpOriginsWithCredentials").And.Contain("http://intranet.example.com");
    }

    [Fact]
    public void Credentials_with_a_regex_allowing_plain_http_are_refused_unless_opted_out()
    {
        const string Regex = "http://[a-z]+\\.intranet\\.example\\.com";
        var error = Refused(p => p.AllowOriginRegexes(Regex).AllowCredentials()).Errors.Should().ContainSingle().Which;
        error.Option.Should().Be("OriginRegexes");
        error.Value.Should().Be(Regex);
        error.Fix.Should().Contain("DangerouslyAllowInsecureHttpOriginsWithCredentials");

        Built(p => p.AllowOriginRegexes(Regex).AllowCredentials().DangerouslyAllowInsecureHttpOriginsWithCredentials()).Warnings.Should().ContainSingle();
    }

    // ---- Credentials and public suffixes ----

    [Theory]
    [InlineData("https://*.com")]
    [InlineData("https://*.co.uk")]
    [InlineData("https://*.github.io")]
    [InlineData("https://*.vercel.app")]
    [InlineData("https://*.herokuapp.com:*")]
    [InlineData("https://*.anything.ck")] // "*.ck": every name under ck is a public suffix
    [InlineData("https://*.sch.uk")] // "*.sch.uk": the sites below it belong to different schools
    [InlineData("https://*.amazonaws.com")] // contains public suffixes such as s3.amazonaws.com
    [InlineData("https://*.xn--55qx5d.cn")] // 公司.cn, listed in Unicode, compared in punycode
    public void Credentials_with_a_wildcard_over_a_public_suffix_are_refused_naming_the_opt_out(string origin)
    {
        var error = Refused(p => p.AllowOrigins(origin).AllowCredentials()).Errors.Should().ContainSingle().Which;

        error.Option.Should().Be("Origins");
        error.Value.Should().Be(origin);
        error.Problem.Should().Contain("public suffix");
        error.Fix.Should().Contain("DangerouslyAllowPublicSuffixWildcardsWithCredentials");
    }

    [Theory]
    [InlineData("https://*.example.com")]
    [InlineData("https://*.example.co.uk")]
    [InlineData("https://*.myname.github.io")]
    [InlineData("https://*.www.ck")] // "!www.ck" is an exception: www.ck is an ordinary domain
    [InlineData("https://*.city.kawasaki.jp")] // likewise "!city.kawasaki.jp"
    public void Credentials_with_a_wildcard_below_a_registrable_domain_are_accepted(string origin) =>
        Built(p => p.AllowOrigins(origin).AllowCredentials()).Origins.Should().Equal(origin);

    [Fact]
    public void A_public_suffix_wildcard_without_credentials_is_accepted() =>
        Built(p => p.AllowOrigins("https://*.github.io")).Origins.Should().Equal("https://*.github.io");

    [Fact]
    public void The_public_suffix_opt_out_accepts_the_wildcard_and_leaves_a_warning()
    {
        var policy = Built(p => p.AllowOrigins("https://*.github.io").AllowCredentials().DangerouslyAllowPublicSuffixWildcardsWithCredentials());

        policy.Warnings.Should().ContainSingle().Which.Should().Contain("DangerouslyAllowPublicSuffixWildcardsWithCredentials").And.Contain("github.io");
    }

    [Fact]
    public void Each_opt_out_covers_only_its_own_rule()
    {
        var error = Refused(p => p.AllowOrigins("https://*.github.io", "http://app.example.com").AllowCredentials()
            .DangerouslyAllowInsecureHttpOriginsWithCredentials());

        error.Errors.Should().ContainSingle().Which.Value.Should().Be("https://*.github.io");
    }

    // ---- Regexes: whole origins only ----

    [Theory]
    [InlineData("https://app\\.example\\.com/.*", "path")]
    [InlineData("https://app\\.example\\.com/", "trailing slash")]
    [InlineData("https://App\\.example\\.com", "upper-case")]
    [InlineData("https://app\\.example\\.com:443", "default port")]
    [InlineData("(https://app\\.example\\.com|app\\.example\\.com)", "scheme")]
    [InlineData("app\\.example\\.com", "scheme")]
    public void A_regex_that_matches_something_other_than_a_whole_origin_is_refused(string regex, string mentions)
    {
        var error = Refused(p => p.AllowOriginRegexes(regex)).Errors.Should().ContainSingle().Which;

        error.Option.Should().Be("OriginRegexes");
        error.Value.Should().Be(regex);
        error.Problem.Should().Contain("not an origin").And.ContainEquivalentOf(mentions);
    }

    [Theory]
    [InlineData("(?i)https://app\\.example\\.com")]
    [InlineData("https://\\p{L}+\\.example\\.com")]
    [InlineData("https://[a-z-[aeiou]]+\\.example\\.com")]
    public void A_regex_outside_the_checkable_subset_is_refused(string regex) =>
        Refused(p => p.AllowOriginRegexes(regex)).Errors.Should().ContainSingle().Which.Option.Should().Be("OriginRegexes");

    // ---- Regexes attacked with origins derived from them ----

    [Theory]
    [InlineData("https://app.example.com", "https://appxexample.com")]
    [InlineData("https://app\\.example.com", "https://app.examplexcom")]
    [InlineData("https://[a-z]+.example\\.com", "https://axexample.com")]
    public void A_regex_with_an_unescaped_dot_is_refused(string regex, string attack)
    {
        var error = Refused(p => p.AllowOriginRegexes(regex)).Errors.Should().ContainSingle().Which;

        error.Option.Should().Be("OriginRegexes");
        error.Problem.Should().Contain($"'{attack}'").And.Contain("dot");
        error.Fix.Should().Contain("\\.");
    }

    [Theory]
    [InlineData("https://app\\.example\\.com.*")]
    [InlineData("https://app\\.example\\.com[a-z.]*")]
    [InlineData("https://app\\.example\\.com(\\..+)?")]
    [InlineData("https://.*")]
    public void A_regex_that_lets_anything_follow_the_host_is_refused(string regex) =>
        Refused(p => p.AllowOriginRegexes(regex)).Errors.Should().ContainSingle().Which.Problem.Should().Contain(".evil.example");

    [Theory]
    [InlineData("https://.*example\\.com", "https://evilexample.com")]
    [InlineData("https://[a-z]*example\\.com", "https://evilexample.com")]
    [InlineData("https://[a-z]+-preview\\.com", "https://evila-preview.com")]
    [InlineData("https://app\\..*example\\.com", "https://app.evilexample.com")]
    [InlineData("https://[a-z]+\\.github\\.io", "https://evila.github.io")]
    [InlineData("https://[0-9]+\\.github\\.io", "https://11.github.io")]
    public void A_regex_that_leaves_part_of_a_label_open_to_other_sites_is_refused(string regex, string attack)
    {
        var error = Refused(p => p.AllowOriginRegexes(regex)).Errors.Should().ContainSingle().Which;

        error.Option.Should().Be("OriginRegexes");
        error.Problem.Should().Contain($"'{attack}'").And.Contain("different site");
    }

    [Theory]
    [InlineData("https?://app\\.example\\.com")]
    [InlineData("(http|https)://app\\.example\\.com")]
    public void A_regex_that_also_allows_the_plain_http_twin_is_refused(string regex) =>
        Refused(p => p.AllowOriginRegexes(regex)).Errors.Should().ContainSingle().Which.Problem.Should().Contain("'http://app.example.com'");

    [Theory]
    [InlineData("null|https://app\\.example\\.com")]
    [InlineData("n.ll|https://app\\.example\\.com")]
    [InlineData(".*")]
    public void A_regex_that_matches_null_is_refused(string regex) =>
        Refused(p => p.AllowOriginRegexes(regex)).Errors.Should().ContainSingle().Which.Problem.Should().Contain("'null'");

    [Theory]
    [InlineData("https://pr-[0-9]+\\.preview\\.example\\.com")]
    [InlineData("https://([a-z0-9-]+\\.)?example\\.com")]
    [InlineData("^https://app\\.example\\.com$")]
    [InlineData("https://(?<tenant>[a-z]+)\\.example\\.com(:[0-9]{4})?")]
    [InlineData("https://(app|admin)\\.example\\.co\\.uk")]
    [InlineData("https://[a-z]{2,8}\\.example\\.com")]
    [InlineData("http://localhost:[1-9][0-9]{3}")]
    [InlineData("https?://localhost:[0-9]+")]
    [InlineData("https://\\w+\\.example\\.com")]
    [InlineData("https://[^.]+\\.example\\.com")]
    [InlineData("https://.*\\.example\\.com")] // also matches "https://.example.com", which no browser sends
    public void A_well_written_regex_is_accepted(string regex) =>
        Built(p => p.AllowOriginRegexes(regex)).OriginRegexes.Should().Equal(regex);

    [Fact]
    public void Every_regex_error_of_a_policy_is_reported_together()
    {
        var error = Refused(p => p.AllowOriginRegexes("https://a.example.com", "https://b\\.example\\.com.*", "https://fine\\.example\\.com"));

        error.Errors.Should().HaveCount(2).And.OnlyContain(e => e.Option == "OriginRegexes");
    }

    [Fact]
    public async Task A_regex_prone_to_catastrophic_backtracking_answers_a_hostile_origin_quickly()
    {
        // With a backtracking engine, "(a+)+" against many a's and no match takes exponential time.
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.AllowOriginRegexes("https://(a+)+\\.example\\.com")));
        var hostile = "https://" + new string('a', 60) + "b.example.com";
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var response = await app.GetAsync("/", hostile);

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        response.Single("Access-Control-Allow-Origin").Should().BeNull();
        (await app.GetAsync("/", "https://aaa.example.com")).Single("Access-Control-Allow-Origin").Should().Be("https://aaa.example.com");
    }

    // ---- The same rules from configuration, and warnings at start-up ----

    [Fact]
    public async Task The_opt_outs_are_read_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:DefaultPolicy"] = "web",
            ["CorsKit:Policies:web:Origins:0"] = "http://intranet.example.com",
            ["CorsKit:Policies:web:Origins:1"] = "https://*.github.io",
            ["CorsKit:Policies:web:AllowCredentials"] = "true",
            ["CorsKit:Policies:web:DangerouslyAllowInsecureHttpOriginsWithCredentials"] = "true",
            ["CorsKit:Policies:web:DangerouslyAllowPublicSuffixWildcardsWithCredentials"] = "true",
        }).Build();
        await using var app = await TestApp.StartAsync(services => services.AddCorsKit(configuration.GetSection("CorsKit")));

        foreach (var origin in new[] { "http://intranet.example.com", "https://someone.github.io" })
        {
            var response = await app.GetAsync("/", origin);
            response.Single("Access-Control-Allow-Origin").Should().Be(origin);
            response.Single("Access-Control-Allow-Credentials").Should().Be("true");
        }
    }

    [Fact]
    public async Task Without_the_opt_outs_configuration_fails_naming_each_one()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CorsKit:Policies:web:Origins:0"] = "http://intranet.example.com",
            ["CorsKit:Policies:web:Origins:1"] = "https://*.github.io",
            ["CorsKit:Policies:web:AllowCredentials"] = "true",
            ["CorsKit:Policies:web:DangerouslyAllowPublicSuffixWildcardsWithCredentials"] = "maybe",
        }).Build();
        var act = async () =>
        {
            await using var app = await TestApp.StartAsync(services => services.AddCorsKit(configuration.GetSection("CorsKit")));
        };

        (await act.Should().ThrowAsync<CorsKitConfigurationException>()).Which.Message.Should()
            .Contain("policy 'web', Origins value 'http://intranet.example.com'").And.Contain("\"DangerouslyAllowInsecureHttpOriginsWithCredentials\": true")
            .And.Contain("policy 'web', Origins value 'https://*.github.io'").And.Contain("\"DangerouslyAllowPublicSuffixWildcardsWithCredentials\": true")
            .And.Contain("policy 'web', DangerouslyAllowPublicSuffixWildcardsWithCredentials value 'maybe': Not a boolean.");
    }

    [Fact]
    public async Task Warnings_are_logged_at_start_up()
    {
        var logs = new LogCollector();
        await using var app = await TestApp.StartAsync(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowOrigins("https://*.github.io").AllowCredentials()
                .DangerouslyAllowPublicSuffixWildcardsWithCredentials().SetPreflightMaxAge(TimeSpan.FromHours(3))));
        });

        var warnings = logs.WithEvent("PolicyWarning").Select(e => e.Message).ToArray();

        warnings.Should().HaveCount(2);
        warnings.Should().Contain(w => w.Contains("MaxAgeSeconds 10800") && w.Contains("7200"));
        warnings.Should().Contain(w => w.Contains("DangerouslyAllowPublicSuffixWildcardsWithCredentials"));
        logs.WithEvent("PolicyWarning").Should().OnlyContain(e => e.Level == LogLevel.Warning);
    }
}
