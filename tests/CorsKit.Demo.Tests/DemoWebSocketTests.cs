using System.Net;

namespace CorsKit.Demo.Tests;

/// <summary>
/// The demo's WebSocket button (10): the allowed page connects and receives the API's message; the refused page's
/// handshake is refused by CorsKit with 403 before the endpoint runs, and the page's request log shows why.
/// </summary>
public sealed class DemoWebSocketTests : IAsyncLifetime
{
    private DemoApi _api = null!;

    public async Task InitializeAsync() => _api = await DemoApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_allowed_page_opens_the_WebSocket_and_receives_the_APIs_message()
    {
        var (message, status) = await _api.ConnectAsync(DemoApi.AllowedPage);

        status.Should().Be(101);
        message.Should().StartWith("hello over a WebSocket at ").And.EndWith($", page {DemoApi.AllowedPage}");
    }

    [Fact]
    public async Task The_refused_page_is_refused_with_403_and_the_log_says_why()
    {
        var (message, status) = await _api.ConnectAsync(DemoApi.RefusedPage);

        status.Should().Be(403);
        message.Should().BeNull();
        var entry = _api.Log.Snapshot().Should().ContainSingle(e => e.Path == "/api/live").Which;
        entry.Origin.Should().Be(DemoApi.RefusedPage);
        entry.Status.Should().Be(403);
        entry.Reason.Should().Be($"WebSocket handshake refused: origin '{DemoApi.RefusedPage}' is not allowed by CorsKit policy 'frontend'");
    }

    [Fact]
    public async Task The_admin_console_is_not_in_the_live_endpoints_policy_either()
    {
        var (_, status) = await _api.ConnectAsync(DemoApi.AdminConsole);

        status.Should().Be(403, "/api/live follows the default policy 'frontend', which lists only the allowed page");
    }

    [Fact]
    public async Task A_plain_GET_to_the_live_endpoint_is_a_bad_request_not_a_refusal()
    {
        using var response = await _api.SendAsync(HttpMethod.Get, "/api/live", json: null, ("Origin", DemoApi.RefusedPage));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public void The_page_both_front_ends_serve_has_the_WebSocket_button()
    {
        using var stream = typeof(ApiApp).Assembly.GetManifestResourceStream("page.html")!;
        using var reader = new StreamReader(stream);
        var page = reader.ReadToEnd();

        page.Should().Contain("<button data-demo=\"webSocket\">Connect</button>").And.Contain("new WebSocket(url)")
            .And.Contain("/api/live").And.Contain("if (step.socket) return openSocket();");
    }
}
