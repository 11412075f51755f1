using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>A request's kind and the CORS headers that decide it, read once per request.</summary>
internal readonly struct CorsRequest
{
    private CorsRequest(CorsRequestKind kind, StringValues origin, StringValues requestMethod)
    {
        Kind = kind;
        Origin = origin;
        RequestMethod = requestMethod;
    }

    public CorsRequestKind Kind { get; }

    /// <summary>Every Origin header line, as received (none for <see cref="CorsRequestKind.NotCors"/>).</summary>
    public StringValues Origin { get; }

    /// <summary>For a preflight, every Access-Control-Request-Method line; otherwise empty.</summary>
    public StringValues RequestMethod { get; }

    /// <summary>The kind string of logs and the <c>corskit.kind</c> metric tag.</summary>
    public string KindTag => Kind switch
    {
        CorsRequestKind.Preflight => "preflight",
        CorsRequestKind.Actual => "actual",
        CorsRequestKind.WebSocket => "websocket",
        _ => "not_cors",
    };

    /// <summary>
    /// A preflight is OPTIONS with an Origin and an Access-Control-Request-Method header (Fetch, "CORS-preflight
    /// request"); any other OPTIONS is the app's. A WebSocket handshake with an Origin is its own kind. Any other
    /// request with an Origin is a CORS request; one without is not. A request without Origin costs one header lookup,
    /// and a GET with one costs one more (Upgrade), so the handshake check is all but free for other requests.
    /// </summary>
    public static CorsRequest Read(HttpRequest request)
    {
        var headers = request.Headers;
        var origin = headers.Origin;
        if (origin.Count == 0) return new CorsRequest(CorsRequestKind.NotCors, origin, default);
        var method = request.Method;
        if (HttpMethods.IsGet(method))
        {
            var upgrade = headers.Upgrade;
            if (upgrade.Count != 0 && NamesWebSocket(upgrade)) return new CorsRequest(CorsRequestKind.WebSocket, origin, default);
        }
        else if (HttpMethods.IsOptions(method))
        {
            if (headers.TryGetValue(CorsHeaders.RequestMethod, out var requestMethod))
            {
                return new CorsRequest(CorsRequestKind.Preflight, origin, requestMethod);
            }
        }
        else if (HttpMethods.IsConnect(method) && IsExtendedConnectWebSocket(request.HttpContext))
        {
            return new CorsRequest(CorsRequestKind.WebSocket, origin, default);
        }

        return new CorsRequest(CorsRequestKind.Actual, origin, default);
    }

    /// <summary>
    /// Whether an Upgrade header names the websocket protocol (RFC 6455 4.2.1), in any case, alone or in a list. The
    /// Connection header is not required: a request that asks for a WebSocket is checked whether or not the server
    /// would upgrade it, so no spelling of the handshake slips past.
    /// </summary>
    internal static bool NamesWebSocket(StringValues upgrade)
    {
        foreach (var line in upgrade)
        {
            var rest = (line ?? string.Empty).AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var token = (comma < 0 ? rest : rest[..comma]).Trim(" \t");
                if (token.Equals("websocket", StringComparison.OrdinalIgnoreCase)) return true;
                rest = comma < 0 ? default : rest[(comma + 1)..];
            }
        }

        return false;
    }

    /// <summary>HTTP/2 and HTTP/3 WebSockets (RFC 8441, RFC 9220): CONNECT with the <c>:protocol</c> pseudo-header websocket.</summary>
    private static bool IsExtendedConnectWebSocket(HttpContext context) =>
        context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect
        && string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
}
