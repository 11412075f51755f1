using System.Text.Json;
using CorsKit.Cli.Check;
using CorsKit.Cli.Tests.Infrastructure;

namespace CorsKit.Cli.Tests;

/// <summary>
/// Replays the responses of ChromiumAgreement/scenarios.json to the check engine and expects what Chromium did with
/// the same responses (recorded by ChromiumAgreement/record-chromium.mjs: verdict, console message, preflight and its
/// Access-Control-Request-Headers, the requests it sent, the headers script could read).
/// </summary>
public sealed class ChromiumAgreementTests
{
    private const string Api = "http://127.0.0.1:5291";
    private const string PageOrigin = "http://127.0.0.1:5292";

    // Headers Node's http server adds by itself; the replay does not send them, so script cannot read them here.
    private static readonly string[] NodeTransportHeaders = ["connection", "date", "keep-alive", "transfer-encoding"];

    private static readonly JsonElement Recording = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ChromiumAgreement", "scenarios.json"))).RootElement;

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in Recording.GetProperty("scenarios").EnumerateArray()) data.Add(scenario.GetProperty("name").GetString()!);
        return data;
    }

    [Fact]
    public void The_recording_covers_every_failure_Chromium_reports_and_both_verdicts()
    {
        var scenarios = Recording.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("chromium")).ToList();
        scenarios.Count(s => s.GetProperty("allowed").GetBoolean()).Should().BeGreaterThan(20);
        var messages = scenarios.Select(s => s.GetProperty("message").GetString()).OfType<string>().ToList();
        foreach (var fragment in new[]
                 {
                     "No 'Access-Control-Allow-Origin' header", "contains multiple values", "contains the invalid value",
                     "is not equal to the supplied origin", "must not be the wildcard '*'", "'Access-Control-Allow-Credentials' header",
                     "It does not have HTTP ok status.", "Redirect is not allowed for a preflight request.",
                     "Cannot parse Access-Control-Allow-Methods", "Cannot parse Access-Control-Allow-Headers",
                     "is not allowed by Access-Control-Allow-Methods", "is not allowed by Access-Control-Allow-Headers", "(redirected from",
                 })
        {
            messages.Should().Contain(m => m.Contains(fragment), $"a scenario should make Chromium say \"{fragment}\"");
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Engine_agrees_with_Chromium(string name)
    {
        var scenario = Recording.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        var chromium = scenario.GetProperty("chromium");
        using var server = new FakeServer(request => Replay(scenario, request));
        var request = scenario.GetProperty("request");

        var result = await CorsCheckEngine.CheckAsync(new CorsCheckRequest
        {
            Url = new Uri($"{Api}/s/{name}"),
            Origin = PageOrigin,
            Method = request.GetProperty("method").GetString()!,
            Headers = request.TryGetProperty("headers", out var headers)
                ? headers.EnumerateArray().Select(h => new KeyValuePair<string, string>(h[0].GetString()!, h[1].GetString()!)).ToList()
                : [],
            Credentials = request.TryGetProperty("credentials", out var credentials) && credentials.GetBoolean(),
        }, server);

        result.Outcome.Should().Be(chromium.GetProperty("allowed").GetBoolean() ? CheckOutcome.Allowed : CheckOutcome.Blocked);
        result.ConsoleMessage.Should().Be(chromium.GetProperty("message").GetString());
        result.PreflightRequired.Should().Be(chromium.GetProperty("preflight").GetBoolean());
        server.Received.FirstOrDefault(r => r.Method == "OPTIONS")?.Header("Access-Control-Request-Headers")
            .Should().Be(chromium.GetProperty("requestHeaders").GetString());
        server.Received.Select(r => $"{r.Method} {(r.Url.AbsolutePath.EndsWith("/next", StringComparison.Ordinal) ? "next" : "first")} Origin: {r.Header("Origin")}")
            .Should().Equal(chromium.GetProperty("requests").EnumerateArray()
                .Select(r => $"{r.GetProperty("method").GetString()} {(r.GetProperty("next").GetBoolean() ? "next" : "first")} Origin: {r.GetProperty("origin").GetString()}"));

        if (result.Outcome == CheckOutcome.Allowed)
        {
            result.Status.Should().Be(chromium.GetProperty("status").GetInt32());
            result.ReadableHeaders.Should().Equal(chromium.GetProperty("readable").EnumerateArray()
                .Select(h => h.GetString()!).Where(h => !NodeTransportHeaders.Contains(h)));
        }
    }

    /// <summary>The response record-chromium.mjs serves for this request.</summary>
    private static HttpResponseMessage Replay(JsonElement scenario, ReceivedRequest request)
    {
        var name = scenario.GetProperty("name").GetString()!;
        var next = request.Url.AbsolutePath.EndsWith("/next", StringComparison.Ordinal);
        var key = request.Method == "OPTIONS" ? (next ? "nextPreflight" : "preflight") : (next ? "next" : "actual");
        if (!scenario.TryGetProperty(key, out var answer)) return FakeServer.Response(500);

        var headers = answer.GetProperty("headers").EnumerateArray().Select(h => (h[0].GetString()!, h[1].GetString()!
            .Replace("{origin}", PageOrigin)
            .Replace("{next-localhost}", $"http://localhost:5291/s/{name}/next")
            .Replace("{next}", $"{Api}/s/{name}/next"))).ToArray();
        return FakeServer.Response(answer.GetProperty("status").GetInt32(), headers);
    }
}
