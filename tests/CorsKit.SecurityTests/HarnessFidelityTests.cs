using CorsKit.SecurityTests.Differential;
using CorsKit.SecurityTests.Infrastructure;
using CorsKit.SecurityTests.Model;

namespace CorsKit.SecurityTests;

/// <summary>
/// The differential test drives the middleware in-process for speed. These tests show that shortcut changes nothing:
/// the same random requests through a complete WebApplication on TestServer get the same status, CORS headers and
/// Vary, and reach the app the same way.
/// </summary>
public sealed class HarnessFidelityTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task In_process_pipeline_answers_exactly_as_a_full_app_over_TestServer(int policyIndex)
    {
        var random = new Random(DifferentialRun.PolicySeed(DifferentialTests.DefaultSeed, policyIndex));
        var generated = RandomPolicies.Next(random);
        using var pipeline = InProcessPipeline.Create(generated.Spec);
        await using var host = await TestServerHost.StartAsync(generated.Spec);

        for (var i = 0; i < 300; i++)
        {
            var request = RandomRequests.Next(random, generated);

            var inProcess = pipeline.Send(request);
            var overTestServer = await host.SendAsync(request);

            var context = $"policy {generated.Spec}, request {request}";
            overTestServer.Error.Should().BeNull(context);
            inProcess.Error.Should().BeNull(context);
            inProcess.Status.Should().Be(overTestServer.Status, context);
            inProcess.ReachedApp.Should().Be(overTestServer.ReachedApp, context);
            Relevant(inProcess).Should().BeEquivalentTo(Relevant(overTestServer), context);
        }
    }

    [Fact]
    public void Response_starting_callbacks_run_so_actual_requests_get_their_headers()
    {
        using var pipeline = InProcessPipeline.Create(new PolicySpec { Origins = ["https://allowed.com"], ExposedHeaders = ["x-total-count"] });

        var response = pipeline.Send(RequestShape.Actual("https://allowed.com"));

        response["Access-Control-Allow-Origin"].ToString().Should().Be("https://allowed.com");
        response["Access-Control-Expose-Headers"].ToString().Should().Be("x-total-count");
        response.ReachedApp.Should().BeTrue();
    }

    private static Dictionary<string, string> Relevant(ResponseSnapshot response) =>
        response.Headers
            .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Vary", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(" | ", h.Value.ToArray()));
}
