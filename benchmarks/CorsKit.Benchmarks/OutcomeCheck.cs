using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks;

/// <summary>
/// Runs each pipeline once before measuring and fails the run if CorsKit's answer is not the one the case is about,
/// or if Microsoft's policy is not doing the same origin check; prints both answers so the report can show them.
/// </summary>
internal static class OutcomeCheck
{
    public static void Verify(Scenario scenario, ScenarioDefinition definition, Pipeline microsoft, Pipeline corsKit)
    {
        var corsKitAllowed = Run(corsKit, out var corsKitSummary);
        var microsoftAllowed = Run(microsoft, out var microsoftSummary);

        // A handshake: CorsKit allows by passing it to the endpoint (which sets the content type) and refuses with 403.
        // Microsoft has no handshake check; its policy must still judge the origin the same (ACAO or not).
        if (definition.IsHandshake) corsKitAllowed = corsKit.Context.HttpContext.Response is { StatusCode: 200, ContentType: "application/json" };
        Console.WriteLine($"// {scenario}: CorsKit {corsKitSummary}; Microsoft {microsoftSummary}");

        if (corsKitAllowed != definition.ExpectAllowed)
        {
            throw new InvalidOperationException($"{scenario}: CorsKit answered {corsKitSummary}, expected allowed={definition.ExpectAllowed}.");
        }

        // Microsoft does not check requested headers, so it allows the hostile preflight CorsKit refuses.
        var microsoftExpected = definition.ExpectAllowed || scenario == Scenario.HostilePreflight;
        if (microsoftAllowed != microsoftExpected)
        {
            throw new InvalidOperationException($"{scenario}: Microsoft answered {microsoftSummary}, expected allowed={microsoftExpected}.");
        }
    }

    private static bool Run(Pipeline pipeline, out string summary)
    {
        pipeline.Invoke();
        var response = pipeline.Context.HttpContext.Response;
        var headers = response.Headers;
        summary = $"{response.StatusCode}, ACAO={Show(headers.AccessControlAllowOrigin)}, Vary={Show(headers.Vary)}, " +
                  $"ACAM={Show(headers.AccessControlAllowMethods)}, ACAH={Show(headers.AccessControlAllowHeaders)}";
        return headers.AccessControlAllowOrigin.Count != 0;
    }

    private static string Show(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 0 ? "-" : values.ToString().Length > 60 ? values.ToString()[..60] + "…" : values.ToString();
}
