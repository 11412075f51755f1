using CorsKit.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CorsKit.Tests.WebSockets;

/// <summary>An MVC WebSocket endpoint whose policy an attribute names.</summary>
[ApiController]
[Route("ws/mvc")]
[CorsKitPolicy("partner")]
public sealed class WebSocketController : ControllerBase
{
    [HttpGet]
    public Task Get() => WebSocketHost.Hello(HttpContext);

    [HttpGet("off")]
    [DisableCorsKit]
    public Task Off() => WebSocketHost.Hello(HttpContext);
}
