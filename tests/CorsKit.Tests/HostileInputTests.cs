using System.Text;
using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

/// <summary>Values no browser sends: each is refused as a CORS request, nothing throws, nothing is reflected.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private const string Origin = "https://app.example.com";
    private WebApplication _app = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p
            .AllowOrigins(Origin, "https://*.example.org")
            .AllowMethods("PUT")
            .AllowRequestHeaders("content-type", "x-trace")
            .AllowCredentials()));
        _app = builder.Build();
        _app.UseCorsKit();
        _app.MapMethods("/", ["GET", "PUT", "OPTIONS"], () => "hello");
        await _app.StartAsync();
        _server = _app.GetTestServer();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Sends a request with raw header values, bypassing HttpClient's validation.</summary>
    private Task<HttpContext> Send(string method, params (string Name, string[] Values)[] headers) =>
        _server.SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Path = "/";
            foreach (var (name, values) in headers) context.Request.Headers[name] = values;
        });

    private static string[] V(params string[] values) => values;

    private static readonly string[] MalformedOriginValues =
    [
        "",
        " https://app.example.com",
        "https://app.example.com ",
        "https://app.example.com\r\nSet-Cookie: a=b",
        "https://app.example.com\n",
        "https://app.example.com\0",
        "https://app.example.com\t",
        "https://app.exämple.com",
        "https://xn--app-\u0000.example.com",
        "https://APP.example.com",
        "HTTPS://app.example.com",
        "https://app.example.com/",
        "https://app.example.com/path",
        "https://app.example.com?x",
        "https://app.example.com#x",
        "https://user@app.example.com",
        "https://app.example.com:443",
        "https://app.example.com:0443",
        "https://app.example.com:",
        "https://app.example.com:99999",
        "//app.example.com",
        "app.example.com",
        "null",
        "NULL",
        "https://a.example.org.",
        "https://a..example.org",
        "https://-a.example.org",
        "https://" + new string('a', 600) + ".example.org",
        "https://" + string.Join('.', Enumerable.Repeat("a", 200)) + ".example.org",
    ];

    public static TheoryData<string> MalformedOrigins => new(MalformedOriginValues);

    [Theory]
    [MemberData(nameof(MalformedOrigins))]
    public async Task Malformed_origin_is_refused_on_actual_requests(string origin)
    {
        var context = await Send("GET", ("Origin", V(origin)));

        context.Response.StatusCode.Should().Be(200);
        context.Response.Headers.ContainsKey("Access-Control-Allow-Origin").Should().BeFalse();
        context.Response.Headers.ContainsKey("Access-Control-Allow-Credentials").Should().BeFalse();
        context.Response.Headers.Vary.ToString().Should().Contain("Origin");
    }

    [Theory]
    [MemberData(nameof(MalformedOrigins))]
    public async Task Malformed_origin_is_refused_on_preflights(string origin)
    {
        var context = await Send("OPTIONS", ("Origin", V(origin)), ("Access-Control-Request-Method", V("PUT")));

        context.Response.StatusCode.Should().Be(403);
        context.Response.Headers.Keys.Should().NotContain(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Repeated_origin_header_is_refused_even_if_each_value_is_allowed()
    {
        var actual = await Send("GET", ("Origin", V(Origin, Origin)));
        var preflight = await Send("OPTIONS", ("Origin", V(Origin, Origin)), ("Access-Control-Request-Method", V("PUT")));

        actual.Response.Headers.ContainsKey("Access-Control-Allow-Origin").Should().BeFalse();
        preflight.Response.StatusCode.Should().Be(403);
    }

    [Theory]
    [InlineData("PUT,DELETE")]
    [InlineData("PUT DELETE")]
    [InlineData(" PUT")]
    [InlineData("")]
    [InlineData("PU\rT")]
    [InlineData("PÜT")]
    public async Task Malformed_request_method_refuses_the_preflight(string method)
    {
        var context = await Send("OPTIONS", ("Origin", V(Origin)), ("Access-Control-Request-Method", V(method)));

        context.Response.StatusCode.Should().Be(403);
        context.Response.Headers.ContainsKey("Access-Control-Allow-Methods").Should().BeFalse();
    }

    [Fact]
    public async Task Repeated_request_method_refuses_the_preflight()
    {
        var context = await Send("OPTIONS", ("Origin", V(Origin)), ("Access-Control-Request-Method", V("PUT", "PUT")));

        context.Response.StatusCode.Should().Be(403);
    }

    public static TheoryData<string> MalformedRequestHeaders => new()
    {
        "\"content-type\"",
        "content-type;x-trace",
        "content type",
        "content-type\r\nx",
        "x-träce",
        "x-trace\0",
        new string(',', 10_000),
        string.Join(',', Enumerable.Repeat("x-trace", 100)),
        new string('a', 100_000),
        "content-type," + new string(' ', 3000),
    };

    [Theory]
    [MemberData(nameof(MalformedRequestHeaders))]
    public async Task Malformed_request_headers_refuse_the_preflight(string requestHeaders)
    {
        var context = await Send("OPTIONS", ("Origin", V(Origin)), ("Access-Control-Request-Method", V("PUT")),
            ("Access-Control-Request-Headers", V(requestHeaders)));

        context.Response.StatusCode.Should().Be(403);
        context.Response.Headers.ContainsKey("Access-Control-Allow-Headers").Should().BeFalse();
    }

    [Fact]
    public async Task Request_headers_within_limits_on_many_lines_are_accepted()
    {
        var lines = Enumerable.Repeat("content-type, x-trace", 20).ToArray();

        var context = await Send("OPTIONS", ("Origin", V(Origin)), ("Access-Control-Request-Method", V("PUT")),
            ("Access-Control-Request-Headers", lines));

        context.Response.StatusCode.Should().Be(204);
    }

    [Fact]
    public async Task No_emitted_header_ever_contains_a_control_character()
    {
        var origins = MalformedOriginValues.Append(Origin).Append("https://a.example.org");
        foreach (var origin in origins)
        {
            foreach (var method in new[] { "GET", "OPTIONS" })
            {
                var context = await Send(method, ("Origin", V(origin)), ("Access-Control-Request-Method", V("PUT")),
                    ("Access-Control-Request-Headers", V("content-type")));
                foreach (var header in context.Response.Headers)
                {
                    foreach (var value in header.Value)
                    {
                        value.Should().NotContainAny(["\r", "\n", "\0"], $"header {header.Key} for origin {Encoding.UTF8.GetByteCount(origin)} bytes");
                    }
                }
            }
        }
    }
}
