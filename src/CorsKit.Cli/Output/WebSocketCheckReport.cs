using System.Globalization;
using System.Net;
using CorsKit.Cli.Check;

namespace CorsKit.Cli.Output;

/// <summary>The output of <c>corskit check ws://…</c>, as text or as JSON (schema in docs/cli.md).</summary>
internal static class WebSocketCheckReport
{
    public static void WriteText(Terminal term, WebSocketCheckResult result)
    {
        foreach (var warning in result.Warnings) term.Line($"Warning: {warning}");
        term.Line($"> GET {result.Url.AbsoluteUri} (WebSocket handshake: Upgrade: websocket)");
        term.Line($"> Origin: {result.Origin}");
        if (result.Status is { } status)
        {
            term.Line(string.Create(CultureInfo.InvariantCulture, $"< {status} {ReasonPhrase(status)}"));
            foreach (var (name, value) in result.ResponseHeaders) term.Line($"< {name}: {value}");
        }

        term.Line();
        switch (result.Outcome)
        {
            case WebSocketCheckOutcome.Accepted:
                term.Line($"{term.Green("ACCEPTED")}: the server opened a WebSocket for a page at {result.Origin}. Browsers apply no CORS to "
                    + "WebSockets, so such a page can send and read on it, with the user's cookies.");
                break;
            case WebSocketCheckOutcome.Refused:
                term.Line($"{term.Red("REFUSED")}: the server answered {result.Status} instead of 101 Switching Protocols, so a page at "
                    + $"{result.Origin} cannot connect (new WebSocket() fires 'error', then 'close' with code 1006).");
                if (result.DebugReason is { } reason) term.Line($"CorsKit says: {reason}");
                break;
            default:
                term.Line($"{term.Red("ERROR")}: {result.Error}");
                break;
        }
    }

    public static void WriteJson(TextWriter output, WebSocketCheckResult result) => CheckJsonReport.Write(output, json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", CheckJsonReport.SchemaVersion);
        json.WriteString("kind", "websocket");
        json.WriteString("verdict", result.Outcome switch
        {
            WebSocketCheckOutcome.Accepted => "accepted",
            WebSocketCheckOutcome.Refused => "refused",
            _ => "error",
        });
        json.WriteNumber("exitCode", result.ExitCode);
        json.WriteStartObject("request");
        json.WriteString("url", result.Url.OriginalString);
        json.WriteString("origin", result.Origin);
        json.WriteEndObject();
        if (result.Status is { } status) json.WriteNumber("status", status);
        else json.WriteNull("status");
        CheckJsonReport.WriteHeaders(json, result.ResponseHeaders);
        json.WriteString("debugReason", result.DebugReason);
        json.WriteString("error", result.Error);
        CheckJsonReport.WriteStrings(json, "warnings", result.Warnings);
        json.WriteEndObject();
    });

    private static string ReasonPhrase(int status) => status == 101 ? "Switching Protocols" : Enum.IsDefined((HttpStatusCode)status)
        ? System.Text.RegularExpressions.Regex.Replace(((HttpStatusCode)status).ToString(), "(?<=[a-z])(?=[A-Z])", " ")
        : string.Empty;
}
