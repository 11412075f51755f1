using CorsKit.SecurityTests.Infrastructure;
using CorsKit.SecurityTests.Model;

namespace CorsKit.SecurityTests;

/// <summary>
/// Disagreements the differential test found between the middleware and the model, kept as fixed cases after the
/// middleware was fixed. Each names the seed and policy that found it.
/// </summary>
public sealed class RegressionTests
{
    // Found with a lax regex (http://\[[0-9a-f:]+\](:[0-9]+)?); such a regex is now refused at start-up by the regex
    // audit, so the regression is kept with a predicate that is just as lax about IPv6 hosts.
    private static readonly PolicySpec LaxIPv6Regex = new() { Predicate = PredicateKind.IPv6Host, Methods = ["PUT"] };

    /// <summary>
    /// Seed 20261122, policy #29: CorsKit accepted any bracketed run of hex digits and colons as an IPv6 host, so a
    /// lax regex allowed <c>http://[0:0:0:0:0:0:0:1]</c>, an Origin no browser sends (the URL Standard serializes
    /// IPv6 compressed, lower case, without leading zeros and never with a dotted quad).
    /// </summary>
    [Theory]
    [InlineData("http://[0:0:0:0:0:0:0:1]")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:3000")]
    [InlineData("http://[::0:1]")]
    [InlineData("http://[0::1]")]
    [InlineData("http://[::01]")]
    [InlineData("http://[2001:0db8::1]")]
    [InlineData("http://[2001:db8:0:0:1::1]")]
    [InlineData("http://[2001:db8::0:1]")]
    [InlineData("http://[1:0::2:0:0:3]")]
    [InlineData("http://[001:db8::7]:4306")]
    [InlineData("http://[::ffff:127.0.0.1]")]
    [InlineData("http://[::1.2.3.4]")]
    [InlineData("http://[:::]")]
    [InlineData("http://[:::::::]")]
    [InlineData("http://[1:2:3:4:5:6:7:8:9]")]
    [InlineData("http://[12345::1]")]
    [InlineData("http://[1::2::3]")]
    [InlineData("http://[::1:]")]
    [InlineData("http://[:1::]")]
    public async Task Non_canonical_IPv6_origin_is_refused_even_by_a_regex_that_matches_it(string origin)
    {
        await using var host = await TestServerHost.StartAsync(LaxIPv6Regex);

        var preflight = await host.SendAsync(RequestShape.Preflight(origin));
        var actual = await host.SendAsync(RequestShape.Actual(origin));

        preflight.Status.Should().Be(403);
        actual["Access-Control-Allow-Origin"].Should().BeEmpty();
        new CorsModel(LaxIPv6Regex).AllowsOrigin(origin).Should().BeFalse();
    }

    [Theory]
    [InlineData("http://[::1]")]
    [InlineData("http://[::]")]
    [InlineData("http://[1::]")]
    [InlineData("http://[2001:db8::1]:3000")]
    [InlineData("http://[1:0:0:2::3]")]
    [InlineData("http://[1::2:0:0:3]")]
    [InlineData("http://[::ffff:7f00:1]")]
    [InlineData("http://[1:2:3:4:5:6:7:8]")]
    [InlineData("http://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]")]
    [InlineData("http://[1:0:2:0:3:0:4:0]")]
    public async Task Canonical_IPv6_origin_is_still_allowed_by_a_regex_that_matches_it(string origin)
    {
        await using var host = await TestServerHost.StartAsync(LaxIPv6Regex);

        var preflight = await host.SendAsync(RequestShape.Preflight(origin));

        preflight.Status.Should().Be(204);
        preflight["Access-Control-Allow-Origin"].ToString().Should().Be(origin);
        new CorsModel(LaxIPv6Regex).AllowsOrigin(origin).Should().BeTrue();
    }

    /// <summary>
    /// The rewritten IPv6 check, exhaustively: every address whose eight pieces are 0 or 1, written in full and with
    /// every possible "::" (including single zero pieces, which the URL Standard never compresses). CorsKit must accept
    /// exactly the spellings the model's serializer produces.
    /// </summary>
    [Fact]
    public void IPv6_check_accepts_exactly_the_URL_standard_serialization_of_every_binary_address()
    {
        using var pipeline = InProcessPipeline.Create(LaxIPv6Regex);
        var model = new CorsModel(LaxIPv6Regex);
        var checkedSpellings = 0;

        for (var bits = 0; bits < 256; bits++)
        {
            var pieces = Enumerable.Range(0, 8).Select(i => (bits >> (7 - i)) & 1).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var spellings = new List<string> { string.Join(':', pieces) };
            for (var start = 0; start < 8; start++)
            {
                for (var end = start + 1; end <= 8 && pieces[end - 1] == "0"; end++)
                {
                    spellings.Add(string.Join(':', pieces[..start]) + "::" + string.Join(':', pieces[end..]));
                }
            }

            foreach (var spelling in spellings)
            {
                var origin = "http://[" + spelling + "]";
                var allowed = pipeline.Send(RequestShape.Actual(origin))["Access-Control-Allow-Origin"].Count == 1;
                allowed.Should().Be(model.AllowsOrigin(origin), origin);
                checkedSpellings++;
            }
        }

        checkedSpellings.Should().BeGreaterThan(1000);
    }

    /// <summary>Seed 20261122, policy #7: the origin predicate was called with <c>https://[001:db8::7]:4306</c>.</summary>
    [Fact]
    public async Task Origin_predicate_is_never_called_with_a_non_canonical_IPv6_origin()
    {
        var seen = new List<string>();
        using var pipeline = InProcessPipeline.Create(new PolicySpec { Origins = ["https://allowed.com"], Predicate = PredicateKind.ContainsTrusted }, seen.Add);

        pipeline.Send(RequestShape.Actual("https://[001:db8::7]:4306"));
        pipeline.Send(RequestShape.Actual("https://[0:0:0:0:0:0:0:1]"));
        pipeline.Send(RequestShape.Actual("https://[::1]"));

        seen.Should().Equal("https://[::1]");
        await Task.CompletedTask;
    }

    /// <summary>
    /// Seed 20261122, policy #11: an IPv4-mapped IPv6 origin written as browsers send it (<c>[::ffff:7f00:1]</c>) was
    /// refused at start-up, with the advice to write <c>[::ffff:127.0.0.1]</c>, a form that never matches.
    /// </summary>
    [Fact]
    public async Task IPv4_mapped_IPv6_origin_is_configured_in_the_form_browsers_send()
    {
        await using var host = await TestServerHost.StartAsync(new PolicySpec { Origins = ["http://[::ffff:7f00:1]:8080"], Methods = ["PUT"] });

        var preflight = await host.SendAsync(RequestShape.Preflight("http://[::ffff:7f00:1]:8080"));

        preflight.Status.Should().Be(204);
        preflight["Access-Control-Allow-Origin"].ToString().Should().Be("http://[::ffff:7f00:1]:8080");
    }

    [Theory]
    [InlineData("http://[::ffff:127.0.0.1]:8080", "http://[::ffff:7f00:1]:8080")]
    [InlineData("http://[0:0:0:0:0:0:0:1]", "http://[::1]")]
    [InlineData("http://[::FFFF:7F00:1]", "http://[::ffff:7f00:1]")]
    public void Non_canonical_IPv6_origin_in_configuration_is_refused_with_the_form_browsers_send(string configured, string suggestion)
    {
        var build = () => new CorsKitPolicyBuilder().AllowOrigins(configured).Build();

        build.Should().Throw<CorsKitConfigurationException>().Which.Message.Should().Contain($"Write '{suggestion}'");
    }
}
