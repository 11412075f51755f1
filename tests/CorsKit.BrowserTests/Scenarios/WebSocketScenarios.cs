using CorsKit.BrowserTests.Infrastructure;

namespace CorsKit.BrowserTests.Scenarios;

/// <summary>
/// Pages that open WebSockets to <see cref="WebSocketServer"/> (<c>{ws}</c>): browsers apply no CORS to a handshake,
/// so what a page may do is decided by CorsKit's 403 alone. Plain scenarios (page, script, verdict), so that any
/// browser engine can run them. A script resolves to <c>{ ok: true, status: 101, body }</c> with the first message it
/// received, or to <c>{ ok: false, error }</c> when the socket failed.
/// </summary>
internal static class WebSocketScenarios
{
    private const string Group = "WebSockets";

    /// <summary>A page whose host only looks like the allowed one: <c>app.localhost</c> is a prefix of its name.</summary>
    public const string LookAlike = "http://app.localhost.evil.localhost:{page}";

    /// <summary>Under the allowed pattern <c>http://*.trusted.localhost:{page}</c>.</summary>
    public const string Subdomain = "http://shop.trusted.localhost:{page}";

    /// <summary>A look-alike of the pattern's domain: <c>trusted.localhost</c> is a label prefix here, not the suffix.</summary>
    public const string SubdomainLookAlike = "http://shop.trusted.localhost.evil.localhost:{page}";

    /// <summary>Chromium's console line for a handshake the server refused with 403 (these scenarios run in Chromium).</summary>
    public static readonly ConsoleSays Refused403 = new("Error during WebSocket handshake: Unexpected response code: 403", null, null);

    /// <summary>Chromium's CORS refusal of SignalR's negotiate request.</summary>
    private static readonly ConsoleSays NegotiateRefused = new("blocked by CORS policy", null, null);

    private const string Url = "ws://api.localhost:{ws}/ws";

    /// <summary>Opens a WebSocket to <paramref name="url"/>; resolves with its first message, or with the failure.</summary>
    public static string Open(string url) => $$"""
        const socket = new WebSocket('{{url}}');
        return await new Promise((resolve) => {
          let opened = false;
          socket.onopen = () => { opened = true; };
          socket.onmessage = (event) => { resolve({ ok: true, status: 101, body: event.data, headers: {} }); socket.close(1000); };
          socket.onerror = () => resolve({ ok: false, error: `WebSocket error event (opened: ${opened})` });
          socket.onclose = (event) => resolve({ ok: false, error: `WebSocket close event, code ${event.code}` });
        });
        """;

    /// <summary>
    /// Loads the SignalR JavaScript client from the server and calls the hub's Echo over <paramref name="transport"/>;
    /// <paramref name="skipNegotiation"/> opens the WebSocket transport directly (no CORS negotiate request first).
    /// </summary>
    public static string SignalR(string transport, bool skipNegotiation) => $$"""
        await new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = 'http://api.localhost:{ws}/signalr.min.js';
          script.onload = resolve;
          script.onerror = () => reject(new Error('signalr.min.js did not load'));
          document.head.append(script);
        });
        const connection = new signalR.HubConnectionBuilder()
          .withUrl('http://api.localhost:{ws}/hubs/chat', {
            transport: signalR.HttpTransportType.{{transport}}, skipNegotiation: {{(skipNegotiation ? "true" : "false")}}, withCredentials: true })
          .configureLogging(signalR.LogLevel.None)
          .build();
        try {
          await connection.start();
          const body = await connection.invoke('Echo', 'hi from ' + location.origin);
          await connection.stop();
          return { ok: true, status: 101, body, headers: {}, transport: '{{transport}}' };
        } catch (error) {
          return { ok: false, error: `${error.name}: ${error.message}` };
        }
        """;

    public static IEnumerable<Scenario> All()
    {
        yield return new(Group, "A page of the allowed origin opens a WebSocket and receives the server's message", Pages.App, Open(Url), Verdict.Allowed)
        {
            Status = 101, Body = WebSocketServer.Greeting, Reason = CorsKitReason.Allowed, ActualRequests = 1,
            Note = "Chromium sends Origin: http://app.localhost:{page}; the policy lists it, so CorsKit lets the handshake through to UseWebSockets().",
        };
        yield return new(Group, "A page of another origin cannot open a WebSocket: CorsKit answers 403", Pages.Evil, Open(Url), Verdict.Blocked)
        {
            Console = Refused403, Reason = CorsKitReason.OriginNotAllowed, ActualRequests = 1,
            Note = "Without CorsKit's check the handshake would succeed with the user's cookies: cross-site WebSocket hijacking.",
        };
        yield return new(Group, "A look-alike of the allowed origin cannot open a WebSocket", LookAlike, Open(Url), Verdict.Blocked)
        {
            Console = Refused403, Reason = CorsKitReason.OriginNotAllowed, ActualRequests = 1,
            Note = "http://app.localhost.evil.localhost:{page} starts with the allowed host name; CorsKit compares whole origins.",
        };
        yield return new(Group, "A subdomain under the allowed pattern opens a WebSocket", Subdomain, Open(Url), Verdict.Allowed)
        {
            Status = 101, Body = WebSocketServer.Greeting, Reason = CorsKitReason.Allowed, ActualRequests = 1,
        };
        yield return new(Group, "A look-alike of the pattern's domain cannot open a WebSocket", SubdomainLookAlike, Open(Url), Verdict.Blocked)
        {
            Console = Refused403, Reason = CorsKitReason.OriginNotAllowed, ActualRequests = 1,
        };
        yield return new(Group, "A sandboxed frame (Origin: null) of the allowed page cannot open a WebSocket", Pages.App,
            $"return await inSandbox({System.Text.Json.JsonSerializer.Serialize(Open(Url))});", Verdict.Blocked)
        {
            Console = Refused403, Reason = CorsKitReason.OriginNull, ActualRequests = 1,
        };
        yield return new(Group, "SignalR from the allowed page: credentialed negotiate, then the WebSocket transport", Pages.App,
            SignalR("WebSockets", skipNegotiation: false), Verdict.Allowed)
        {
            Body = "echo: hi from http://app.localhost:{page}", Reason = CorsKitReason.Allowed,
            Note = "The negotiate POST is a credentialed CORS request (preflighted for X-Requested-With and X-SignalR-User-Agent); "
                + "the hub call travels over the checked WebSocket.",
        };
        yield return new(Group, "SignalR from the allowed page over Server-Sent Events", Pages.App,
            SignalR("ServerSentEvents", skipNegotiation: false), Verdict.Allowed)
        {
            Body = "echo: hi from http://app.localhost:{page}", Reason = CorsKitReason.Allowed,
        };
        yield return new(Group, "SignalR from another page: the WebSocket transport is refused with 403", Pages.Evil,
            SignalR("WebSockets", skipNegotiation: true), Verdict.Blocked)
        {
            Console = Refused403, Reason = CorsKitReason.OriginNotAllowed,
            Note = "skipNegotiation goes straight to the handshake, which CorsKit refuses; with negotiation the CORS answer stops it earlier.",
        };
        yield return new(Group, "SignalR from another page: the negotiate request gets no CORS answer", Pages.Evil,
            SignalR("WebSockets", skipNegotiation: false), Verdict.Blocked)
        {
            Console = NegotiateRefused, Reason = CorsKitReason.OriginNotAllowed,
        };
    }
}
