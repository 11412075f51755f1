using System.Globalization;
using System.Text.Json;
using CorsKit.Cli.Check;
using CorsKit.Cli.Explain;

namespace CorsKit.Cli.Output;

/// <summary>The output of <c>corskit explain</c>, as text or as JSON (schema in docs/cli.md).</summary>
internal static class ExplainReport
{
    public static void WriteText(TextWriter output, PolicyExplanation explanation)
    {
        var policy = explanation.PolicyName.Length == 0 ? "(no policy)" : $"'{explanation.PolicyName}'";
        if (explanation.WebSocket)
        {
            output.WriteLine($"CorsKit policy {policy}: WebSocket handshake from origin {explanation.Origin}");
            output.WriteLine("No preflight and no CORS: browsers send the handshake with the user's cookies; CorsKit's answer is the only check.");
        }
        else
        {
            output.WriteLine($"CorsKit policy {policy}: {explanation.Method} from origin {explanation.Origin}"
                + (explanation.Credentials ? " with credentials" : string.Empty));
            output.WriteLine(explanation.PreflightReasons.Count == 0
                ? "No preflight: a simple request."
                : "Preflight first: " + string.Join("; ", explanation.PreflightReasons) + ".");
        }

        foreach (var step in explanation.Steps)
        {
            var facts = step.Facts;
            var answer = step.Explanation;
            output.WriteLine();
            output.WriteLine(step.Kind switch
            {
                ExchangeKind.Preflight => $"Preflight: OPTIONS, Access-Control-Request-Method: {facts.Method}" + (facts.RequestHeaders.Count == 0
                    ? string.Empty
                    : $", Access-Control-Request-Headers: {string.Join(',', facts.RequestHeaders)}"),
                ExchangeKind.WebSocket => "Handshake: GET, Upgrade: websocket",
                _ => $"Request: {facts.Method}",
            });
            output.WriteLine($"  {(answer.Allowed ? "ALLOWED" : "REFUSED")} ({answer.Reason}): {answer.Message}");
            output.WriteLine(answer.StatusCode is { } status
                ? string.Create(CultureInfo.InvariantCulture, $"  CorsKit answers {status} with:")
                : step.Kind == ExchangeKind.WebSocket
                    ? "  CorsKit passes the handshake to the app (which answers 101 Switching Protocols), adding:"
                    : "  CorsKit adds to the app's response:");
            if (answer.Headers.Count == 0) output.WriteLine("    (no CORS headers)");
            foreach (var (name, value) in answer.Headers) output.WriteLine($"    {name}: {value}");

            // Unsafe requests only: what ASP.NET Core 11's automatic CSRF protection makes of the policy (issue 16).
            if (answer.Csrf is { } csrf) output.WriteLine($"  CSRF protection (ASP.NET Core 11): {(csrf.Trusted ? "TRUSTED" : "NOT TRUSTED")} "
                + $"({csrf.Reason}): {csrf.Message}");
        }

        output.WriteLine();
        foreach (var warning in explanation.Warnings) output.WriteLine($"Warning: {warning}");
        output.WriteLine(explanation.Allowed ? "Verdict: ALLOWED" : "Verdict: REFUSED");
    }

    public static void WriteJson(TextWriter output, PolicyExplanation explanation) => CheckJsonReport.Write(output, json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", CheckJsonReport.SchemaVersion);
        json.WriteString("verdict", explanation.Allowed ? "allowed" : "refused");
        json.WriteNumber("exitCode", explanation.Allowed ? 0 : 1);
        json.WriteString("policy", explanation.PolicyName);
        json.WriteString("origin", explanation.Origin);
        json.WriteString("method", explanation.Method);
        json.WriteBoolean("credentials", explanation.Credentials);
        json.WriteBoolean("webSocket", explanation.WebSocket);
        CheckJsonReport.WriteStrings(json, "preflightReasons", explanation.PreflightReasons);
        WriteStep(json, "preflight", explanation.Steps.FirstOrDefault(s => s.Kind == ExchangeKind.Preflight));
        WriteStep(json, "request", explanation.Steps.FirstOrDefault(s => s.Kind is ExchangeKind.Actual or ExchangeKind.WebSocket));
        CheckJsonReport.WriteStrings(json, "warnings", explanation.Warnings);
        json.WriteEndObject();
    });

    private static void WriteStep(Utf8JsonWriter json, string name, ExplainedStep? step)
    {
        if (step is null)
        {
            json.WriteNull(name);
            return;
        }

        var answer = step.Explanation;
        json.WriteStartObject(name);
        json.WriteBoolean("allowed", answer.Allowed);
        json.WriteString("reason", answer.Reason.ToString());
        json.WriteString("message", answer.Message);
        if (answer.StatusCode is { } status) json.WriteNumber("status", status);
        else json.WriteNull("status");
        CheckJsonReport.WriteStrings(json, "requestHeaders", step.Facts.RequestHeaders);
        CheckJsonReport.WriteHeaders(json, answer.Headers);
        WriteCsrf(json, answer.Csrf);
        json.WriteEndObject();
    }

    private static void WriteCsrf(Utf8JsonWriter json, CorsKitCsrfVerdict? csrf)
    {
        if (csrf is null)
        {
            json.WriteNull("csrf");
            return;
        }

        json.WriteStartObject("csrf");
        json.WriteBoolean("trusted", csrf.Trusted);
        json.WriteString("reason", csrf.Reason.ToString());
        json.WriteString("message", csrf.Message);
        json.WriteEndObject();
    }
}
