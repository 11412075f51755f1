using CorsKit.Cli.Check;
using CorsKit.Cli.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using static CorsKit.Cli.Tests.Infrastructure.TestHost;

namespace CorsKit.Cli.Tests;

/// <summary>The engine against real middleware over HTTP (TestServer): CorsKit configured as the demo is.</summary>
public sealed class CorsKitServerTests : IAsyncLifetime
{
    private WebApplication _app = null!;

    public async Task InitializeAsync() => _app = await StartCorsKitAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<CorsCheckResult> Check(string path, string origin, string method = "GET", bool credentials = false, string? bodyType = null,
        string? body = null, params (string, string)[] headers)
    {
        using var handler = _app.Handler();
        return await CorsCheckEngine.CheckAsync(new CorsCheckRequest
        {
            Url = new Uri("http://localhost" + path),
            Origin = origin,
            Method = method,
            Credentials = credentials,
            BodyType = bodyType,
            Body = body,
            Headers = headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).ToList(),
        }, handler);
    }

    [Fact]
    public async Task Simple_GET_from_the_allowed_origin_is_allowed_without_a_preflight()
    {
        var result = await Check("/api/hello", AllowedOrigin);

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        result.PreflightRequired.Should().BeFalse();
        result.Status.Should().Be(200);
    }

    [Fact]
    public async Task Simple_GET_from_another_origin_is_blocked_with_Chromiums_message()
    {
        var result = await Check("/api/hello", RefusedOrigin);

        result.Outcome.Should().Be(CheckOutcome.Blocked);
        result.ConsoleMessage.Should().Be("Access to fetch at 'http://localhost/api/hello' from origin 'http://127.0.0.1:5102' has been blocked by CORS policy: "
            + "No 'Access-Control-Allow-Origin' header is present on the requested resource.");
    }

    [Fact]
    public async Task JSON_POST_is_preflighted_and_allowed()
    {
        var result = await Check("/api/items", AllowedOrigin, "POST", bodyType: "application/json", body: "{\"name\":\"x\"}");

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        result.UnsafeHeaderNames.Should().Equal("content-type");
        result.Exchanges.Select(e => e.Status).Should().Equal(204, 201);
    }

    [Fact]
    public async Task Credentialed_PUT_with_authorization_is_allowed()
    {
        var result = await Check("/api/items/1", AllowedOrigin, "PUT", credentials: true, bodyType: "application/json", body: "{}",
            headers: ("Authorization", "Bearer demo"));

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        result.UnsafeHeaderNames.Should().Equal("authorization", "content-type");
    }

    [Fact]
    public async Task Header_outside_the_policy_is_refused_at_the_preflight()
    {
        var result = await Check("/api/items/1", AllowedOrigin, "PUT", headers: ("X-Trace", "1"));

        // CorsKit answers a refused preflight 403 without CORS headers: Chromium reports the missing origin first.
        result.Outcome.Should().Be(CheckOutcome.Blocked);
        result.BlockedAt.Should().Be(ExchangeKind.Preflight);
        result.Exchanges.Single().Status.Should().Be(403);
        result.ConsoleMessage.Should().EndWith("has been blocked by CORS policy: Response to preflight request doesn't pass access control check: "
            + "No 'Access-Control-Allow-Origin' header is present on the requested resource.");
    }

    [Fact]
    public async Task PATCH_is_not_in_the_policy()
    {
        var result = await Check("/api/items/1", AllowedOrigin, "PATCH");

        result.Outcome.Should().Be(CheckOutcome.Blocked);
        result.BlockedAt.Should().Be(ExchangeKind.Preflight);
    }

    [Fact]
    public async Task Only_the_exposed_header_is_readable()
    {
        var result = await Check("/api/items", AllowedOrigin);

        result.ReadableHeaders.Should().Contain(["x-total-count", "content-type"]).And.NotContain("x-internal");
        result.HiddenHeaders.Should().Contain("x-internal");
    }
}

/// <summary>
/// The engine against Microsoft.AspNetCore.Cors, a server that is not CorsKit: the tool judges any endpoint, including
/// answers that this middleware gives and browsers refuse.
/// </summary>
public sealed class MicrosoftCorsServerTests
{
    private static async Task<CorsCheckResult> Check(WebApplication app, string path, string origin, string method = "GET", params (string, string)[] headers)
    {
        using var handler = app.Handler();
        return await CorsCheckEngine.CheckAsync(new CorsCheckRequest
        {
            Url = new Uri("http://localhost" + path),
            Origin = origin,
            Method = method,
            Headers = headers.Select(h => new KeyValuePair<string, string>(h.Item1, h.Item2)).ToList(),
        }, handler);
    }

    [Fact]
    public async Task Allowed_origin_is_allowed_and_another_is_blocked()
    {
        await using var app = await StartMicrosoftCorsAsync(p => p.WithOrigins(AllowedOrigin));

        (await Check(app, "/api/hello", AllowedOrigin)).Outcome.Should().Be(CheckOutcome.Allowed);
        var refused = await Check(app, "/api/hello", RefusedOrigin);
        refused.Outcome.Should().Be(CheckOutcome.Blocked);
        refused.Failure.Should().Be(CorsFailure.MissingAllowOrigin);
    }

    [Fact]
    public async Task Preflight_from_another_origin_gets_204_without_CORS_headers_which_the_browser_refuses()
    {
        await using var app = await StartMicrosoftCorsAsync(p => p.WithOrigins(AllowedOrigin).WithMethods("PUT"));

        var result = await Check(app, "/api/items/1", RefusedOrigin, "PUT");

        result.Exchanges.Single().Status.Should().Be(204);
        result.Outcome.Should().Be(CheckOutcome.Blocked);
        result.ConsoleMessage.Should().EndWith("Response to preflight request doesn't pass access control check: "
            + "No 'Access-Control-Allow-Origin' header is present on the requested resource.");
    }

    [Fact]
    public async Task Method_outside_the_policy_passes_the_server_but_not_the_browser()
    {
        await using var app = await StartMicrosoftCorsAsync(p => p.WithOrigins(AllowedOrigin).WithMethods("PUT"));

        var result = await Check(app, "/api/items/1", AllowedOrigin, "DELETE");

        // Microsoft's middleware does not compare the requested method; it lists what it allows and the browser decides.
        result.Exchanges.Single().Status.Should().Be(204);
        result.Outcome.Should().Be(CheckOutcome.Blocked);
        result.ConsoleMessage.Should().EndWith("Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.");
    }

    [Fact]
    public async Task Any_header_echoes_the_requested_ones_so_authorization_passes()
    {
        await using var app = await StartMicrosoftCorsAsync(p => p.AllowAnyOrigin().AllowAnyHeader().WithMethods("PUT"));

        var result = await Check(app, "/api/items/1", RefusedOrigin, "PUT", ("Authorization", "Bearer x"), ("X-Trace", "1"));

        result.Outcome.Should().Be(CheckOutcome.Allowed);
        result.Warnings.Should().BeEmpty("the server listed authorization by name");
    }
}
