using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>Every browser conformance scenario, in the order of docs/browser-conformance.md.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } = Build();

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
        scenarios.AddRange(EndpointScenarios.All());
        scenarios.AddRange(DebugModeScenarios.All());
        scenarios.AddRange(OtherLayerScenarios.All());
        scenarios.AddRange(SharedCacheScenarios.All());
        return scenarios;
    }
}
