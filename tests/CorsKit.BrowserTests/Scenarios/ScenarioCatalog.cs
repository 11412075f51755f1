using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>Every browser conformance scenario, in the order of docs/browser-conformance.md.</summary>
internal static partial class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } = Build();

    /// <summary>API servers some scenarios need beyond the page and API servers, started by the fixture.</summary>
    public static IReadOnlyList<ExtraHost> ExtraHosts { get; } = BuildExtraHosts();

    public static Scenario Find(string name) => All.Single(scenario => scenario.Name == name);

    private static List<Scenario> Build()
    {
        var scenarios = new List<Scenario>();
        scenarios.AddRange(SimpleRequestScenarios.All());
        scenarios.AddRange(PreflightScenarios.All());
        scenarios.AddRange(CredentialScenarios.All());
        scenarios.AddRange(ExposedHeaderScenarios.All());
        scenarios.AddRange(CachingScenarios.All());
        scenarios.AddRange(OriginPatternScenarios.All());
        scenarios.AddRange(NullOriginScenarios.All());
        scenarios.AddRange(ErrorResponseScenarios.All());
        AddEndpointScenarios(scenarios);
        return scenarios;
    }

    private static List<ExtraHost> BuildExtraHosts()
    {
        var hosts = new List<ExtraHost>();
        AddEndpointHosts(hosts);
        return hosts;
    }

    // Implemented in EndpointScenarios.cs (endpoint-specific policies, disabled endpoints, authenticated endpoints).
    // While that file is left out of the build these calls compile to nothing.
    static partial void AddEndpointScenarios(List<Scenario> scenarios);

    static partial void AddEndpointHosts(List<ExtraHost> hosts);
}
