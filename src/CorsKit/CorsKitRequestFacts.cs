namespace CorsKit;

/// <summary>The facts of a request that decide CorsKit's answer, for <see cref="ICorsKitExplainer"/>.</summary>
public sealed class CorsKitRequestFacts
{
    /// <summary>The Origin header, or null for a request without one.</summary>
    public string? Origin { get; init; }

    /// <summary>
    /// The method: for an actual request its method; for a preflight the method it asks for
    /// (Access-Control-Request-Method). Default: GET.
    /// </summary>
    public string Method { get; init; } = "GET";

    /// <summary>True for a preflight (OPTIONS with Origin and Access-Control-Request-Method).</summary>
    public bool IsPreflight { get; init; }

    /// <summary>
    /// True for a WebSocket handshake (GET with <c>Upgrade: websocket</c>, or an extended CONNECT): CorsKit lets it
    /// through or refuses it with 403 by its origin. Not together with <see cref="IsPreflight"/>.
    /// </summary>
    public bool IsWebSocket { get; init; }

    /// <summary>For a preflight, the header names it asks for (Access-Control-Request-Headers).</summary>
    public IReadOnlyList<string> RequestHeaders { get; init; } = [];

    /// <summary>
    /// True when the request is credentialed (<c>credentials: 'include'</c>). It does not change what CorsKit sends;
    /// it changes what the browser accepts, and <see cref="CorsKitExplanation.Message"/> says so.
    /// </summary>
    public bool Credentials { get; init; }
}
