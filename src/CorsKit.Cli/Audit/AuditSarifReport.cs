using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CorsKit.Cli.Check;
using CorsKit.Cli.Output;

namespace CorsKit.Cli.Audit;

/// <summary>
/// <c>corskit audit --sarif FILE</c>: SARIF 2.1.0, one run, every rule in the driver, one result per finding with its
/// exchange as the result's webRequest and webResponse.
/// </summary>
internal static class AuditSarifReport
{
    private const string DocsUri = "https://github.com/corskit/corskit/blob/main/docs/cli.md#corskit-audit";

    public static void Write(TextWriter output, AuditResult result) => CheckJsonReport.Write(output, json =>
    {
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "corskit");
        json.WriteString("semanticVersion", AuditClient.ToolVersion);
        json.WriteString("informationUri", DocsUri);
        json.WriteStartArray("rules");
        foreach (var rule in AuditRules.All) WriteRule(json, rule);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", result.Error is null);
        json.WriteStartArray("toolExecutionNotifications");
        foreach (var text in result.Notes.Concat(result.NotChecked.Select(n => $"{n.Id} not checked: "
            + $"{n.Reason}.")).Concat(result.Error is null ? [] : [result.Error]))
        {
            json.WriteStartObject();
            WriteMessage(json, text);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartArray("results");
        foreach (var finding in result.Findings) WriteResult(json, result.Request.Url, finding);
        json.WriteEndArray();

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteRule(Utf8JsonWriter json, AuditRule rule)
    {
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        json.WriteString("name", string.Concat(rule.Id.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..])));
        json.WriteStartObject("shortDescription");
        json.WriteString("text", char.ToUpperInvariant(rule.Title[0]) + rule.Title[1..] + ".");
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", "What an attacker gains: " + rule.AttackerGains);
        json.WriteEndObject();
        json.WriteStartObject("help");
        json.WriteString("text", "Fix: " + rule.OtherServersFix + " CorsKit's configuration for the fix comes with each result.");
        json.WriteEndObject();
        json.WriteString("helpUri", DocsUri);
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(rule.WithCredentials));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        CheckJsonReport.WriteStrings(json, "tags", ["security", "cors"]);
        // Code-scanning UIs rank rules by this score (0-10), taken at the rule's worst severity.
        json.WriteString("security-severity", rule.WithCredentials switch
        {
            AuditSeverity.High => "8.0",
            AuditSeverity.Medium => "5.0",
            AuditSeverity.Low => "3.0",
            _ => "0.0",
        });
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, Uri url, AuditFinding finding)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.Rule.Id);
        json.WriteNumber("ruleIndex", AuditRules.All.ToList().IndexOf(finding.Rule));
        json.WriteString("level", Level(finding.Severity));
        WriteMessage(json, $"{finding.Proof} What an attacker gains: {finding.Rule.AttackerGains}");

        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        // Code scanning accepts only relative paths: the URL's host and path stand for the audited resource.
        json.WriteString("uri", ArtifactPath(url));
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("logicalLocations");
        json.WriteStartObject();
        json.WriteString("fullyQualifiedName", url.AbsoluteUri);
        json.WriteString("kind", "resource");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartObject("partialFingerprints");
        var identity = $"{finding.Rule.Id}|{url.GetLeftPart(UriPartial.Path)}|{finding.Origin}";
        json.WriteString("corskitAudit/v1", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32]);
        json.WriteEndObject();

        var exchange = finding.Decisive;
        json.WriteStartObject("webRequest");
        json.WriteString("protocol", "HTTP");
        json.WriteString("target", exchange.Url.AbsoluteUri);
        json.WriteString("method", exchange.Method);
        WriteHeaderObject(json, exchange.RequestHeaders);
        json.WriteEndObject();
        json.WriteStartObject("webResponse");
        json.WriteString("protocol", "HTTP");
        json.WriteNumber("statusCode", exchange.Status);
        json.WriteString("reasonPhrase", CorsCheckEngine.StatusText(exchange));
        WriteHeaderObject(json, exchange.ResponseHeaders);
        json.WriteEndObject();

        json.WriteStartObject("properties");
        json.WriteString("severity", AuditRules.Name(finding.Severity));
        json.WriteString("origin", finding.Origin);
        json.WriteBoolean("credentials", finding.Credentials);
        json.WriteString("url", url.AbsoluteUri);
        AuditJsonReport.WriteFix(json, finding.Fix);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>SARIF headers are an object; repeated names are joined as a browser joins them.</summary>
    private static void WriteHeaderObject(Utf8JsonWriter json, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        json.WriteStartObject("headers");
        foreach (var name in headers.Select(h => h.Key).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            json.WriteString(name, CorsCheckEngine.Header(headers, name));
        }
        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject("message");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static string Level(AuditSeverity severity) => severity switch
    {
        AuditSeverity.High => "error",
        AuditSeverity.Medium => "warning",
        _ => "note",
    };

    /// <summary><c>http://127.0.0.1:5100/api/hello?x=1</c> becomes <c>127.0.0.1_5100/api/hello</c>.</summary>
    internal static string ArtifactPath(Uri url)
    {
        var host = url.Host.Trim('[', ']').Replace(':', '_');
        var port = url.IsDefaultPort ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"_{url.Port}");
        return (host + port + url.AbsolutePath).TrimEnd('/');
    }
}
