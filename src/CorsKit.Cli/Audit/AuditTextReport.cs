using System.Globalization;
using CorsKit.Cli.Output;

namespace CorsKit.Cli.Audit;

/// <summary>The human-readable report of <c>corskit audit</c>: one block per finding, with the exchange that proves it.</summary>
internal static class AuditTextReport
{
    public static void Write(Terminal term, AuditResult result)
    {
        var request = result.Request;
        var asked = request.Method is "GET" or "HEAD" || request.IsWebSocketUrl ? string.Empty : " (asked for by preflight: only GET and OPTIONS are "
            + "sent)";
        term.Line(term.Bold($"corskit audit {(request.IsWebSocketUrl ? "WebSocket" : request.Method)} {request.Url.AbsoluteUri}") + asked);
        term.Line("Trusted origins: " + string.Join(", ", request.Trusted.Select(t => t.Display)));
        var limits = request.Limits;
        var inFlight = limits.Concurrency == 1 ? "one at a time" : string.Create(CultureInfo.InvariantCulture, $"at most {limits.Concurrency} at a "
            + $"time");
        term.Line(string.Create(CultureInfo.InvariantCulture,
            $"Sent {result.Requests} requests (budget {limits.MaxRequests}), {inFlight}, at most {limits.Rate:0.###} per second."));

        foreach (var finding in result.Findings)
        {
            WriteFinding(term, finding);
        }

        term.Line();
        foreach (var notChecked in result.NotChecked)
        {
            term.Line(term.Yellow("Not checked: ") + $"{notChecked.Id} ({notChecked.Reason}).");
        }
        foreach (var note in result.Notes)
        {
            term.Line(term.Yellow("Note: ") + note);
        }
        if (result.Error is not null)
        {
            term.Line(term.Red(term.Bold("ERROR")) + ": " + result.Error + " The audit stopped; the findings above are those proven before.");
        }
        term.Line(Summary(term, result));
    }

    private static void WriteFinding(Terminal term, AuditFinding finding)
    {
        term.Line();
        term.Line(Severity(term, finding.Severity) + " " + term.Bold(finding.Rule.Id) + ": " + finding.Rule.Title
            + (finding.Credentials ? ", with credentials" : string.Empty));
        term.Line(finding.Proof);
        term.Line(term.Bold("Attacker gains: ") + finding.Rule.AttackerGains);
        foreach (var exchange in finding.Evidence)
        {
            CheckTextReport.WriteExchange(term, exchange);
        }

        term.Line();
        var fix = finding.Fix;
        if (fix.CorsKitConfiguration is not null)
        {
            term.Line(term.Bold("Fix for CorsKit") + " (appsettings.json):");
            foreach (var line in fix.CorsKitConfiguration.Split('\n')) term.Line("  " + line.TrimEnd('\r'));
        }
        if (fix.CorsKitNote is not null)
        {
            term.Line((fix.CorsKitConfiguration is null ? term.Bold("Fix for CorsKit: ") : "  ") + fix.CorsKitNote);
        }
        term.Line(term.Bold("Fix for other servers: ") + fix.OtherServers);
    }

    private static string Severity(Terminal term, AuditSeverity severity)
    {
        var label = AuditRules.Name(severity).ToUpperInvariant();
        return severity switch
        {
            AuditSeverity.High => term.Red(term.Bold(label)),
            AuditSeverity.Medium => term.Yellow(term.Bold(label)),
            AuditSeverity.Low => term.Cyan(label),
            _ => term.Dim(label),
        };
    }

    private static string Summary(Terminal term, AuditResult result)
    {
        if (result.Findings.Count == 0)
        {
            return term.Green(term.Bold("No findings")) + (result.NotChecked.Count == 0 ? ": every check passed." : " among the checks that ran.");
        }
        var counts = result.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {AuditRules.Name(g.Key)}"));
        var noun = result.Findings.Count == 1 ? "finding" : "findings";
        return term.Red(term.Bold(string.Create(CultureInfo.InvariantCulture, $"{result.Findings.Count} "
            + $"{noun}"))) + ": " + string.Join(", ", counts) + ".";
    }
}
