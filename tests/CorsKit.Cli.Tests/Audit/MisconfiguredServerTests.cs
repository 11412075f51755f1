using CorsKit.Cli.Tests.Audit.Infrastructure;
using CorsKit.Cli.Tests.Infrastructure;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>
/// <c>corskit audit</c> against small loopback servers that each carry one misconfiguration people deploy: each gets
/// exactly its findings, and the same server written correctly gets none.
/// </summary>
public sealed class MisconfiguredServerTests
{
    public static TheoryData<string> Misconfigurations() => [.. HandMadeCors.Misconfigurations.Keys];

    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task Each_misconfigured_server_gets_exactly_its_findings(string misconfiguration)
    {
        var (cors, expected) = HandMadeCors.Misconfigurations[misconfiguration];
        await using var server = await LoopbackServer.StartAsync(cors.Build);

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEquivalentTo(expected, run.ToString());
        run.ExitCode.Should().Be(1);
        run.NotChecked.Should().BeEmpty();
    }

    [Fact]
    public async Task The_same_server_written_correctly_gets_no_finding()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
        run.ExitCode.Should().Be(0);
        run.NotChecked.Should().BeEmpty();
        run.Report.GetProperty("notes").GetArrayLength().Should().Be(0, "the trusted origin is allowed, so nothing needs a note");
    }

    [Fact]
    public async Task An_origin_the_site_declares_it_trusts_is_not_a_finding()
    {
        var (cors, _) = HandMadeCors.Misconfigurations["trusts the http twin"];
        await using var server = await LoopbackServer.StartAsync(cors.Build);

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--origin", "http://app.example.com");

        run.Ids.Should().BeEmpty(run.ToString());
        server.Seen.Count(r => r.Origin == "http://app.example.com").Should().Be(1, "it is probed once, as a trusted origin, not as an attack");
    }

    /// <summary>
    /// The CorsKit configuration in each fix, loaded by CorsKit itself (through <c>corskit explain</c>), allows the
    /// trusted origin and refuses what the finding proved the server allowed.
    /// </summary>
    [Theory]
    [MemberData(nameof(Misconfigurations))]
    public async Task Each_findings_CorsKit_fix_allows_the_trusted_origin_and_refuses_the_attack(string misconfiguration)
    {
        var (cors, _) = HandMadeCors.Misconfigurations[misconfiguration];
        await using var server = await LoopbackServer.StartAsync(cors.Build);
        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);
        using var folder = new TempFolder();

        foreach (var finding in run.Findings)
        {
            var id = finding.GetProperty("id").GetString()!;
            var configuration = Path.Combine(folder.Path, id + ".json");
            await File.WriteAllTextAsync(configuration, finding.GetProperty("fix").GetProperty("corskit").GetProperty("configuration").GetRawText());
            string[] credentials = finding.GetProperty("credentials").GetBoolean() ? ["--credentials"] : [];

            var trusted = await CliRunner.RunAsync(null, ["explain", "--config", configuration, "--origin", HandMadeCors.Trusted, .. credentials]);
            trusted.ExitCode.Should().Be(0, $"the fix for {id} allows the trusted origin: {trusted.Output}{trusted.Error}");

            var request = finding.GetProperty("request");
            string[]? attack = id switch
            {
                "preflight-reflects-headers" => ["-H", SharedCacheTests.Header(request, "Access-Control-Request-Headers")!.Split(',')[^1]],
                "preflight-reflects-methods" => ["-X", SharedCacheTests.Header(request, "Access-Control-Request-Method")!],
                "missing-vary" or "cache-poisoning" or "error-responses-lack-cors" or "wildcard-with-credentials" => null,
                _ => ["--origin", finding.GetProperty("origin").GetString()!],
            };
            if (attack is null) continue;
            string[] origin = attack[0] == "--origin" ? [] : ["--origin", HandMadeCors.Trusted];
            var refused = await CliRunner.RunAsync(null, ["explain", "--config", configuration, .. origin, .. attack, .. credentials]);
            refused.ExitCode.Should().Be(1, $"the fix for {id} refuses {string.Join(' ', attack)}: {refused.Output}{refused.Error}");
        }
    }
}

/// <summary>A temporary folder, deleted with what it holds.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("corskit-audit-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
