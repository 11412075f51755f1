using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CorsKit.Cli.Audit;
using CorsKit.Cli.Tests.Audit.Infrastructure;
using CorsKit.Cli.Tests.Infrastructure;

namespace CorsKit.Cli.Tests.Audit;

/// <summary><c>corskit audit</c> as a user and a CI job run it: exit codes, text, JSON, SARIF, help and docs.</summary>
public sealed class AuditOutputTests : IAsyncLifetime
{
    private LoopbackServer _reflecting = null!;

    public async Task InitializeAsync() => _reflecting = await LoopbackServer.StartAsync(HandMadeCors.Misconfigurations["reflects the Origin, with credentials"].Cors.Build);

    public async Task DisposeAsync() => await _reflecting.DisposeAsync();

    private Task<CliRun> Audit(params string[] args) => CliRunner.RunAsync(null, ["audit", .. args, "--rate", "100"]);

    [Fact]
    public async Task Findings_exit_1_and_print_one_block_per_finding_with_its_exchange_and_fix()
    {
        var run = await Audit(_reflecting.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.ExitCode.Should().Be(1);
        run.Error.Should().BeEmpty();
        var output = run.Output;
        output.Should().Contain($"corskit audit GET {_reflecting.Url("/api/data")}").And.Contain("Trusted origins: https://app.example.com");
        output.Should().Contain("HIGH reflects-any-origin: an unrelated origin is echoed in Access-Control-Allow-Origin, with credentials");
        output.Should().Contain("> Origin: https://attacker.test").And.Contain("< Access-Control-Allow-Origin: https://attacker.test")
            .And.Contain("< Access-Control-Allow-Credentials: true");
        output.Should().Contain("Attacker gains: ").And.Contain("Fix for CorsKit (appsettings.json):").And.Contain("\"Origins\": [")
            .And.Contain("Fix for other servers: Compare the Origin header with a list of exact origins");
        output.Should().Contain("HIGH trusts-null").And.Contain("2 findings: 2 high.");
        output.Split("Fix for other servers:").Should().HaveCount(3, "one block per finding");
        output.Should().NotContain("\u001b[");
    }

    [Fact]
    public async Task A_clean_server_exits_0()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);

        var run = await Audit(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("No findings: every check passed.");
    }

    [Theory]
    [InlineData("not-a-url", "is not an absolute http, https, ws or wss URL")]
    [InlineData("ftp://127.0.0.1/", "is not an absolute http, https, ws or wss URL")]
    [InlineData("http://127.0.0.1/ --origin https://App.example.com/", "did you mean 'https://app.example.com'?")]
    [InlineData("http://127.0.0.1/ --origin null", "'null' cannot be trusted")]
    [InlineData("http://127.0.0.1/ --method TRACE", "Browsers refuse to send TRACE")]
    [InlineData("http://127.0.0.1/ --websocket ws", "must be a path on the same host")]
    [InlineData("http://127.0.0.1/ --max-requests 0", "--max-requests must be a number of requests from 1 to 1000.")]
    [InlineData("http://127.0.0.1/ --concurrency 9", "--concurrency must be from 1 to 8.")]
    public async Task Usage_errors_exit_2_with_the_reason(string arguments, string message)
    {
        var run = await CliRunner.RunAsync(null, ["audit", .. arguments.Split(' ')]);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain(message);
        run.Output.Should().BeEmpty();
    }

    [Fact]
    public async Task An_unreachable_server_exits_2_with_a_network_error()
    {
        var port = ClosedPort();

        var run = await Audit($"http://127.0.0.1:{port}/api/data", "--origin", HandMadeCors.Trusted);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain($"corskit audit: Could not reach http://127.0.0.1:{port}/api/data");
    }

    [Fact]
    public async Task An_unreachable_server_gives_a_json_report_with_the_error_and_exit_code_2()
    {
        var port = ClosedPort();

        var run = await Auditor.RunAsync($"http://127.0.0.1:{port}/api/data", "--origin", HandMadeCors.Trusted);

        run.ExitCode.Should().Be(2);
        run.Report.GetProperty("exitCode").GetInt32().Should().Be(2);
        run.Report.GetProperty("error").GetString().Should().StartWith($"Could not reach http://127.0.0.1:{port}/api/data");
        run.Ids.Should().BeEmpty();
    }

    [Fact]
    public async Task Json_output_follows_the_documented_schema()
    {
        var run = await Auditor.RunAsync(_reflecting.Url("/api/data"), "--origin", HandMadeCors.Trusted);
        var report = run.Report;

        report.GetProperty("schemaVersion").GetInt32().Should().Be(1);
        report.GetProperty("url").GetString().Should().Be(_reflecting.Url("/api/data"));
        report.GetProperty("exitCode").GetInt32().Should().Be(1);
        report.GetProperty("trustedOrigins").EnumerateArray().Select(o => o.GetString()).Should().Equal("https://app.example.com");
        report.GetProperty("requests").GetInt32().Should().BePositive();
        report.GetProperty("maxRequests").GetInt32().Should().Be(40);
        report.GetProperty("notChecked").ValueKind.Should().Be(JsonValueKind.Array);
        report.GetProperty("notes").ValueKind.Should().Be(JsonValueKind.Array);
        report.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);

