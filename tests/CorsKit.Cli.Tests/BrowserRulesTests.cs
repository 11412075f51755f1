using CorsKit.Cli.Check;
using CorsKit.Cli.Tests.Infrastructure;
using static CorsKit.Cli.Tests.Infrastructure.FakeServer;

namespace CorsKit.Cli.Tests;

/// <summary>
/// <c>corskit check --browser</c>: the rules and console messages where engines differ. The expected messages are the
/// texts Firefox 153 and WebKitGTK 2.50 printed in the browser suite (tests/CorsKit.BrowserTests/console-messages.json),
/// with this test's URL and origin; the live comparison with each engine is the browser suite's.
/// </summary>
public sealed class BrowserRulesTests
{
    private const string Origin = CheckEngineTests.Origin;
    private static readonly Uri Url = CheckEngineTests.Url;

    private static CorsCheckRequest Request(CheckBrowser browser, string method = "GET", params (string Name, string Value)[] headers) =>
        CheckEngineTests.Request(method, headers) with { Browser = browser };

    private static FakeServer WildcardHeaders() => Answering(
        Response(204, ("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Headers", "*")),
        Response(200, ("Access-Control-Allow-Origin", Origin)));

    [Theory]
    [InlineData("chromium")]
    [InlineData("firefox")]
    [InlineData("webkit")]
    public async Task Every_engine_lets_a_wildcard_cover_Authorization_with_a_warning_that_the_standard_does_not(string name)
    {
        var browser = Enum.Parse<CheckBrowser>(name, ignoreCase: true);
        using var server = WildcardHeaders();

        var result = await CorsCheckEngine.CheckAsync(Request(browser, headers: ("Authorization", "Bearer t")), server);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        result.Warnings.Should().ContainSingle(w => w.Contains("The Fetch Standard says '*' never covers Authorization", StringComparison.Ordinal))
            .Which.Should().NotContain("Firefox can enforce it", "measured: Firefox 153 lets it through too");
    }

    [Fact]
    public async Task The_Fetch_Standard_does_not_let_a_wildcard_cover_Authorization()
    {
        using var server = WildcardHeaders();

        var result = await CorsCheckEngine.CheckAsync(Request(CheckBrowser.Fetch, headers: ("Authorization", "Bearer t")), server);

        result.Outcome.Should().Be(CheckOutcome.Blocked);
        result.Failure.Should().Be(CorsFailure.HeaderNotAllowed);
        server.Received.Should().ContainSingle("the request is never sent after the refused preflight");
    }

    [Fact]
    public async Task Firefox_reports_a_missing_allow_origin_with_the_status()
    {
        using var server = Answering(null, Response(500));

        var result = await CorsCheckEngine.CheckAsync(Request(CheckBrowser.Firefox), server);

        result.ConsoleMessage.Should().Be("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "
            + "https://api.example/items/1. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.");
    }

    [Fact]
    public async Task WebKit_looks_at_a_refused_preflights_status_before_its_headers()
    {
        using var server = Answering(Response(403), Response(200));

        var webkit = await CorsCheckEngine.CheckAsync(Request(CheckBrowser.WebKit, "PUT"), server);

        webkit.Failure.Should().Be(CorsFailure.PreflightInvalidStatus);
        webkit.ConsoleMessage.Should().Be("Preflight response is not successful. Status code: 403");
    }

    [Fact]
    public async Task Chromium_and_Firefox_look_at_a_refused_preflights_origin_first()
    {
        foreach (var browser in new[] { CheckBrowser.Chromium, CheckBrowser.Firefox })
        {
            using var server = Answering(Response(403), Response(200));
            var result = await CorsCheckEngine.CheckAsync(Request(browser, "PUT"), server);
            result.Failure.Should().Be(CorsFailure.MissingAllowOrigin, browser.ToString());
        }
    }

    [Fact]
    public async Task WebKit_names_a_refused_header_as_script_spelled_it_and_Firefox_in_lower_case()
    {
        static FakeServer Server() => Answering(
            Response(204, ("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Headers", "x-custom")), Response(200));
        using var webkitServer = Server();
        using var firefoxServer = Server();

        var webkit = await CorsCheckEngine.CheckAsync(Request(CheckBrowser.WebKit, headers: ("X-Secret", "1")), webkitServer);
        var firefox = await CorsCheckEngine.CheckAsync(Request(CheckBrowser.Firefox, headers: ("X-Secret", "1")), firefoxServer);

        webkit.ConsoleMessage.Should().Be("Request header field X-Secret is not allowed by Access-Control-Allow-Headers.");
        firefox.ConsoleMessage.Should().EndWith("(Reason: header ‘x-secret’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).");
    }

    [Theory]
    [InlineData("chromium", "7201", true)]
    [InlineData("chromium", "7200", false)]
    [InlineData("firefox", "7201", false)]
    [InlineData("firefox", "86401", true)]
    [InlineData("webkit", "601", true)]
    [InlineData("webkit", "600", false)]
    [InlineData("fetch", "86401", false)]
    public async Task A_max_age_above_the_browsers_cap_is_warned_about(string name, string maxAge, bool warned)
    {
        var browser = Enum.Parse<CheckBrowser>(name, ignoreCase: true);
        using var server = Answering(
            Response(204, ("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", maxAge)),
            Response(200, ("Access-Control-Allow-Origin", Origin)));

        var result = await CorsCheckEngine.CheckAsync(Request(browser, "PUT"), server);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        result.Warnings.Any(w => w.Contains($"Access-Control-Max-Age: {maxAge}", StringComparison.Ordinal)).Should().Be(warned);
    }

    [Fact]
    public async Task The_command_prints_the_chosen_browsers_message_and_refuses_an_unknown_browser()
    {
        var firefox = await CliRunner.RunAsync(() => Answering(null, Response(200)), "check", Url.AbsoluteUri, "--origin", Origin, "--browser", "firefox");
        var json = await CliRunner.RunAsync(() => Answering(null, Response(200)), "check", Url.AbsoluteUri, "--origin", Origin, "--browser", "webkit", "--json");
        var unknown = await CliRunner.RunAsync(() => Answering(null, Response(200)), "check", Url.AbsoluteUri, "--origin", Origin, "--browser", "safari");

        firefox.ExitCode.Should().Be(1);
        firefox.Output.Should().Contain("Firefox: Cross-Origin Request Blocked: ");
        json.Output.Should().Contain("\"browser\": \"webkit\"").And.Contain("is not allowed by Access-Control-Allow-Origin. Status code: 200");
        unknown.ExitCode.Should().Be(2);
        unknown.Error.Should().Contain("safari");
    }
}
