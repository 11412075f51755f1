namespace CorsKit.Internal;

/// <summary>What a request is, as the Fetch Standard classifies it.</summary>
internal enum CorsRequestKind
{
    /// <summary>No Origin header: not a CORS request (same-origin, or not from a browser).</summary>
    NotCors,

    /// <summary>Origin present, not a preflight: the app answers, CorsKit adds headers when the response starts.</summary>
    Actual,

    /// <summary>OPTIONS with Origin and Access-Control-Request-Method: CorsKit answers it, 204 or 403.</summary>
    Preflight,

    /// <summary>
    /// A WebSocket handshake with an Origin (HTTP/1.1 GET with <c>Upgrade: websocket</c>, or an extended CONNECT with
    /// <c>:protocol websocket</c>): browsers apply no CORS check to it, so CorsKit refuses a refused origin with 403.
    /// </summary>
    WebSocket,
}
