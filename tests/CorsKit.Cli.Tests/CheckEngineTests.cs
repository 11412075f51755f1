using System.Net;
using CorsKit.Cli.Check;
using CorsKit.Cli.Tests.Infrastructure;
using static CorsKit.Cli.Tests.Infrastructure.FakeServer;

namespace CorsKit.Cli.Tests;

/// <summary>The engine's rules one at a time, against hand-made responses (ChromiumAgreementTests covers the rest).</summary>
public sealed class CheckEngineTests
{
    internal const string Origin = "https://app.example";
    internal static readonly Uri Url = new("https://api.example/items/1");

    internal static CorsCheckRequest Request(string method = "GET", params (string Name, string Value)[] headers) => new()
    {
        Url = Url,
        Origin = Origin,
        Method = method,
        Headers = headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(),
    };

    private static HttpResponseMessage AllowAll(params (string, string)[] extra) => Response(204,
        [("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Methods", "PUT, patch, DELETE"),
            ("Access-Control-Allow-Headers", "authorization, content-type, x-a, x-b, range, accept-language"), .. extra]);

    private static HttpResponseMessage Allowed(params (string, string)[] extra) => Response(200, [("Access-Control-Allow-Origin", Origin), .. extra]);

    [Fact]
    public async Task Preflight_carries_what_a_browser_sends_and_nothing_of_the_script()
    {
        using var server = Answering(AllowAll(), Allowed());

        await CorsCheckEngine.CheckAsync(Request("put", ("X-B", "1"), ("x-a", "2"), ("Content-Type", "application/json"), ("Authorization", "Bearer t")) with
        {
            Credentials = true,
        }, server);

        var preflight = server.Received[0];
        preflight.Method.Should().Be("OPTIONS");
        preflight.Url.Should().Be(Url);
        preflight.Header("Origin").Should().Be(Origin);
        preflight.Header("Access-Control-Request-Method").Should().Be("PUT");
        preflight.Header("Access-Control-Request-Headers").Should().Be("authorization,content-type,x-a,x-b");
        preflight.Header("Accept").Should().Be("*/*");
        foreach (var name in new[] { "Authorization", "Content-Type", "X-B", "x-a", "Cookie" })
        {
            preflight.Header(name).Should().BeNull($"a preflight never carries {name}");
        }
    }

    [Fact]
    public async Task Actual_request_carries_the_script_headers_and_the_origin()
    {
        using var server = Answering(AllowAll(), Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("PUT", ("X-A", "1"), ("Content-Type", "application/json")), server);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        var actual = server.Received[1];
        actual.Method.Should().Be("PUT");
        actual.Header("X-A").Should().Be("1");
        actual.Header("Content-Type").Should().Be("application/json");
        actual.Header("Origin").Should().Be(Origin);
        result.Exchanges.Select(e => e.Kind).Should().Equal(ExchangeKind.Preflight, ExchangeKind.Actual);
    }

