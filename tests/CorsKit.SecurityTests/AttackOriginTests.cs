using CorsKit.SecurityTests.Attacks;
using CorsKit.SecurityTests.Infrastructure;
using CorsKit.SecurityTests.Model;
using Xunit.Abstractions;

namespace CorsKit.SecurityTests;

/// <summary>One running app per representative policy, shared by every attack case.</summary>
public sealed class RepresentativeServers : IAsyncLifetime
{
    private readonly Dictionary<string, TestServerHost> _hosts = new(StringComparer.Ordinal);

    internal TestServerHost this[string policy] => _hosts[policy];

    public async Task InitializeAsync()
    {
        foreach (var policy in RepresentativePolicies.All)
        {
            _hosts[policy.Name] = await TestServerHost.StartAsync(policy.Spec);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values) await host.DisposeAsync();
    }
}

/// <summary>
/// Every attack class × every representative policy × every allowed reference origin of that policy: the crafted
/// origin must get no CORS header, on a preflight or on an actual request. Each case is named by policy, class and
/// origin, so a failure says exactly which trick got through.
/// </summary>
public sealed class AttackOriginTests(RepresentativeServers servers, ITestOutputHelper output) : IClassFixture<RepresentativeServers>
{
    public static TheoryData<string, string, string> Attacks
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var (policy, attack, origin) in AllCases()) data.Add(policy.Name, attack.Name, origin);
            return data;
        }
    }

    public static TheoryData<string, string> AllowedReferences
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var policy in RepresentativePolicies.All)
            {
                foreach (var reference in policy.References) data.Add(policy.Name, reference.Origin);
            }
            return data;
        }
    }

    private static IEnumerable<(RepresentativePolicy Policy, AttackClass Attack, string Origin)> AllCases() =>
        from policy in RepresentativePolicies.All
        from attack in AttackClasses.All
        from origin in policy.References.SelectMany(attack.Derive).Distinct(StringComparer.Ordinal)
        select (policy, attack, origin);

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Attack_origin_gets_no_cors_headers(string policy, string attackClass, string origin)
    {
        var representative = RepresentativePolicies.Named(policy);
        new CorsModel(representative.Spec).AllowsOrigin(origin).Should().BeFalse($"the {attackClass} generator must only derive origins the policy refuses");
        var host = servers[policy];

        var preflight = await host.SendAsync(new RequestShape("OPTIONS", [origin], ["PUT"], ["x-trace"]));
        var actual = await host.SendAsync(new RequestShape("GET", [origin]));

        preflight.Error.Should().BeNull();
        preflight.Status.Should().Be(403);
        preflight.Headers.Keys.Should().NotContain(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        preflight.VaryTokens.Should().Contain("Origin");
        preflight.ReachedApp.Should().BeFalse();

        actual.Error.Should().BeNull();
        actual.Status.Should().Be(200);
        actual.Headers.Keys.Should().NotContain(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        actual.VaryTokens.Should().Contain("Origin");
        actual.ReachedApp.Should().BeTrue("a refused origin's request still reaches the app: CORS is not access control");
    }

    /// <summary>The positive control: without it, a policy that refused everything would pass every attack case.</summary>
    [Theory]
    [MemberData(nameof(AllowedReferences))]
    public async Task Reference_origin_is_allowed(string policy, string origin)
    {
        var representative = RepresentativePolicies.Named(policy);
        var credentials = representative.Spec.Credentials;
        var host = servers[policy];

        var preflight = await host.SendAsync(new RequestShape("OPTIONS", [origin], ["PUT"], ["x-trace"]));
        var actual = await host.SendAsync(new RequestShape("GET", [origin]));

        preflight.Status.Should().Be(204);
        preflight["Access-Control-Allow-Origin"].ToString().Should().Be(origin);
        preflight["Access-Control-Allow-Credentials"].ToString().Should().Be(credentials ? "true" : "");
        actual["Access-Control-Allow-Origin"].ToString().Should().Be(origin);
        actual["Access-Control-Allow-Credentials"].ToString().Should().Be(credentials ? "true" : "");
        actual["Access-Control-Expose-Headers"].ToString().Should().Be("x-total-count");
    }

    [Fact]
    public void Every_attack_class_derives_several_cases_for_every_policy_shape()
    {
        var cases = AllCases().ToList();
        output.WriteLine($"{cases.Count} cases");
        foreach (var attack in AttackClasses.All) output.WriteLine($"{attack.Name}: {cases.Count(c => c.Attack == attack)}");

        foreach (var attack in AttackClasses.All)
        {
            var shapes = cases.Where(c => c.Attack == attack).Select(c => c.Policy.Name).Distinct().ToList();
            shapes.Should().NotBeEmpty($"{attack.Name} must be exercised");
            foreach (var shape in shapes)
            {
                cases.Count(c => c.Attack == attack && c.Policy.Name == shape).Should().BeGreaterThanOrEqualTo(3, $"{attack.Name} against {shape}");
            }
        }

        foreach (var policy in RepresentativePolicies.All)
        {
            cases.Where(c => c.Policy == policy).Select(c => c.Attack).Distinct().Count()
                .Should().BeGreaterThanOrEqualTo(AttackClasses.All.Count - 3, $"{policy.Name} should face every class that applies to it");
        }
    }
}
