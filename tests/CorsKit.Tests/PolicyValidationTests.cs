namespace CorsKit.Tests;

/// <summary>Each configuration error through the builder: the exception names the option, the value and the fix.</summary>
public sealed class PolicyValidationTests
{
    private static CorsKitConfigurationException Refused(Action<CorsKitPolicyBuilder> configure)
    {
        var builder = new CorsKitPolicyBuilder();
        configure(builder);
        var act = () => builder.Build("p");
        return act.Should().Throw<CorsKitConfigurationException>().Which;
    }

    public static TheoryData<string, string> NonCanonicalOrigins => new()
    {
        { "https://App.Example.com", "https://app.example.com" },
        { "HTTPS://app.example.com", "https://app.example.com" },
        { "https://app.example.com/", "https://app.example.com" },
        { "https://app.example.com/path", "https://app.example.com" },
        { "https://app.example.com?q=1", "https://app.example.com" },
        { "https://app.example.com#f", "https://app.example.com" },
        { "https://user:pw@app.example.com", "https://app.example.com" },
        { "https://app.example.com:443", "https://app.example.com" },
        { "http://app.example.com:80", "http://app.example.com" },
        { "http://app.example.com:08080", "http://app.example.com:8080" },
        { "https://bücher.example", "https://xn--bcher-kva.example" },
        { " https://app.example.com", "https://app.example.com" },
    };

    [Theory]
    [MemberData(nameof(NonCanonicalOrigins))]
    public void Non_canonical_origin_is_refused_showing_the_canonical_form(string configured, string canonical)
    {
        var error = Refused(p => p.AllowOrigins(configured));

        error.Errors.Should().ContainSingle();
        error.Errors[0].Option.Should().Be("Origins");
        error.Errors[0].Value.Should().Be(configured);
        error.Errors[0].Fix.Should().Contain($"'{canonical}'");
    }

    [Theory]
    [InlineData("null", "null")]
    [InlineData("file:///home/me/index.html", "file:")]
    [InlineData("https://*example.com", "wildcard")]
    [InlineData("https://a.*.example.com", "wildcard")]
    [InlineData("https://a*.example.com", "wildcard")]
    [InlineData("*://app.example.com", "scheme")]
    [InlineData("https://*.10.0.0.1", "IP addresses")]
    [InlineData("https://app.example.com:99999", "port")]
    [InlineData("https://app.example.com:0", "port")]
    [InlineData("app.example.com", "scheme")]
    [InlineData("", "empty")]
    [InlineData("https://", "host")]
    [InlineData("https://exa mple.com", "host")]
    public void Unsupported_origin_is_refused(string configured, string mentions)
    {
        var error = Refused(p => p.AllowOrigins(configured));

        error.Errors.Should().ContainSingle().Which.Option.Should().Be("Origins");
        error.Message.Should().ContainEquivalentOf(mentions);
    }

    [Fact]
    public void Empty_allowlist_is_refused() =>
        Refused(p => p.AllowMethods("PUT")).Errors.Should().ContainSingle().Which.Problem.Should().Contain("allowlist is empty");

    [Fact]
    public void Star_mixed_with_origins_is_refused() =>
        Refused(p => p.AllowOrigins("*", "https://a.example")).Errors.Should().ContainSingle().Which.Value.Should().Be("*");

    [Fact]
    public void Any_origin_with_credentials_can_never_be_built() =>
        Refused(p => p.AllowAnyOrigin().AllowCredentials()).Errors.Should().ContainSingle().Which.Option.Should().Be("AllowCredentials");

    [Fact]
    public void Expose_star_with_credentials_is_refused() =>
        Refused(p => p.AllowOrigins("https://a.example").AllowCredentials().ExposeHeaders("*")).Errors.Should().ContainSingle().Which.Option.Should().Be("ExposedHeaders");

