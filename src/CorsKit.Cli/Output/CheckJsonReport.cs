using System.Text.Encodings.Web;
using System.Text.Json;
using CorsKit.Cli.Check;

namespace CorsKit.Cli.Output;

/// <summary>
/// The machine-readable report of <c>corskit check --json</c>. The schema (docs/cli.md) is versioned by
/// <c>schemaVersion</c>; fields are only ever added within a version.
/// </summary>
internal static class CheckJsonReport
{
    public const int SchemaVersion = 1;

    internal static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Header values are shown to people as they are: no \u0027 for an apostrophe.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(TextWriter output, CorsCheckResult result) => Write(output, json => WriteResult(json, result));

    /// <summary>Writes one JSON document, indented, followed by a new line.</summary>
    internal static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            write(json);
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteResult(Utf8JsonWriter json, CorsCheckResult result)
    {
        var request = result.Request;
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteString("verdict", result.Outcome switch
        {
            CheckOutcome.Allowed => "allowed",
            CheckOutcome.Blocked => "blocked",
            _ => "error",
        });
        json.WriteNumber("exitCode", CorsCheckEngine.ExitCode(result));

        json.WriteStartObject("request");
        json.WriteString("url", request.Url.OriginalString);
        json.WriteString("origin", request.Origin);
        json.WriteString("method", result.Method ?? request.Method);
        json.WriteBoolean("credentials", request.Credentials);
        json.WriteEndObject();
        json.WriteString("browser", request.Browser.ToString().ToLowerInvariant());

        json.WriteStartObject("preflight");
        json.WriteBoolean("required", result.PreflightRequired);
        WriteStrings(json, "reasons", result.PreflightReasons);
        WriteStrings(json, "requestHeaders", result.UnsafeHeaderNames);
        json.WriteEndObject();

        WriteNullable(json, "blockedAt", result.BlockedAt switch
        {
            ExchangeKind.Preflight => "preflight",
            ExchangeKind.Actual => "actual",
            _ => null,
        });
        WriteNullable(json, "failure", result.Failure == CorsFailure.None ? null : result.Failure.ToString());
        WriteNullable(json, "message", result.ConsoleMessage);
        WriteNullable(json, "fix", result.Fix);
        WriteNullable(json, "serverReason", result.ServerReason);
        WriteNullable(json, "error", result.Error);
        if (result.Status is { } status) json.WriteNumber("status", status);
        else json.WriteNull("status");
        WriteStrings(json, "readableHeaders", result.ReadableHeaders);
        WriteStrings(json, "hiddenHeaders", result.HiddenHeaders);
        WriteStrings(json, "warnings", result.Warnings);

        json.WriteStartArray("exchanges");
        foreach (var exchange in result.Exchanges)
        {
            WriteExchange(json, exchange);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    internal static void WriteExchange(Utf8JsonWriter json, HttpExchange exchange)
    {
        json.WriteStartObject();
        json.WriteString("kind", exchange.Kind == ExchangeKind.Preflight ? "preflight" : "actual");
        json.WriteStartObject("request");
        json.WriteString("method", exchange.Method);
        json.WriteString("url", exchange.Url.AbsoluteUri);
        WriteHeaders(json, exchange.RequestHeaders);
        json.WriteEndObject();
        json.WriteStartObject("response");
        json.WriteNumber("status", exchange.Status);
        WriteHeaders(json, exchange.ResponseHeaders);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Headers as [name, value] pairs in wire order, so repeated headers stay visible.</summary>
    internal static void WriteHeaders(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        json.WriteStartArray("headers");
        foreach (var (name, value) in headers)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStringValue(value);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    internal static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    internal static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
