using System.Text.Json;
using CorsKit.BrowserTests.Infrastructure;
using CorsKit.BrowserTests.Scenarios;

namespace CorsKit.BrowserTests;

/// <summary>
/// The committed docs/browser-conformance.md and console-messages.json describe exactly the scenarios of this suite,
/// with their verdicts, so they cannot drift from the tests. (The browser tests check the live console texts.)
/// </summary>
public sealed class ConformanceDocumentTests
{
    private static readonly string Root = RepositoryRoot.Find();

    private static readonly string Stale =
        $"the committed file must match the scenarios; regenerate it with '{ConformanceReport.Regenerate}'";

    [Fact]
    public void Console_messages_file_lists_every_scenario_with_its_verdict()
    {
        var file = JsonSerializer.Deserialize<ReportFile>(File.ReadAllText(Path.Combine(Root, ConformanceReport.MessagesPath)), ConformanceReport.Json)!;

        file.Scenarios.Select(entry => entry.Name).Should().Equal(ScenarioCatalog.All.Select(scenario => scenario.Name), Stale);
        foreach (var (entry, scenario) in file.Scenarios.Zip(ScenarioCatalog.All))
        {
            entry.Verdict.Should().Be(ConformanceReport.VerdictName(scenario.Verdict), Stale);
            entry.CorsKitReason.Should().Be(ConformanceReport.ReasonName(scenario), Stale);
            entry.Script.Should().Be(scenario.Script, Stale);
            if (scenario.Verdict == Verdict.Blocked)
            {
                entry.Console.Should().Contain(text => text.Contains(scenario.Console!, StringComparison.Ordinal), Stale);
            }
            else
            {
                entry.Status.Should().Be(scenario.Status ?? entry.Status, Stale);
            }
        }
    }

    [Fact]
    public void Troubleshooting_guide_quotes_exactly_the_CORS_messages_Chromium_printed()
    {
        var file = JsonSerializer.Deserialize<ReportFile>(File.ReadAllText(Path.Combine(Root, ConformanceReport.MessagesPath)), ConformanceReport.Json)!;
        var captured = file.Scenarios.SelectMany(entry => entry.Console)
            .Where(text => text.Contains("has been blocked by CORS policy: ", StringComparison.Ordinal))
            .Select(text => TroubleshootingGuide.Normalize(ConformanceReport.ReasonPart(text)))
            .Distinct()
            .ToList();
        var quoted = TroubleshootingGuide.QuotedReasons();

        captured.Should().NotBeEmpty();
        quoted.Should().OnlyHaveUniqueItems("the guide has one section per message");
        quoted.Should().BeEquivalentTo(captured,
            $"{TroubleshootingGuide.Path} must explain every CORS message the browser suite captured, and quote only captured ones");
    }

    [Fact]
    public void Conformance_document_has_a_section_per_scenario()
    {
        var document = File.ReadAllText(Path.Combine(Root, ConformanceReport.DocumentPath));
        for (var i = 0; i < ScenarioCatalog.All.Count; i++)
        {
            document.Should().Contain($"#### {i + 1}. {ScenarioCatalog.All[i].Name}\n", Stale);
        }
        document.Should().NotContain($"#### {ScenarioCatalog.All.Count + 1}. ", Stale);
        document.Should().Contain($"agrees with Chromium on {ScenarioCatalog.All.Count} of {ScenarioCatalog.All.Count} scenarios (100%)",
            "every scenario compares corskit check with Chromium and fails on a disagreement; " + Stale);
    }
}
