using CorsKit.Cli.Tests.Audit.Infrastructure;
using CorsKit.Cli.Tests.Infrastructure;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>The audit stays within its budget, its rate and one request in flight, as the server counts them.</summary>
public sealed class AuditBudgetTests
{
    [Theory]
    [InlineData(19, new[] { "https://app.example.com" })]
    [InlineData(39, new[] { "https://app.example.com", "https://admin.example.com", "https://shop.example.com" })]
    public async Task A_full_audit_fits_the_default_budget_and_the_report_counts_what_the_server_received(int requests, string[] origins)
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);

        var run = await Auditor.RunAsync(server.Url("/api/data"), [.. origins.SelectMany(o => new[] { "--origin", o })]);

        run.Report.GetProperty("maxRequests").GetInt32().Should().Be(40);
        server.Seen.Should().HaveCount(requests, "docs/cli.md: at most 19 for one trusted origin and 10 for each further one");
        run.Report.GetProperty("requests").GetInt32().Should().Be(requests);
        run.NotChecked.Should().BeEmpty();
    }

    [Fact]
    public async Task Max_requests_is_honoured_and_the_checks_it_cut_are_listed()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--max-requests", "5");

        server.Seen.Should().HaveCount(5);
        run.Report.GetProperty("requests").GetInt32().Should().Be(5);
        run.NotChecked.Should().Contain(["suffix-match", "prefix-match", "trusts-http", "preflight-reflects-headers", "cache-poisoning"]);
        run.Report.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).Should().Contain(n => n!.Contains("--max-requests"));
        run.ExitCode.Should().Be(0, "nothing was found among the checks that ran");
    }

    [Fact]
    public async Task Only_one_request_is_in_flight_at_a_time_by_default()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);
        server.Delay = TimeSpan.FromMilliseconds(30);

        await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--origin", "https://admin.example.com");

        server.Seen.Count.Should().BeGreaterThan(20);
        server.MaxInFlight.Should().Be(1);
    }

    [Fact]
    public async Task Concurrency_allows_more_requests_in_flight_when_asked_and_no_more_than_asked()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);
        server.Delay = TimeSpan.FromMilliseconds(100);

        await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--concurrency", "3", "--rate", "1000");

        server.MaxInFlight.Should().BeInRange(2, 3);
    }

    // A rate is a lower bound on time: the audit cannot send n requests at r per second in less than (n - 1) / r.
    // The bound is measured around the whole run, where a busy machine can only make it longer; gaps seen by the
    // server's clock can shrink when the machine delays one request's handling, so they are not asserted.
    [Fact]
    public async Task Requests_start_no_faster_than_the_rate()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--rate", "5", "--max-requests", "4");
        clock.Stop();

        server.Seen.Should().HaveCount(4);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(590), "4 requests at 5 per second start 200 ms apart");
    }

    [Fact]
    public async Task The_default_rate_is_ten_per_second()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await CliRunner.RunAsync(null, "audit", server.Url("/api/data"), "--origin", HandMadeCors.Trusted, "--max-requests", "4");
        clock.Stop();

        run.Output.Should().Contain("Sent 4 requests (budget 4), one at a time, at most 10 per second.");
        server.Seen.Should().HaveCount(4);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290), "4 requests at 10 per second start 100 ms apart");
    }
}
