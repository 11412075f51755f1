using CorsKit.Cli.Check;

namespace CorsKit.Cli.Audit;

/// <summary>What to audit, as the command line gives it.</summary>
internal sealed record AuditRequest
{
    /// <summary>The URL: http or https for CORS, ws or wss for a WebSocket endpoint alone.</summary>
    public required Uri Url { get; init; }

    /// <summary>The origins the site means to trust; the URL's own origin when none was given.</summary>
    public required IReadOnlyList<TrustedOrigin> Trusted { get; init; }

    /// <summary>Whether <see cref="Trusted"/> came from the URL rather than from --origin.</summary>
    public bool TrustedFromUrl { get; init; }

    /// <summary>The method the site's pages use; only GET and HEAD are ever sent, others are asked for by preflight.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Request headers the site's pages send (lower-case names), asked for by the preflights.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>A WebSocket path on the same host to audit too (--websocket).</summary>
    public string? WebSocketPath { get; init; }

    public AuditLimits Limits { get; init; } = new();

    public bool IsWebSocketUrl => Url.Scheme is "ws" or "wss";
}

/// <summary>One proven misconfiguration: the request/response pairs that prove it, and the fix.</summary>
internal sealed record AuditFinding(
    AuditRule Rule,
    AuditSeverity Severity,
    bool Credentials,
    string Origin,
    string Proof,
    IReadOnlyList<HttpExchange> Evidence,
    AuditFix Fix)
{
    /// <summary>The exchange whose response shows the misconfiguration (the last of the evidence).</summary>
    public HttpExchange Decisive => Evidence[^1];
}

/// <summary>
/// How to fix a finding: a CorsKit configuration (an appsettings.json fragment) and a note for CorsKit users, and one
/// sentence that holds for any server.
/// </summary>
internal sealed record AuditFix(string? CorsKitConfiguration, string? CorsKitNote, string OtherServers);

/// <summary>A check the audit could not finish, and why.</summary>
internal sealed record NotChecked(string Id, string Reason);

/// <summary>The outcome of an audit.</summary>
internal sealed record AuditResult
{
    public required AuditRequest Request { get; init; }

    public required IReadOnlyList<AuditFinding> Findings { get; init; }

    public required IReadOnlyList<NotChecked> NotChecked { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Requests sent.</summary>
    public required int Requests { get; init; }

    /// <summary>Why the audit stopped early (the server could not be reached), or null.</summary>
    public string? Error { get; init; }

    /// <summary>0 no finding, 1 findings, 2 the audit could not run to the end.</summary>
    public int ExitCode => Error is not null ? CliApp.UsageError : Findings.Count > 0 ? 1 : 0;
}
