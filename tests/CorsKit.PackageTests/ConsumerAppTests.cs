using System.Net;
using CorsKit.PackageTests.Infrastructure;

namespace CorsKit.PackageTests;

/// <summary>
/// A fresh app outside the solution, referencing CorsKit only as a package from the packed feed, built and run on
/// loopback: the package works for someone who is not us.
/// </summary>
[Collection(nameof(PackedLibraryTests))]
public sealed class ConsumerAppTests(PackedLibrary library)
{
    private const string OtherOrigin = "https://evil.example";

    private static IEnumerable<string> Tokens(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            : [];

    private static string? Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? string.Join(", ", values) : null;

    private static HttpRequestMessage Preflight(string origin) => new(HttpMethod.Options, "/orders")
    {
        Headers =
        {
            { "Origin", origin },
            { "Access-Control-Request-Method", "PUT" },
            { "Access-Control-Request-Headers", "x-consumer" },
        },
    };

    [Fact]
    public async Task Consumer_restores_CorsKit_from_the_packed_feed_and_nothing_else()
    {
        var consumer = await library.Consumer;

        Directory.GetDirectories(consumer.PackagesDirectory).Select(Path.GetFileName).Should().Equal("corskit");
        File.Exists(Path.Combine(consumer.PackagesDirectory, "corskit", library.Version, $"corskit.{library.Version}.nupkg"))
            .Should().BeTrue();
    }

    [Fact]
    public async Task Preflight_from_the_allowed_origin_is_answered_with_the_policy()
    {
        var consumer = await library.Consumer;

        using var response = await consumer.Client.SendAsync(Preflight(ConsumerApp.AllowedOrigin));

        response.StatusCode.Should().Be(HttpStatusCode.NoContent, consumer.Output);
        Single(response, "Access-Control-Allow-Origin").Should().Be(ConsumerApp.AllowedOrigin);
        Single(response, "Access-Control-Allow-Credentials").Should().Be("true");
        Tokens(response, "Access-Control-Allow-Methods").Should().Contain("PUT");
        Tokens(response, "Access-Control-Allow-Headers").Should().Contain("x-consumer");
        Single(response, "Access-Control-Max-Age").Should().Be("600");
        Tokens(response, "Vary").Should().Contain(["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]);
    }

    [Fact]
    public async Task Actual_request_from_the_allowed_origin_reaches_the_endpoint_with_cors_headers()
    {
        var consumer = await library.Consumer;
        using var request = new HttpRequestMessage(HttpMethod.Put, "/orders") { Headers = { { "Origin", ConsumerApp.AllowedOrigin } } };

        using var response = await consumer.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, consumer.Output);
        (await response.Content.ReadAsStringAsync()).Should().Be("orders");
        Single(response, "Access-Control-Allow-Origin").Should().Be(ConsumerApp.AllowedOrigin);
        Single(response, "Access-Control-Allow-Credentials").Should().Be("true");
        Tokens(response, "Access-Control-Expose-Headers").Should().Equal("x-consumer-id");
        Tokens(response, "Vary").Should().Contain("Origin");
    }

    [Fact]
    public async Task Requests_from_an_unlisted_origin_get_no_cors_permission()
    {
        var consumer = await library.Consumer;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders") { Headers = { { "Origin", OtherOrigin } } };

        using var preflight = await consumer.Client.SendAsync(Preflight(OtherOrigin));
        using var actual = await consumer.Client.SendAsync(request);

        preflight.StatusCode.Should().Be(HttpStatusCode.Forbidden, consumer.Output);
        preflight.Headers.Select(h => h.Key).Should().NotContain(h => h.StartsWith("Access-Control-Allow-", StringComparison.OrdinalIgnoreCase));
        actual.StatusCode.Should().Be(HttpStatusCode.OK);
        actual.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        Tokens(actual, "Vary").Should().Contain("Origin");
    }
}