    [Theory]
    [InlineData("GE T")]
    [InlineData("PUT,DELETE")]
    [InlineData("CONNECT")]
    [InlineData("TRACE")]
    [InlineData("track")]
    [InlineData("delete")]
    [InlineData("")]
    public void Bad_method_is_refused(string method) =>
        Refused(p => p.AllowOrigins("https://a.example").AllowMethods(method)).Errors.Should().ContainSingle().Which.Option.Should().Be("Methods");

    [Theory]
    [InlineData("x trace")]
    [InlineData("cookie")]
    [InlineData("Host")]
    [InlineData("origin")]
    [InlineData("sec-fetch-mode")]
    [InlineData("Proxy-Authorization")]
    [InlineData("content-length")]
    [InlineData("x-é")]
    public void Bad_request_header_is_refused(string header) =>
        Refused(p => p.AllowOrigins("https://a.example").AllowRequestHeaders(header)).Errors.Should().ContainSingle().Which.Option.Should().Be("RequestHeaders");

    [Theory]
    [InlineData("set-cookie")]
    [InlineData("Set-Cookie2")]
    [InlineData("x y")]
    public void Bad_exposed_header_is_refused(string header) =>
        Refused(p => p.AllowOrigins("https://a.example").ExposeHeaders(header)).Errors.Should().ContainSingle().Which.Option.Should().Be("ExposedHeaders");

    [Theory]
    [InlineData(-1)]
    [InlineData(86401)]
    public void Max_age_out_of_range_is_refused(int seconds) =>
        Refused(p => p.AllowOrigins("https://a.example").SetPreflightMaxAge(TimeSpan.FromSeconds(seconds))).Errors.Should().ContainSingle().Which.Option.Should().Be("MaxAgeSeconds");

    [Fact]
    public void Max_age_above_chromium_cap_builds_with_a_warning()
    {
        var policy = new CorsKitPolicyBuilder().AllowOrigins("https://a.example").SetPreflightMaxAge(TimeSpan.FromHours(3)).Build("p");

        policy.Warnings.Should().ContainSingle().Which.Should().Contain("7200");
    }

    [Theory]
    [InlineData("https://(a")]
    [InlineData("https://(a)\\1")]
    [InlineData("")]
    public void Invalid_regex_is_refused(string regex) =>
        Refused(p => p.AllowOriginRegexes(regex)).Errors.Should().ContainSingle().Which.Option.Should().Be("OriginRegexes");

    [Fact]
    public void Every_error_of_a_policy_is_reported_together()
    {
        var error = Refused(p => p.AllowOrigins("null", "https://A.example").AllowMethods("TRACE").AllowRequestHeaders("cookie").SetPreflightMaxAge(TimeSpan.FromDays(2)));

        error.Errors.Select(e => e.Option).Should().BeEquivalentTo("Origins", "Origins", "Methods", "RequestHeaders", "MaxAgeSeconds");
        error.Message.Should().StartWith("CorsKit configuration is invalid (5 errors):");
        error.Errors.Should().OnlyContain(e => e.Policy == "p" && e.Fix.Length > 0);
    }

    [Fact]
    public void A_built_policy_reads_back_its_normalised_settings()
    {
        var policy = new CorsKitPolicyBuilder()
            .AllowOrigins("https://a.example", "https://*.example.org:*")
            .AllowMethods("PUT", "PUT", "PATCH")
            .AllowRequestHeaders("Content-Type", "content-type")
            .ExposeHeaders("X-Total-Count")
            .AllowCredentials()
            .Build("named");

        policy.Name.Should().Be("named");
        policy.Origins.Should().Equal("https://a.example", "https://*.example.org:*");
        policy.Methods.Should().Equal("PUT", "PATCH");
        policy.RequestHeaders.Should().Equal("content-type");
        policy.ExposedHeaders.Should().Equal("x-total-count");
        policy.AllowsCredentials.Should().BeTrue();
        policy.AllowsAnyOrigin.Should().BeFalse();
        policy.PreflightMaxAge.Should().BeNull();
    }
}
