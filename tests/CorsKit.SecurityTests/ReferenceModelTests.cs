using CorsKit.SecurityTests.Model;

namespace CorsKit.SecurityTests;

/// <summary>
/// The oracle is checked too: hand-written expectations from the URL and Fetch Standards and docs/security.md, so a
/// mistake in the model cannot silently agree with the same mistake in the middleware.
/// </summary>
public sealed class ReferenceModelTests
{
    [Theory]
    [InlineData("https://allowed.com", true)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://[::1]", true)]
    [InlineData("http://[::ffff:7f00:1]", true)]
    [InlineData("http://[2001:db8::1]:3000", true)]
    [InlineData("chrome-extension://abcdefghijklmnop", true)]
    [InlineData("https://a_b.xn--bcher-kva.com", true)]
    [InlineData("https://allowed.com:443", false)]
    [InlineData("http://allowed.com:80", false)]
    [InlineData("https://allowed.com:0443", false)]
    [InlineData("https://allowed.com:65536", false)]
    [InlineData("http://[::ffff:127.0.0.1]", false)]
    [InlineData("http://[0:0:0:0:0:0:0:1]", false)]
    [InlineData("http://[::0:1]", false)]
    [InlineData("http://[::1%25lo]", false)]
    [InlineData("https://Allowed.com", false)]
    [InlineData("HTTPS://allowed.com", false)]
    [InlineData("https://allowed.com/", false)]
    [InlineData("https://allowed.com.", false)]
    [InlineData("https://a..b.com", false)]
    [InlineData("https://-a.com", false)]
    [InlineData("https://a-.com", false)]
    [InlineData("http://1.2.3", false)]
    [InlineData("http://0177.0.0.1", false)]
    [InlineData("http://2130706433", false)]
    [InlineData("https://a.1", false)]
    [InlineData("https://user@allowed.com", false)]
    [InlineData("null", false)]
    [InlineData("", false)]
    public void Model_knows_which_values_a_browser_could_send_as_Origin(string origin, bool serialized)
    {
        OriginRules.IsSerializedOrigin(origin).Should().Be(serialized);
    }

    [Fact]
    public void Model_length_limits_are_the_documented_ones()
    {
        var label63 = new string('a', 63);
        var host253 = string.Join('.', label63, label63, label63, new string('a', 61));

        OriginRules.IsSerializedOrigin("https://" + label63 + ".com").Should().BeTrue();
        OriginRules.IsSerializedOrigin("https://" + label63 + "a.com").Should().BeFalse();
        OriginRules.IsSerializedOrigin("https://" + host253).Should().BeTrue();
        OriginRules.IsSerializedOrigin("https://a" + host253).Should().BeFalse();
        OriginRules.IsSerializedOrigin(new string('s', 512 - 3 - 253) + "://" + host253).Should().BeTrue();
        OriginRules.IsSerializedOrigin(new string('s', 513 - 3 - 253) + "://" + host253).Should().BeFalse();
    }

    [Theory]
    [InlineData("https://*.allowed.com", "https://a.allowed.com", true)]
    [InlineData("https://*.allowed.com", "https://a.b.allowed.com", true)]
    [InlineData("https://*.allowed.com", "https://allowed.com", false)]
    [InlineData("https://*.allowed.com", "https://evilallowed.com", false)]
    [InlineData("https://*.allowed.com", "https://a.allowed.com:8443", false)]
    [InlineData("https://*.allowed.com:*", "https://a.allowed.com:8443", true)]
    [InlineData("http://*.allowed.com:8080", "http://a.allowed.com:8080", true)]
    [InlineData("http://*.allowed.com:8080", "http://a.allowed.com", false)]
    [InlineData("http://localhost:*", "http://localhost", true)]
    [InlineData("http://localhost:*", "http://localhost:3000", true)]
    [InlineData("http://localhost:*", "http://app.localhost:3000", false)]
    [InlineData("http://[::1]:*", "http://[::1]:3000", true)]
    [InlineData("https://allowed.com", "https://allowed.com", true)]
    [InlineData("https://allowed.com", "http://allowed.com", false)]
    [InlineData("https://allowed.com:8443", "https://allowed.com", false)]
    [InlineData("*", "https://anything.example", true)]
    [InlineData("*", "null", false)]
    public void Model_matches_configured_origins_by_the_documented_rules(string entry, string origin, bool allowed)
    {
        new CorsModel(new PolicySpec { Origins = [entry] }).AllowsOrigin(origin).Should().Be(allowed);
    }

    [Theory]
    [InlineData("https://pr-1.preview.allowed.com", true)]
    [InlineData("https://pr-1.preview.allowed.com.evil.net", false)]
    [InlineData("https://evil.net/https://pr-1.preview.allowed.com", false)]
    [InlineData("https://pr-01.preview.allowed.com\n", false)]
    public void Model_regexes_match_whole_well_formed_origins(string origin, bool allowed)
    {
        new CorsModel(new PolicySpec { OriginRegexes = [@"https://pr-[0-9]+\.preview\.allowed\.com\n?"] }).AllowsOrigin(origin).Should().Be(allowed);
    }

    [Theory]
    [InlineData(new[] { "PUT" }, true)]
    [InlineData(new[] { "GET" }, true)]
    [InlineData(new[] { "get" }, false)]
    [InlineData(new[] { "put" }, false)]
    [InlineData(new[] { "PUT", "PUT" }, false)]
    [InlineData(new[] { "PUT,DELETE" }, false)]
    [InlineData(new[] { "" }, false)]
    public void Model_checks_the_request_method_as_documented(string[] requestMethod, bool allowed)
    {
        new CorsModel(new PolicySpec { Origins = ["https://allowed.com"], Methods = ["PUT"] }).AllowsMethod(requestMethod).Should().Be(allowed);
    }

    [Fact]
    public void Model_request_header_limits_are_the_documented_ones()
    {
        var model = new CorsModel(new PolicySpec { Origins = ["https://allowed.com"], RequestHeaders = ["x-a"] });

        model.AllowsRequestHeaders([string.Join(',', Enumerable.Repeat("x-a", 64))], out _).Should().BeTrue();
        model.AllowsRequestHeaders([string.Join(',', Enumerable.Repeat("x-a", 65))], out _).Should().BeFalse();
        model.AllowsRequestHeaders([new string(',', 63)], out var names).Should().BeTrue();
        names.Should().BeEmpty();
        model.AllowsRequestHeaders([new string(',', 64)], out _).Should().BeFalse();
        model.AllowsRequestHeaders(["x-a" + new string(' ', 2045)], out _).Should().BeTrue();
        model.AllowsRequestHeaders(["x-a" + new string(' ', 2046)], out _).Should().BeFalse();
        model.AllowsRequestHeaders([" X-A ,\tx-a"], out names).Should().BeTrue();
        names.Should().Equal("X-A", "x-a");
    }

    [Fact]
    public void Model_serializes_IPv6_as_the_URL_standard_does()
    {
        static string Serialize(string text) => OriginRules.SerializeIPv6(System.Net.IPAddress.Parse(text).GetAddressBytes());

        Serialize("0:0:0:0:0:0:0:1").Should().Be("::1");
        Serialize("::ffff:127.0.0.1").Should().Be("::ffff:7f00:1");
        Serialize("1:0:0:2:0:0:0:3").Should().Be("1:0:0:2::3");
        Serialize("1:0:0:2:0:0:3:4").Should().Be("1::2:0:0:3:4");
        Serialize("1:0:2:0:3:0:4:0").Should().Be("1:0:2:0:3:0:4:0");
        Serialize("0:0:0:1:0:0:0:1").Should().Be("::1:0:0:0:1");
        Serialize("1:0:0:0:0:0:0:0").Should().Be("1::");
        Serialize("::").Should().Be("::");
        Serialize("2001:DB8::1").Should().Be("2001:db8::1");
    }
}