    [Theory]
    [InlineData("text/plain", false)]
    [InlineData("TEXT/PLAIN; charset=utf-8", false)]
    [InlineData("multipart/form-data; boundary=x", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("application/json", true)]
    [InlineData("text/html", true)]
    [InlineData("text/plain/x", true)]
    [InlineData("text/plain; a=\"b\"", true)]
    public async Task Content_type_needs_a_preflight_unless_it_is_a_form_or_plain_text(string contentType, bool preflight)
    {
        using var server = Answering(AllowAll(), Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("POST") with { BodyType = contentType }, server);

        result.PreflightRequired.Should().Be(preflight);
        server.Received[0].Method.Should().Be(preflight ? "OPTIONS" : "POST");
        server.Received[^1].Header("Content-Type").Should().Be(contentType);
    }

    [Theory]
    [InlineData("bytes=0-", false)]
    [InlineData("bytes=0-99", false)]
    [InlineData("bytes=5-3", true)]
    [InlineData("bytes=-5", true)]
    [InlineData("bytes = 0-1", true)]
    [InlineData("Bytes=0-1", true)]
    [InlineData("bytes=0-1,3-4", true)]
    public async Task Range_is_safelisted_only_as_one_range_with_a_start(string range, bool preflight)
    {
        using var server = Answering(AllowAll(), Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("GET", ("Range", range)), server);

        result.PreflightRequired.Should().Be(preflight);
    }

    [Theory]
    [InlineData("en-US,en;q=0.9", false)]
    [InlineData("en_US", true)]
    [InlineData("fr\"", true)]
    public async Task Accept_language_values_are_limited_to_language_characters(string value, bool preflight)
    {
        using var server = Answering(AllowAll(), Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("GET", ("Accept-Language", value)), server);

        result.PreflightRequired.Should().Be(preflight);
        if (preflight) result.PreflightReasons.Should().ContainSingle().Which.Should().Contain("accept-language");
    }

    [Fact]
    public async Task Headers_script_cannot_set_are_dropped_with_a_warning()
    {
        using var server = Answering(null, Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("GET", ("Cookie", "a=1"), ("Sec-Custom", "1"), ("Proxy-Foo", "1"), ("Host", "evil")), server);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        result.PreflightRequired.Should().BeFalse();
        server.Received.Should().ContainSingle().Which.Header("Cookie").Should().BeNull();
        result.Warnings.Should().HaveCount(4).And.Contain(w => w.Contains("Cookie"));
    }

    [Theory]
    [InlineData(true, "sid=1")]
    [InlineData(false, null)]
    public async Task Cookies_go_only_with_credentials_and_never_on_the_preflight(bool credentials, string? expected)
    {
        using var server = Answering(AllowAll(("Access-Control-Allow-Credentials", "true")), Allowed(("Access-Control-Allow-Credentials", "true")));

        await CorsCheckEngine.CheckAsync(Request("PUT") with { Cookie = "sid=1", Credentials = credentials }, server);

        server.Received[0].Header("Cookie").Should().BeNull();
        server.Received[1].Header("Cookie").Should().Be(expected);
    }

    [Fact]
    public async Task Repeated_header_names_are_sent_joined_as_one()
    {
        using var server = Answering(AllowAll(), Allowed());

        await CorsCheckEngine.CheckAsync(Request("GET", ("X-A", "1"), ("x-a", "2")), server);

        server.Received[0].Header("Access-Control-Request-Headers").Should().Be("x-a");
        server.Received[1].Header("X-A").Should().Be("1, 2");
    }

    [Theory]
    [InlineData("TRACE")]
    [InlineData("connect")]
    [InlineData("GET POST")]
    public async Task Methods_fetch_refuses_are_usage_errors_and_nothing_is_sent(string method)
    {
        using var server = Answering(null, Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request(method), server);

        result.Outcome.Should().Be(CheckOutcome.Error);
        result.Error.Should().NotBeNullOrEmpty();
        server.Received.Should().BeEmpty();
    }

    [Theory]
    [InlineData("http://127.0.0.1:5101/", "did you mean 'http://127.0.0.1:5101'")]
    [InlineData("HTTPS://App.Example", "did you mean 'https://app.example'")]
    [InlineData("https://app.example:443", "did you mean 'https://app.example'")]
    [InlineData("app.example", "is not an origin")]
    public async Task An_origin_not_written_as_a_browser_sends_it_is_a_usage_error(string origin, string expected)
    {
        using var server = Answering(null, Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request() with { Origin = origin }, server);

        result.Outcome.Should().Be(CheckOutcome.Error);
        result.Error.Should().Contain(expected);
        server.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task Null_origin_is_sent_and_matches_an_allow_origin_of_null()
    {
        using var server = Answering(null, Response(200, ("Access-Control-Allow-Origin", "null")));

        var result = await CorsCheckEngine.CheckAsync(Request() with { Origin = "null" }, server);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        server.Received[0].Header("Origin").Should().Be("null");
    }

    [Fact]
    public async Task A_body_with_GET_is_refused_as_fetch_refuses_it()
    {
        using var server = Answering(null, Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request() with { Body = "x" }, server);

        result.Outcome.Should().Be(CheckOutcome.Error);
        result.Error.Should().Contain("GET");
    }

    [Fact]
    public async Task A_text_body_is_labelled_text_plain_and_needs_no_preflight()
    {
        using var server = Answering(null, Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("POST") with { Body = "hello" }, server);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        var sent = server.Received.Should().ContainSingle().Subject;
        sent.Header("Content-Type").Should().Be("text/plain;charset=UTF-8");
        sent.Body.Should().Be("hello");
    }

    [Fact]
    public async Task Content_type_given_twice_is_a_usage_error()
    {
        using var server = Answering(null, Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("POST", ("Content-Type", "text/plain")) with { BodyType = "application/json" }, server);

        result.Outcome.Should().Be(CheckOutcome.Error);
    }

    [Fact]
    public async Task CorsKit_debug_reason_of_the_deciding_response_is_reported()
    {
        using var server = Answering(Response(403, ("X-CorsKit-Reason", "MethodNotAllowed")), Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("PATCH"), server);

        result.Outcome.Should().Be(CheckOutcome.Blocked);
        result.BlockedAt.Should().Be(ExchangeKind.Preflight);
        result.ServerReason.Should().Be("MethodNotAllowed");
    }

    [Fact]
    public async Task Unreachable_server_is_an_error_not_a_verdict()
    {
        using var server = new FakeServer(_ => throw new HttpRequestException("Connection refused (api.example:443)"));

        var result = await CorsCheckEngine.CheckAsync(Request(), server);

        result.Outcome.Should().Be(CheckOutcome.Error);
        result.Error.Should().Contain("Could not reach https://api.example/items/1").And.Contain("Connection refused");
    }

    [Fact]
    public async Task Slow_server_times_out_as_an_error()
    {
        using var server = new SlowServer();

        var result = await CorsCheckEngine.CheckAsync(Request() with { Timeout = TimeSpan.FromMilliseconds(200) }, server);

        result.Outcome.Should().Be(CheckOutcome.Error);
        result.Error.Should().Contain("within 0.2 s");
    }

    [Fact]
    public async Task See_other_after_POST_is_followed_with_GET_and_without_the_body_headers()
    {
        using var server = new FakeServer(request => request.Url.AbsolutePath == "/items/1"
            ? Response(303, ("Access-Control-Allow-Origin", Origin), ("Location", "/items/2"))
            : Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("POST") with { Body = "x" }, server);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        server.Received.Select(r => $"{r.Method} {r.Url.AbsolutePath}").Should().Equal("POST /items/1", "GET /items/2");
        server.Received[1].Header("Content-Type").Should().BeNull();
        server.Received[1].Body.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task Endless_redirects_end_in_an_error_after_twenty()
    {
        using var server = new FakeServer(_ => Response(302, ("Access-Control-Allow-Origin", Origin), ("Location", "/again")));

        var result = await CorsCheckEngine.CheckAsync(Request(), server);

        result.Outcome.Should().Be(CheckOutcome.Error);
        result.Error.Should().Contain("ERR_TOO_MANY_REDIRECTS");
        server.Received.Should().HaveCount(21);
    }

    [Fact]
    public async Task Redirect_to_another_scheme_fails_the_fetch()
    {
        using var server = new FakeServer(_ => Response(302, ("Access-Control-Allow-Origin", Origin), ("Location", "ftp://files.example/x")));

        var result = await CorsCheckEngine.CheckAsync(Request(), server);

        result.Outcome.Should().Be(CheckOutcome.Error);
        result.Error.Should().Contain("ftp://files.example/x");
    }

    [Fact]
    public async Task Same_origin_request_is_not_subject_to_CORS()
    {
        using var server = Answering(null, Response(200, ("X-Internal", "1")));

        var result = await CorsCheckEngine.CheckAsync(Request("GET", ("X-A", "1")) with { Origin = "https://api.example" }, server);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        result.PreflightRequired.Should().BeFalse();
        server.Received.Should().ContainSingle().Which.Header("Origin").Should().BeNull();
        result.ReadableHeaders.Should().Contain("x-internal");
        result.Warnings.Should().ContainSingle().Which.Should().Contain("same-origin");
    }

    [Fact]
    public async Task Set_cookie_is_never_readable_even_with_a_wildcard()
    {
        using var server = Answering(null, Response(200, ("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "*"),
            ("Set-Cookie", "a=1"), ("X-Total-Count", "3"), ("Content-Type", "text/plain")));

        var result = await CorsCheckEngine.CheckAsync(Request(), server);

        result.ReadableHeaders.Should().Contain(["x-total-count", "content-type"]).And.NotContain("set-cookie");
        result.HiddenHeaders.Should().Equal("set-cookie");
    }

    [Fact]
    public async Task Exposed_headers_are_readable_and_others_hidden()
    {
        using var server = Answering(null, Allowed(("Access-Control-Expose-Headers", "X-Total-Count"), ("X-Total-Count", "3"),
            ("X-Internal", "1"), ("Content-Type", "application/json")));

        var result = await CorsCheckEngine.CheckAsync(Request(), server);

        result.ReadableHeaders.Should().Equal("content-type", "x-total-count");
        result.HiddenHeaders.Should().Equal("access-control-allow-origin", "access-control-expose-headers", "x-internal");
        result.Status.Should().Be(200);
    }

    [Fact]
    public async Task Fix_names_the_missing_header_and_the_CorsKit_setting()
    {
        using var server = Answering(Response(204, ("Access-Control-Allow-Origin", Origin)), Allowed());

        var result = await CorsCheckEngine.CheckAsync(Request("GET", ("X-Trace", "1")), server);

        result.Failure.Should().Be(CorsFailure.HeaderNotAllowed);
        result.Fix.Should().Contain("x-trace").And.Contain("RequestHeaders");
    }

    /// <summary>Never answers until the request is cancelled.</summary>
    private sealed class SlowServer : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
