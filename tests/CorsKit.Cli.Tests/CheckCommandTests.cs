using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CorsKit.Cli.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using static CorsKit.Cli.Tests.Infrastructure.TestHost;

namespace CorsKit.Cli.Tests;

/// <summary><c>corskit check</c> as a user runs it: arguments in, text or JSON and an exit code out.</summary>
public sealed class CheckCommandTests : IAsyncLifetime
{
    private WebApplication _app = null!;

    public async Task InitializeAsync() => _app = await StartCorsKitAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<CliRun> Run(params string[] args) => CliRunner.RunAsync(_app.Handler, args);

    [Fact]
    public async Task Allowed_request_exits_0_and_prints_the_exchange_and_the_verdict()
    {
        var run = await Run("check", "http://localhost/api/items", "--origin", AllowedOrigin);

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("> GET http://localhost/api/items").And.Contain("> Origin: http://127.0.0.1:5101")
            .And.Contain("< 200 OK").And.Contain("< Access-Control-Allow-Origin: http://127.0.0.1:5101")
            .And.Contain("ALLOWED").And.Contain("Script can read: content-type, x-total-count").And.Contain("x-internal");
        run.Output.Should().NotContain("\u001b[");
        run.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Blocked_request_exits_1_with_Chromiums_message_and_a_fix()
    {
        var run = await Run("check", "http://localhost/api/hello", "--origin", RefusedOrigin);

        run.ExitCode.Should().Be(1);
        run.Output.Should().Contain("BLOCKED")
            .And.Contain("Chromium: Access to fetch at 'http://localhost/api/hello' from origin 'http://127.0.0.1:5102' has been blocked by CORS policy: "
                + "No 'Access-Control-Allow-Origin' header is present on the requested resource.")
            .And.Contain("Likely fix: Allow the origin http://127.0.0.1:5102");
    }

    [Fact]
    public async Task Preflighted_request_shows_both_exchanges_and_why_a_preflight_was_needed()
    {
        var run = await Run("check", "http://localhost/api/items/1", "-o", AllowedOrigin, "-X", "PUT", "--credentials",
            "-H", "Authorization: Bearer demo", "--body-type", "application/json", "-d", "{\"name\":\"x\"}");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Preflight needed: the method PUT is not CORS-safelisted")
            .And.Contain("> OPTIONS http://localhost/api/items/1").And.Contain("> Access-Control-Request-Headers: authorization,content-type")
            .And.Contain("< 204 No Content").And.Contain("> PUT http://localhost/api/items/1").And.Contain("> Authorization: Bearer demo");
    }

    [Fact]
    public async Task Json_output_follows_the_documented_schema()
    {
        var run = await Run("check", "http://localhost/api/items/1", "--origin", AllowedOrigin, "--method", "PUT", "--header", "X-Trace:1", "--json");

        run.ExitCode.Should().Be(1);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        root.GetProperty("schemaVersion").GetInt32().Should().Be(1);
        root.GetProperty("verdict").GetString().Should().Be("blocked");
        root.GetProperty("exitCode").GetInt32().Should().Be(1);
        root.GetProperty("request").GetProperty("method").GetString().Should().Be("PUT");
        root.GetProperty("preflight").GetProperty("required").GetBoolean().Should().BeTrue();
        root.GetProperty("preflight").GetProperty("requestHeaders").EnumerateArray().Select(e => e.GetString()).Should().Equal("x-trace");
        root.GetProperty("blockedAt").GetString().Should().Be("preflight");
        root.GetProperty("failure").GetString().Should().Be("MissingAllowOrigin");
        root.GetProperty("message").GetString().Should().StartWith("Access to fetch at 'http://localhost/api/items/1'");
        root.GetProperty("fix").GetString().Should().NotBeNullOrEmpty();
        root.GetProperty("status").ValueKind.Should().Be(JsonValueKind.Null);
        var exchange = root.GetProperty("exchanges").EnumerateArray().Single();
        exchange.GetProperty("kind").GetString().Should().Be("preflight");
        exchange.GetProperty("request").GetProperty("method").GetString().Should().Be("OPTIONS");
        exchange.GetProperty("request").GetProperty("headers").EnumerateArray()
            .Should().Contain(h => h[0].GetString() == "Origin" && h[1].GetString() == AllowedOrigin);
        exchange.GetProperty("response").GetProperty("status").GetInt32().Should().Be(403);
    }

    [Fact]
    public async Task Missing_origin_is_a_usage_error()
    {
        var run = await Run("check", "http://localhost/api/hello");

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("--origin");
        run.Output.Should().BeEmpty();
    }

    [Theory]
    [InlineData("not a url", "--origin", "http://127.0.0.1:5101", "is not an absolute URL")]
    [InlineData("http://localhost/api/hello", "--origin", "http://127.0.0.1:5101/", "did you mean 'http://127.0.0.1:5101'")]
    [InlineData("http://localhost/api/hello", "--timeout", "0", "--timeout must be")]
    [InlineData("http://localhost/api/hello", "--header", ":x", "has no name")]
    [InlineData("http://localhost/api/hello", "--method", "TRACE", "Browsers refuse to send TRACE")]
    public async Task Bad_input_exits_2_with_a_sentence_that_says_what_is_wrong(string url, string option, string value, string expected)
    {
        var args = option == "--origin" ? new[] { "check", url, option, value } : ["check", url, "--origin", AllowedOrigin, option, value];

        var run = await Run(args);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain(expected);
    }

    [Fact]
    public async Task Unreachable_server_exits_2()
    {
        var port = FreePort();

        var run = await CliRunner.RunAsync(null, "check", $"http://127.0.0.1:{port}/", "--origin", AllowedOrigin, "--timeout", "5");

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain($"Could not reach http://127.0.0.1:{port}/");
    }

    [Fact]
    public async Task Unreachable_server_in_json_mode_is_a_json_error()
    {
        var run = await CliRunner.RunAsync(null, "check", $"http://127.0.0.1:{FreePort()}/", "--origin", AllowedOrigin, "--json");

        run.ExitCode.Should().Be(2);
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("verdict").GetString().Should().Be("error");
        json.RootElement.GetProperty("error").GetString().Should().Contain("Could not reach");
    }

    [Fact]
    public async Task Help_lists_the_options_and_exits_0()
    {
        var run = await Run("check", "--help");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("--origin").And.Contain("--credentials").And.Contain("--body-type").And.Contain("--json").And.Contain("--timeout");
    }

    [Fact]
    public async Task No_command_is_a_usage_error_and_help_names_the_tool()
    {
        var none = await Run();
        var help = await Run("--help");

        none.ExitCode.Should().Be(2);
        none.Error.Should().Contain("corskit --help");
        help.ExitCode.Should().Be(0);
        help.Output.Should().Contain("corskit [command] [options]").And.Contain("check <url>").And.Contain("explain");
    }

    [Fact]
    public async Task Colour_is_used_when_wanted()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CliApp.RunAsync(["check", "http://localhost/api/hello", "--origin", RefusedOrigin], output, error,
            new CliEnvironment { CreateHandler = _app.Handler, Color = true });

        exitCode.Should().Be(1);
        output.ToString().Should().Contain("\u001b[31m");
    }

    /// <summary>A loopback port nothing listens on: bound, then released.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
