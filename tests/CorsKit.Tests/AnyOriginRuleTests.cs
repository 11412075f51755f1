using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests;

/// <summary>
/// The one rule for an Origin header under an any-origin policy (docs/security.md): the answer is '*' whatever the
/// header holds, on preflights and actual requests alike, because '*' reflects nothing, never comes with credentials,
/// and an answer that does not depend on Origin lets one cached response serve every origin.
/// </summary>
public sealed class AnyOriginRuleTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private TestServer _server = null!;

    public static TheoryData<string[]> OriginHeaders()
    {
        var data = new TheoryData<string[]>();
        foreach (var value in new[]
        {
            "https://app.example.com", "null", "", " https://app.example.com", "https://app.example.com/", "HTTPS://APP.example.com",
            "https://app.exämple.com", "https://app.example.com\r\nSet-Cookie: a=b", "https://app.example.com\0", "file://",
            "https://" + new string('a', 600) + ".example",
        })
        {
            data.Add([value]);
        }

        data.Add(["https://a.example", "https://b.example"]);
        return data;
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowMethods("PUT").ExposeHeaders("x-total-count")));
        _app = builder.Build();
        _app.UseCorsKit();
        _app.MapMethods("/", ["GET", "PUT"], () => "hello");
        await _app.StartAsync();
        _server = _app.GetTestServer();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(OriginHeaders))]
    public async Task An_actual_request_gets_a_star_whatever_its_origin_header_holds(string[] origin)
    {
        var context = await Send("GET", origin);

        context.Response.StatusCode.Should().Be(200);
        context.Response.Headers["Access-Control-Allow-Origin"].ToArray().Should().Equal("*");
        context.Response.Headers.ContainsKey("Access-Control-Allow-Credentials").Should().BeFalse();
        context.Response.Headers.Vary.ToString().Should().NotContain("Origin", "the answer does not depend on Origin");
    }

    [Theory]
    [MemberData(nameof(OriginHeaders))]
    public async Task A_preflight_gets_a_star_whatever_its_origin_header_holds(string[] origin)
    {
        var context = await Send("OPTIONS", origin, ("Access-Control-Request-Method", "PUT"));

        context.Response.StatusCode.Should().Be(204);
        context.Response.Headers["Access-Control-Allow-Origin"].ToArray().Should().Equal("*");
        context.Response.Headers["Access-Control-Allow-Methods"].ToString().Should().Be("PUT");
        context.Response.Headers.ContainsKey("Access-Control-Allow-Credentials").Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(OriginHeaders))]
    public async Task A_preflight_is_still_refused_for_a_method_the_policy_does_not_allow(string[] origin)
    {
        var context = await Send("OPTIONS", origin, ("Access-Control-Request-Method", "DELETE"));

        context.Response.StatusCode.Should().Be(403);
        context.Response.Headers.Keys.Should().NotContain(k => k.StartsWith("Access-Control-Allow-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_explain_api_gives_the_same_answer_for_a_malformed_origin()
    {
        var explainer = _app.Services.GetRequiredService<ICorsKitExplainer>();

        foreach (var preflight in new[] { false, true })
        {
            var answer = explainer.Explain((string?)null, new CorsKitRequestFacts { Origin = "https://app.example.com/", Method = "PUT", IsPreflight = preflight });
            answer.Allowed.Should().BeTrue();
            answer.Headers.Should().Contain(new KeyValuePair<string, string>("Access-Control-Allow-Origin", "*"));
        }
    }

    private Task<HttpContext> Send(string method, string[] origin, params (string Name, string Value)[] headers) =>
        _server.SendAsync(context =>
        {
            context.Request.Method = method;
            context.Request.Path = "/";
            context.Request.Headers.Origin = origin;
            foreach (var (name, value) in headers) context.Request.Headers[name] = value;
        });
}
