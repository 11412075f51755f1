using System.Text.Json;
using CorsKit.BrowserTests.Engines;
using CorsKit.BrowserTests.Infrastructure;
using CorsKit.BrowserTests.Scenarios;

namespace CorsKit.BrowserTests;

/// <summary>
/// The committed docs/browser-conformance.md and console-messages.json describe exactly the scenarios of this suite,
/// in every engine, with the verdicts each engine must reach, so they cannot drift from the tests. (The browser tests
/// check the live console texts.)
/// </summary>
public sealed class ConformanceDocumentTests
{
    private static readonly string Root = RepositoryRoot.Find();

    private static readonly string Stale =
        $"the committed file must match the scenarios; regenerate it with '{ConformanceReport.Regenerate}'";

    private static ReportFile ReadFile() =>
        JsonSerializer.Deserialize<ReportFile>(File.ReadAllText(Path.Combine(Root, ConformanceReport.MessagesPath)), ConformanceReport.Json)!;

    [Fact]
    public void Console_messages_file_lists_every_scenario_with_each_engines_verdict()
    {
        var file = ReadFile();

        file.Versions.Keys.Should().BeEquivalentTo(Enum.GetValues<Engine>().Select(ConformanceReport.EngineKey), Stale);
        file.Scenarios.Select(entry => entry.Name).Should().Equal(ScenarioCatalog.All.Select(scenario => scenario.Name), Stale);
        foreach (var (entry, scenario) in file.Scenarios.Zip(ScenarioCatalog.All))
        {
            entry.CorsKitReason.Should().Be(ConformanceReport.ReasonName(scenario), Stale);
            entry.Script.Should().Be(scenario.Script, Stale);
            entry.Differences.Should().Equal(scenario.Differences.Select(d => $"{d.Engine}: {d.Source}"), Stale);
            foreach (var engine in Enum.GetValues<Engine>())
            {
                var expected = scenario.For(engine);
                var recorded = entry.Engines[ConformanceReport.EngineKey(engine)];
                recorded.Verdict.Should().Be(ConformanceReport.VerdictName(expected.Verdict), $"{engine}: {Stale}");
                if (expected.Verdict == Verdict.Blocked && expected.Console?.For(engine) is { } fragment)
                {
                    recorded.Console.Should().Contain(text => text.Contains(fragment, StringComparison.Ordinal), $"{engine}: {Stale}");
                }
                else if (expected.Verdict == Verdict.Allowed)
                {
                    recorded.Status.Should().Be(expected.Status ?? recorded.Status, $"{engine}: {Stale}");
                }
            }
        }
    }

    [Fact]
    public void Troubleshooting_guide_quotes_exactly_the_CORS_messages_the_engines_printed()
    {
        var file = ReadFile();
        var captured = file.Scenarios
            .SelectMany(entry => Enum.GetValues<Engine>().SelectMany(engine => entry.Engines[ConformanceReport.EngineKey(engine)].Console
                .Where(text => EngineConsole.IsCorsError(engine, text))))
            .Select(TroubleshootingGuide.Normalize)
            .Distinct()
            .ToList();
        var quoted = TroubleshootingGuide.QuotedReasons();

        captured.Should().NotBeEmpty();
        quoted.Should().OnlyHaveUniqueItems("the guide quotes each message once");
        quoted.Should().BeEquivalentTo(captured,
            $"{TroubleshootingGuide.Path} must explain every CORS message the browser suite captured, and quote only captured ones");
    }

    [Fact]
    public void Conformance_document_has_a_section_per_scenario_and_full_agreement_per_engine()
    {
        var document = File.ReadAllText(Path.Combine(Root, ConformanceReport.DocumentPath));
        var count = ScenarioCatalog.All.Count;
        for (var i = 0; i < count; i++)
        {
            document.Should().Contain($"#### {i + 1}. {ScenarioCatalog.All[i].Name}\n", Stale);
        }
        document.Should().NotContain($"#### {count + 1}. ", Stale);
        foreach (var engine in Enum.GetValues<Engine>())
        {
            document.Should().Contain(ConformanceReport.AgreementSentence(engine, $"{count} of {count} scenarios (100%)"),
                "every scenario compares corskit check with each engine and fails on a disagreement; " + Stale);
        }
    }
}
