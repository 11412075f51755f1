using CorsKit.Cli.Check;
using CorsKit.Cli.Output;

namespace CorsKit.Cli.Audit;

/// <summary>
/// The fix of each finding. The CorsKit part is the policy the audit's inputs describe (the trusted origins, the method
/// and headers the pages send, credentials when the server allows them), which CorsKit enforces exactly: it matches
/// whole origins, refuses 'null', answers preflights from its lists and sends Vary: Origin itself.
/// </summary>
internal static class AuditFixes
{
    private const string PolicyName = "web";

    public static AuditFix For(AuditRule rule, AuditRequest request, bool credentials)
    {
        var configuration = rule == AuditRules.WebSocketAnyOrigin ? null : Configuration(request, credentials);
        return new AuditFix(configuration, Note(rule, request), rule.OtherServersFix);
    }

    private static string? Note(AuditRule rule, AuditRequest request)
    {
        var origins = string.Join(", ", request.Trusted.Select(t => $"\"{t.Display}\""));
        var fromUrl = request.TrustedFromUrl ? " No --origin was given, so the URL's own origin stands in: list the origins of your "
            + "pages." : string.Empty;
        var note = rule.Id switch
        {
            "reflects-any-origin" or "trusts-null" or "suffix-match" or "prefix-match" or "unescaped-dot" or "special-characters" =>
                "CorsKit compares the whole origin with these entries and refuses 'null' at start-up.",
            "trusts-http" => "Only the https origins are listed; with credentials CorsKit refuses plain-http origins beyond loopback at start-up.",
            "arbitrary-subdomain" => "The subdomains are listed one by one; keep \"https://*.domain\" only in a policy without \"AllowCredentials\".",
            "wildcard-with-credentials" => "With credentials CorsKit echoes the exact origin; for public data use \"Origins\": [ \"*\" ] without "
                + "\"AllowCredentials\".",
            "missing-vary" => "CorsKit sends Vary: Origin on every response whose CORS headers depend on the Origin, refusals and requests without "
                + "Origin included.",
            "cache-poisoning" => "CorsKit sends Vary: Origin; the cache in front of the app must honour it (or skip responses with "
                + "Access-Control-Allow-Origin).",
            "preflight-reflects-headers" or "preflight-reflects-methods" =>
                "CorsKit answers preflights from \"Methods\" and \"RequestHeaders\" and refuses anything else with 403.",
            "error-responses-lack-cors" =>
                "CorsKit adds its headers when the response starts, so errors carry them: call app.UseCorsKit() before authentication and before the "
                    + "middleware that writes error pages.",
            "websocket-any-origin" =>
                $"CorsKit checks every WebSocket handshake against the endpoint's policy and refuses other origins with 403: call app.UseCorsKit() "
                    + $"before the WebSocket endpoint, list the pages' origins (\"Origins\": [ {origins} ]) and leave out "
                    + "\"AllowAnyOriginForWebSockets\" unless the endpoint is public.",
            _ => null,
        };
        return note is null && fromUrl.Length == 0 ? null : (note + fromUrl).Trim();
    }

    /// <summary>The appsettings.json fragment: a "CorsKit" section with one default policy.</summary>
    private static string Configuration(AuditRequest request, bool credentials)
    {
        var methods = FetchRules.IsSafelistedMethod(request.Method) ? [] : new[] { request.Method };
        using var text = new StringWriter();
        CheckJsonReport.Write(text, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("CorsKit");
            json.WriteString("DefaultPolicy", PolicyName);
            json.WriteStartObject("Policies");
            json.WriteStartObject(PolicyName);
            CheckJsonReport.WriteStrings(json, "Origins", request.Trusted.Select(t => t.Display).ToList());
            if (methods.Length != 0) CheckJsonReport.WriteStrings(json, "Methods", methods);
            if (request.Headers.Count != 0) CheckJsonReport.WriteStrings(json, "RequestHeaders", request.Headers);
            if (credentials) json.WriteBoolean("AllowCredentials", true);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        });
        return text.ToString().TrimEnd();
    }
}
