using System.Text.Json;
using CorsKit.Cli.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using static CorsKit.Cli.Tests.Infrastructure.TestHost;

namespace CorsKit.Cli.Tests;

/// <summary><c>corskit explain</c>: CorsKit's decision offline, from a configuration file, through the library's explain API.</summary>
public sealed class ExplainCommandTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-explain-").FullName;
    private WebApplication _app = null!;

    private string Config => Path.Combine(_directory, "appsettings.json");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Config, DemoCorsKitSection);
        _app = await StartCorsKitAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<CliRun> Run(params string[] args) => CliRunner.RunAsync(null, args);

    private async Task<string> WriteConfig(string json)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    [Fact]
    public async Task Allowed_preflighted_request_exits_0_and_shows_both_answers()
    {
        var run = await Run("explain", "--config", Config, "--origin", AllowedOrigin, "-X", "PUT", "-H", "Authorization: Bearer demo", "--credentials");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("CorsKit policy 'frontend': PUT from origin http://127.0.0.1:5101 with credentials")
            .And.Contain("Preflight: OPTIONS, Access-Control-Request-Method: PUT, Access-Control-Request-Headers: authorization")
            .And.Contain("CorsKit answers 204 with:").And.Contain("Request: PUT").And.Contain("Verdict: ALLOWED");
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("PUT", "authorization")]
    [InlineData("DELETE", "x-trace")]
    [InlineData("PATCH", null)]
    public async Task Explained_preflight_headers_are_the_ones_the_server_sends(string method, string? header)
    {
        var args = new List<string> { "explain", "--config", Config, "--origin", AllowedOrigin, "-X", method, "--json" };
        if (header is not null) args.AddRange(["-H", header + ":x"]);
        var run = await Run([.. args]);
        using var explained = JsonDocument.Parse(run.Output);

        using var client = _app.GetTestClient();
        var preflight = explained.RootElement.GetProperty("preflight");
        using var request = new HttpRequestMessage(preflight.ValueKind == JsonValueKind.Null ? HttpMethod.Get : HttpMethod.Options, "/api/items/1");
        request.Headers.Add("Origin", AllowedOrigin);
        if (preflight.ValueKind != JsonValueKind.Null)
        {
            request.Headers.Add("Access-Control-Request-Method", method);
            if (header is not null) request.Headers.Add("Access-Control-Request-Headers", header);
        }
        using var response = await client.SendAsync(request);

        var step = preflight.ValueKind == JsonValueKind.Null ? explained.RootElement.GetProperty("request") : preflight;
        var wire = response.Headers.Where(h => h.Key.StartsWith("Access-Control-", StringComparison.Ordinal))
            .SelectMany(h => h.Value.Select(v => $"{h.Key}: {v}")).Order();
        step.GetProperty("headers").EnumerateArray().Where(h => h[0].GetString()!.StartsWith("Access-Control-", StringComparison.Ordinal))
            .Select(h => $"{h[0].GetString()}: {h[1].GetString()}").Order().Should().Equal(wire);
        if (preflight.ValueKind != JsonValueKind.Null) preflight.GetProperty("status").GetInt32().Should().Be((int)response.StatusCode);
        run.ExitCode.Should().Be(step.GetProperty("allowed").GetBoolean() ? 0 : 1);
    }

    [Fact]
    public async Task Refused_origin_exits_1_with_the_reason()
    {
        var run = await Run("explain", "--config", Config, "--origin", RefusedOrigin);

        run.ExitCode.Should().Be(1);
        run.Output.Should().Contain("REFUSED (OriginNotAllowed)").And.Contain("Verdict: REFUSED");
    }

    [Fact]
    public async Task Refused_preflight_stops_there_as_the_browser_does()
    {
        var run = await Run("explain", "--config", Config, "--origin", AllowedOrigin, "-X", "PATCH", "--json");

        run.ExitCode.Should().Be(1);
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("verdict").GetString().Should().Be("refused");
        json.RootElement.GetProperty("preflight").GetProperty("reason").GetString().Should().Be("MethodNotAllowed");
        json.RootElement.GetProperty("request").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Credentials_against_a_policy_without_them_are_refused()
    {
        var config = await WriteConfig("""{ "CorsKit": { "Policies": { "open": { "Origins": [ "https://app.example" ] } } } }""");

        var run = await Run("explain", "--config", config, "--policy", "open", "--origin", "https://app.example", "--credentials");

        run.ExitCode.Should().Be(1);
        run.Output.Should().Contain("credentials");
    }

    [Fact]
    public async Task Named_policy_and_section_are_used()
    {
        var config = await WriteConfig("""{ "Cors": { "Policies": { "public": { "Origins": [ "*" ] } } } }""");

        var run = await Run("explain", "-c", config, "--section", "Cors", "-p", "public", "--origin", "https://any.example");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Access-Control-Allow-Origin: *");
    }

    [Theory]
    [InlineData(null, "No configuration file at")]
    [InlineData("{ not json", "is not valid JSON")]
    [InlineData("""{ "Other": {} }""", "has no \"CorsKit\" section")]
    [InlineData("""{ "CorsKit": { "Policies": { "p": { "Origins": [ "https://app.example/" ] } } } }""", "is not a valid CorsKit configuration")]
    public async Task Configuration_problems_exit_2_with_a_clear_sentence(string? json, string expected)
    {
        var config = json is null ? Path.Combine(_directory, "missing.json") : await WriteConfig(json);

        var run = await Run("explain", "--config", config, "--origin", AllowedOrigin);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain(expected);
        run.Output.Should().BeEmpty();
    }

    [Fact]
    public async Task Unknown_policy_exits_2_and_names_the_known_ones()
    {
        var run = await Run("explain", "--config", Config, "--policy", "frontned", "--origin", AllowedOrigin);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("No CorsKit policy is named 'frontned'. Known: frontend.");
    }
}
