using CorsKit.Cli.Tests.Audit.Infrastructure;

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
}
