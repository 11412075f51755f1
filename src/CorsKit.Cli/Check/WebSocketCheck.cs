using System.Net;
using System.Net.WebSockets;

namespace CorsKit.Cli.Check;

/// <summary>How a WebSocket handshake ended: the server opened the socket, refused it, or it could not be tried.</summary>
internal enum WebSocketCheckOutcome
{
    Accepted,
    Refused,
    Error,
}

/// <summary>One real handshake from a page at <see cref="Origin"/>, and what the server answered.</summary>
internal sealed record WebSocketCheckResult(
    Uri Url,
    string Origin,
    WebSocketCheckOutcome Outcome,
    int? Status,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    string? Error,
    IReadOnlyList<string> Warnings)
{
    /// <summary>CorsKit's debug-mode reason for a refusal (X-CorsKit-Reason), when the server sent one.</summary>
    public string? DebugReason => ResponseHeaders.FirstOrDefault(h => h.Key.Equals("X-CorsKit-Reason", StringComparison.OrdinalIgnoreCase)).Value;

    public int ExitCode => Outcome switch
    {
        WebSocketCheckOutcome.Accepted => 0,
        WebSocketCheckOutcome.Refused => 1,
        _ => CliApp.UsageError,
    };
}

/// <summary>
/// <c>corskit check ws://…</c>: a real WebSocket handshake with the page's Origin, as a browser's <c>new WebSocket()</c>
/// sends it. Browsers apply no CORS to WebSockets: the server's answer (101 or a refusal) is the whole verdict.
/// </summary>
internal static class WebSocketCheck
{
    public static bool IsWebSocketUrl(Uri url) => url.Scheme is "ws" or "wss";

    /// <param name="url">A ws:// or wss:// URL.</param>
    /// <param name="origin">The page's origin, sent as Origin.</param>
    /// <param name="headers">More request headers (Cookie, Authorization, Sec-WebSocket-Protocol).</param>
    /// <param name="timeout">For the whole handshake.</param>
    /// <param name="handler">Sends the handshake (a SocketsHttpHandler); not disposed.</param>
    /// <param name="warnings">Said before the verdict.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public static async Task<WebSocketCheckResult> CheckAsync(Uri url, string origin, IReadOnlyList<KeyValuePair<string, string>> headers,
        TimeSpan timeout, HttpMessageHandler handler, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            socket.Options.SetRequestHeader("Origin", origin);
            foreach (var (name, value) in headers)
            {
                if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var protocol in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        socket.Options.AddSubProtocol(protocol);
                    }
                }
                else
                {
                    socket.Options.SetRequestHeader(name, value);
                }
            }
        }
        catch (ArgumentException ex)
        {
            return Failed(url, origin, $"A header cannot be sent with a WebSocket handshake: {ex.Message}", warnings);
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        try
        {
            await socket.ConnectAsync(url, invoker, timer.Token).ConfigureAwait(false);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            // The server answered, with something other than 101.
            return new WebSocketCheckResult(url, origin, WebSocketCheckOutcome.Refused, (int)socket.HttpStatusCode, Headers(socket), null, warnings);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
        {
            var message = ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"No answer to the handshake within {timeout.TotalSeconds:0.#} s."
                : $"The handshake failed before the server answered: {(ex.InnerException ?? ex).Message}";
            return Failed(url, origin, message, warnings);
        }

        var result = new WebSocketCheckResult(url, origin, WebSocketCheckOutcome.Accepted, (int)HttpStatusCode.SwitchingProtocols, Headers(socket),
            null, warnings);
        try
        {
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "corskit check", closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The verdict is the handshake's; a server that drops the socket at once changes nothing.
        }

        return result;
    }

    private static WebSocketCheckResult Failed(Uri url, string origin, string error, IReadOnlyList<string> warnings) =>
        new(url, origin, WebSocketCheckOutcome.Error, null, [], error, warnings);

    private static List<KeyValuePair<string, string>> Headers(ClientWebSocket socket) =>
        socket.HttpResponseHeaders is null
            ? []
            : [.. socket.HttpResponseHeaders.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))];
}
