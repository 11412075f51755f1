using System.Text.Json;
using CorsKit.Cli.Tests.Infrastructure;

namespace CorsKit.Cli.Tests;

/// <summary><c>corskit explain</c> reports what ASP.NET Core 11's CSRF protection makes of the policy for unsafe requests.</summary>
public sealed class ExplainCsrfTests : IDisposable
{
    private const string App = "https://app.example";
    private readonly string _config = Path.Combine(Directory.CreateTempSubdirectory("corskit-explain-csrf-").FullName, "appsettings.json");

    public ExplainCsrfTests() => File.WriteAllText(_config, """
        { "CorsKit": { "DefaultPolicy": "web", "Policies": {
            "web": { "Origins": [ "https://app.example" ], "AllowCredentials": true },
            "anonymous": { "Origins": [ "https://app.example" ] } } } }
        """);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_config)!, recursive: true);

    private Task<CliRun> Explain(params string[] args) =>
        CliRunner.RunAsync(null, ["explain", "--config", _config, "--origin", App, .. args]);

    [Fact]
    public async Task A_form_post_from_an_allowed_credentialed_origin_is_reported_trusted()
    {
        var run = await Explain("-X", "POST", "--body-type", "application/x-www-form-urlencoded");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("CSRF protection (ASP.NET Core 11): TRUSTED (Trusted): ASP.NET Core 11's CSRF protection trusts unsafe requests from 'https://app.example': CorsKit policy 'web' allows that origin with credentials.");
    }

    [Fact]
    public async Task A_policy_without_credentials_is_reported_not_trusted_in_json()
    {
        var run = await Explain("-p", "anonymous", "-X", "POST", "--body-type", "multipart/form-data", "--json");

        using var json = JsonDocument.Parse(run.Output);
        var csrf = json.RootElement.GetProperty("request").GetProperty("csrf");
        csrf.GetProperty("trusted").GetBoolean().Should().BeFalse();
        csrf.GetProperty("reason").GetString().Should().Be("NoCredentials");
        csrf.GetProperty("message").GetString().Should().Contain("Call AllowCredentials()");
        json.RootElement.GetProperty("preflight").ValueKind.Should().Be(JsonValueKind.Null, "a form post needs no preflight");
    }

    [Fact]
    public async Task A_safe_request_has_no_CSRF_verdict()
    {
        var run = await Explain("--json");

        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("request").GetProperty("csrf").ValueKind.Should().Be(JsonValueKind.Null);
        (await Explain()).Output.Should().NotContain("CSRF");
    }
}
