using CorsKit.Cli.Tests.Audit.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Cli.Tests.Audit;

/// <summary>
/// A response cache in front of a correct CORS layer: ASP.NET Core's output cache, which keys on the URL and does not
/// look at Vary, placed before the CORS middleware (the order the issue trackers are full of).
/// </summary>
public sealed class SharedCacheTests
{
    [Fact]
    public async Task A_cache_that_replays_one_origins_answer_to_another_is_cache_poisoning_and_nothing_else()
    {
        await using var server = await LoopbackServer.StartAsync(app =>
        {
            app.UseOutputCache();
            HandMadeCors.Correct.Build(app);
        }, services => services.AddOutputCache(options => options.AddBasePolicy(policy => policy.Cache())));

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().Equal(["cache-poisoning"], run.ToString());
        var finding = run.Finding("cache-poisoning");
        finding.GetProperty("severity").GetString().Should().Be("medium", "the cached answer allows credentials");
        var evidence = finding.GetProperty("evidence").EnumerateArray().ToList();
        evidence.Should().HaveCount(3, "the trusted fetch, the fresh control and the replayed answer");
        // The replayed answer: the attacker's request to the URL the trusted origin fetched first got the trusted origin's header.
        var replayed = evidence[2];
        Header(replayed.GetProperty("request"), "Origin").Should().Be("https://attacker.test");
        Header(replayed.GetProperty("response"), "Access-Control-Allow-Origin").Should().Be(HandMadeCors.Trusted);
        Header(evidence[1].GetProperty("response"), "Access-Control-Allow-Origin").Should().BeNull("a fresh URL is answered by the app, which refuses the attacker");
    }

    [Fact]
    public async Task The_same_app_without_the_cache_gets_no_finding()
    {
        await using var server = await LoopbackServer.StartAsync(HandMadeCors.Correct.Build);

        var run = await Auditor.RunAsync(server.Url("/api/data"), "--origin", HandMadeCors.Trusted);

        run.Ids.Should().BeEmpty(run.ToString());
        // The probe still ran: three requests to cache-busted URLs.
        server.Seen.Count(r => r.PathAndQuery.Contains("corskit-audit=", StringComparison.Ordinal)).Should().Be(3);
    }

    internal static string? Header(System.Text.Json.JsonElement message, string name)
    {
        var values = message.GetProperty("headers").EnumerateArray()
            .Where(pair => string.Equals(pair[0].GetString(), name, StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1].GetString()).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}
