using System.Text.Json;
using CorsKit.Cli.Check;
using CorsKit.Cli.Output;

namespace CorsKit.Cli.Audit;

/// <summary>
/// <c>corskit audit --json</c>: <c>{ "url", "findings": [ { "id", "severity", "origin", "request", "evidence", "fix" } ] }</c>
/// and more fields, only ever added within a schema version (docs/cli.md).
/// </summary>
internal static class AuditJsonReport
{
    public const int SchemaVersion = 1;

    public static void Write(TextWriter output, AuditResult result) => CheckJsonReport.Write(output, json =>
    {
        var request = result.Request;
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteString("url", request.Url.AbsoluteUri);
        json.WriteNumber("exitCode", result.ExitCode);
        json.WriteString("method", request.Method);
        CheckJsonReport.WriteStrings(json, "trustedOrigins", request.Trusted.Select(t => t.Display).ToList());
        json.WriteNumber("requests", result.Requests);
        json.WriteNumber("maxRequests", request.Limits.MaxRequests);

        json.WriteStartArray("findings");
        foreach (var finding in result.Findings)
        {
            WriteFinding(json, finding);
        }
        json.WriteEndArray();

        json.WriteStartArray("notChecked");
        foreach (var notChecked in result.NotChecked)
        {
            json.WriteStartObject();
            json.WriteString("id", notChecked.Id);
            json.WriteString("reason", notChecked.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        CheckJsonReport.WriteStrings(json, "notes", result.Notes);
        CheckJsonReport.WriteNullable(json, "error", result.Error);
        json.WriteEndObject();
    });

    private static void WriteFinding(Utf8JsonWriter json, AuditFinding finding)
    {
        json.WriteStartObject();
        json.WriteString("id", finding.Rule.Id);
        json.WriteString("severity", AuditRules.Name(finding.Severity));
        json.WriteString("title", finding.Rule.Title);
        json.WriteBoolean("credentials", finding.Credentials);
        json.WriteString("origin", finding.Origin);
        WriteRequest(json, "request", finding.Decisive);
        json.WriteString("proof", finding.Proof);
        json.WriteString("attackerGains", finding.Rule.AttackerGains);
        json.WriteStartArray("evidence");
        foreach (var exchange in finding.Evidence)
        {
            CheckJsonReport.WriteExchange(json, exchange);
        }
        json.WriteEndArray();
        WriteFix(json, finding.Fix);
        json.WriteEndObject();
    }

    /// <summary>The fix: the CorsKit configuration as a JSON object (paste it into appsettings.json), a note, and the general sentence.</summary>
    internal static void WriteFix(Utf8JsonWriter json, AuditFix fix)
    {
        json.WriteStartObject("fix");
        json.WriteStartObject("corskit");
        json.WritePropertyName("configuration");
        if (fix.CorsKitConfiguration is null)
        {
            json.WriteNullValue();
        }
        else
        {
            using var configuration = JsonDocument.Parse(fix.CorsKitConfiguration);
            configuration.WriteTo(json);
        }
        CheckJsonReport.WriteNullable(json, "note", fix.CorsKitNote);
        json.WriteEndObject();
        json.WriteString("other", fix.OtherServers);
        json.WriteEndObject();
    }

    private static void WriteRequest(Utf8JsonWriter json, string name, HttpExchange exchange)
    {
        json.WriteStartObject(name);
        json.WriteString("method", exchange.Method);
        json.WriteString("url", exchange.Url.AbsoluteUri);
        CheckJsonReport.WriteHeaders(json, exchange.RequestHeaders);
        json.WriteEndObject();
    }
}
