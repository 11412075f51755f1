using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CorsKit.Cli.Tests.Audit.Infrastructure;

/// <summary>The WebSocket endpoint the audit's WebSocket checks connect to: it accepts, then waits for the close.</summary>
internal static class AuditedSocket
{
    public static IEndpointConventionBuilder MapAuditedSocket(this IEndpointRouteBuilder app, string path = "/ws") =>
        app.Map(path, async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            try
            {
                await socket.ReceiveAsync(new byte[16], context.RequestAborted);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                // The audit closes the connection right after the handshake.
            }
        });
}