        var finding = run.Finding("reflects-any-origin");
        finding.GetProperty("severity").GetString().Should().Be("high");
        finding.GetProperty("credentials").GetBoolean().Should().BeTrue();
        finding.GetProperty("origin").GetString().Should().Be("https://attacker.test");
        finding.GetProperty("request").GetProperty("method").GetString().Should().Be("GET");
        SharedCacheTests.Header(finding.GetProperty("request"), "Origin").Should().Be("https://attacker.test");
        finding.GetProperty("proof").GetString().Should().Contain("Access-Control-Allow-Origin: https://attacker.test");
        finding.GetProperty("attackerGains").GetString().Should().NotBeNullOrEmpty();
        var exchange = finding.GetProperty("evidence").EnumerateArray().Single();
        exchange.GetProperty("kind").GetString().Should().Be("actual");
        exchange.GetProperty("response").GetProperty("status").GetInt32().Should().Be(200);
        SharedCacheTests.Header(exchange.GetProperty("response"), "Access-Control-Allow-Origin").Should().Be("https://attacker.test");
        var fix = finding.GetProperty("fix");
        fix.GetProperty("corskit").GetProperty("configuration").GetProperty("CorsKit").GetProperty("Policies").GetProperty("web")
            .GetProperty("Origins").EnumerateArray().Select(o => o.GetString()).Should().Equal("https://app.example.com");
        fix.GetProperty("corskit").GetProperty("note").GetString().Should().NotBeNullOrEmpty();
        fix.GetProperty("other").GetString().Should().StartWith("Compare the Origin header");
    }

    [Fact]
    public async Task The_sarif_file_is_sarif_2_1_0_with_every_rule_and_one_located_result_per_finding()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "audit.sarif");

        var run = await Audit(_reflecting.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--sarif", file);

        run.ExitCode.Should().Be(1);
        using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var root = sarif.RootElement;
        root.GetProperty("version").GetString().Should().Be("2.1.0");
        root.GetProperty("$schema").GetString().Should().Contain("sarif-2.1.0");
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        runs.Should().HaveCount(1);
        var driver = runs[0].GetProperty("tool").GetProperty("driver");
        driver.GetProperty("name").GetString().Should().Be("corskit");
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        rules.Select(r => r.GetProperty("id").GetString()).Should().Equal(AuditRules.All.Select(r => r.Id));
        foreach (var rule in rules)
        {
            rule.GetProperty("shortDescription").GetProperty("text").GetString().Should().NotBeNullOrEmpty();
            rule.GetProperty("fullDescription").GetProperty("text").GetString().Should().NotBeNullOrEmpty();
            rule.GetProperty("defaultConfiguration").GetProperty("level").GetString().Should().BeOneOf("error", "warning", "note");
        }

        var results = runs[0].GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("ruleId").GetString()).Should().Equal("reflects-any-origin", "trusts-null");
        foreach (var result in results)
        {
            var index = result.GetProperty("ruleIndex").GetInt32();
            rules[index].GetProperty("id").GetString().Should().Be(result.GetProperty("ruleId").GetString());
            result.GetProperty("level").GetString().Should().Be("error");
            result.GetProperty("message").GetProperty("text").GetString().Should().NotBeNullOrEmpty();
            var location = result.GetProperty("locations").EnumerateArray().Single();
            var uri = location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
            uri.Should().Be($"127.0.0.1_{_reflecting.BaseUrl.Port}/api/data", "code scanning takes relative paths only");
            location.GetProperty("logicalLocations")[0].GetProperty("fullyQualifiedName").GetString().Should().Be(_reflecting.Url("/api/data"));
            result.GetProperty("partialFingerprints").EnumerateObject().Should().ContainSingle();
            result.GetProperty("webResponse").GetProperty("statusCode").GetInt32().Should().Be(200);
            result.GetProperty("webRequest").GetProperty("headers").GetProperty("Origin").GetString().Should().NotBeNullOrEmpty();
        }
        runs[0].GetProperty("invocations")[0].GetProperty("executionSuccessful").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task A_sarif_file_is_written_for_a_clean_server_too_with_no_results()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "audit.sarif");

        var run = await Audit(server.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--sarif", file);

        run.ExitCode.Should().Be(0);
        using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        sarif.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Help_lists_every_finding_id_with_its_severity()
    {
        var run = await CliRunner.RunAsync(null, "audit", "--help");

        run.ExitCode.Should().Be(0);
        foreach (var rule in AuditRules.All)
        {
            run.Output.Should().MatchRegex($@"(?m)^\s+{rule.Id}\s+{AuditRules.Name(rule.WithCredentials)}\s+{System.Text.RegularExpressions.Regex.Escape(rule.Title)}");
        }
        run.Output.Should().Contain("--max-requests").And.Contain("--websocket").And.Contain("--sarif");
    }

    [Fact]
    public async Task The_docs_document_every_finding_id_with_both_severities_and_the_default_budget()
    {
        var docs = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "cli.md"));
        docs.Should().Contain("## `corskit audit`");
        var audit = docs[docs.IndexOf("## `corskit audit`", StringComparison.Ordinal)..];

        foreach (var rule in AuditRules.All)
        {
            var without = rule.WithoutCredentials is { } severity ? AuditRules.Name(severity) : "—";
            audit.Should().Contain($"| `{rule.Id}` | {AuditRules.Name(rule.WithCredentials)} | {without} |", $"docs/cli.md has a row for {rule.Id}");
            audit.Should().Contain($"### `{rule.Id}`", $"docs/cli.md explains {rule.Id}");
        }
        audit.Should().Contain($"{AuditLimits.DefaultMaxRequests} requests").And.Contain($"{AuditLimits.DefaultRate} per second");
    }

    /// <summary>A loopback port nothing listens on (it was free a moment ago).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CorsKit.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("CorsKit.sln not found above the test's folder.");
    }
}
