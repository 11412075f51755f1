using System.Net;
using CorsKit.Cli.Check;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Cli.Tests;

/// <summary>
/// The engine's own network handler over real sockets. Browsers send every name under <c>.localhost</c> to the
/// loopback address without asking DNS, so <c>corskit check http://api.localhost:PORT/</c> must reach a local server
/// just as a page's fetch() does, although the system resolver here does not know such names.
/// </summary>
public sealed class LocalhostNameTests
{
    private const string PageOrigin = "http://app.localhost:5101";

    [Fact]
    public async Task A_name_under_localhost_reaches_a_server_on_the_loopback_address()
    {
        string? hostSeen = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/hello", (HttpContext context) =>
        {
            hostSeen = context.Request.Host.Value;
            context.Response.Headers.AccessControlAllowOrigin = PageOrigin;
            return "hello";
        });
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;

        var result = await CorsCheckEngine.CheckAsync(new CorsCheckRequest { Url = new Uri($"http://api.localhost:{port}/hello"), Origin = PageOrigin });

        result.Outcome.Should().Be(CheckOutcome.Allowed, result.Error);
        result.Status.Should().Be(200);
        hostSeen.Should().Be($"api.localhost:{port}", "the request keeps its host name; only the address is loopback");
    }
}
