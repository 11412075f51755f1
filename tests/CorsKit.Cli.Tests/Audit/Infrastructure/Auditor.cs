using System.Text.Json;
using CorsKit.Cli.Tests.Infrastructure;

namespace CorsKit.Cli.Tests.Audit.Infrastructure;

/// <summary>An audit's outcome, with its JSON report parsed.</summary>
internal sealed record AuditRun(CliRun Cli, JsonElement Report)
{
    public int ExitCode => Cli.ExitCode;

    public IEnumerable<JsonElement> Findings => Report.GetProperty("findings").EnumerateArray();

    /// <summary>The ids found, sorted, each once.</summary>
    public string[] Ids => Findings.Select(f => f.GetProperty("id").GetString()!).Distinct().Order(StringComparer.Ordinal).ToArray();

    public JsonElement Finding(string id) => Findings.First(f => f.GetProperty("id").GetString() == id);

    public IEnumerable<string> NotChecked => Report.GetProperty("notChecked").EnumerateArray().Select(n => n.GetProperty("id").GetString()!);

    /// <summary>Everything a failed assertion should show.</summary>
    public override string ToString() => Cli.Output + Cli.Error;
}

internal static class Auditor
{
    /// <summary>
    /// Runs <c>corskit audit URL ARGS --json</c> in process over real sockets. Unless the test sets one, the rate is 100
    /// per second, so the suite does not spend minutes waiting on the default of 10.
    /// </summary>
    public static async Task<AuditRun> RunAsync(string url, params string[] args)
    {
        string[] all = ["audit", url, .. args, "--json"];
        if (!args.Contains("--rate")) all = [.. all, "--rate", "100"];
        var run = await CliRunner.RunAsync(null, all);
        run.Error.Should().BeEmpty();
        using var document = JsonDocument.Parse(run.Output);
        return new AuditRun(run, document.RootElement.Clone());
    }
}
