using System.Globalization;
using CorsKit.Cli.Check;

namespace CorsKit.Cli.Output;

/// <summary>The human-readable report of <c>corskit check</c>: each exchange, then the verdict.</summary>
internal static class CheckTextReport
{
    public static void Write(Terminal term, CorsCheckResult result)
    {
        var request = result.Request;
        term.Line(term.Bold($"{result.Method ?? request.Method} {request.Url.AbsoluteUri} from origin {request.Origin}"
            + (request.Credentials ? " with credentials" : string.Empty)));

        if (result.PreflightRequired)
        {
            term.Line("Preflight needed: " + string.Join("; ", result.PreflightReasons) + ".");
        }
        else if (result.Exchanges.Count != 0)
        {
            term.Line("No preflight: a simple request (safelisted method, headers and values).");
        }

        foreach (var exchange in result.Exchanges)
        {
            WriteExchange(term, exchange);
        }

        term.Line();
        foreach (var warning in result.Warnings)
        {
            term.Line(term.Yellow("Warning: ") + warning);
        }
        WriteVerdict(term, result);
    }

    internal static void WriteExchange(Terminal term, HttpExchange exchange)
    {
        term.Line();
        var label = exchange.Kind == ExchangeKind.Preflight ? "preflight" : "request";
        term.Line(term.Cyan($"> {exchange.Method} {exchange.Url.AbsoluteUri}") + term.Dim($"  ({label})"));
        foreach (var (name, value) in exchange.RequestHeaders)
        {
            term.Line(term.Cyan("> ") + Header(term, name, value));
        }

        var status = string.Create(CultureInfo.InvariantCulture, $"< {exchange.Status} {CorsCheckEngine.StatusText(exchange)}");
        term.Line(exchange.Status switch
        {
            < 300 => term.Green(status),
            < 400 => term.Yellow(status),
            _ => term.Red(status),
        });
        foreach (var (name, value) in exchange.ResponseHeaders)
        {
            term.Line("< " + Header(term, name, value));
        }
    }

    private static string Header(Terminal term, string name, string value)
    {
        var isCors = name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Origin", StringComparison.OrdinalIgnoreCase)
            || name.Equals(CorsCheckEngine.ServerReasonHeader, StringComparison.OrdinalIgnoreCase);
        return isCors ? term.Bold($"{name}: {value}") : $"{name}: {value}";
    }

    private static void WriteVerdict(Terminal term, CorsCheckResult result)
    {
        switch (result.Outcome)
        {
            case CheckOutcome.Allowed:
                term.Line(term.Green(term.Bold("ALLOWED")) + string.Create(CultureInfo.InvariantCulture,
                    $": the browser would let script read this response (status {result.Status})."));
                term.Line("Script can read: " + List(result.ReadableHeaders));
                if (result.HiddenHeaders.Count != 0)
                {
                    term.Line("Hidden from script: " + List(result.HiddenHeaders) + term.Dim("  (list a header in Access-Control-Expose-Headers to "
                        + "expose it)"));
                }
                break;
            case CheckOutcome.Blocked:
                var at = result.BlockedAt == ExchangeKind.Preflight ? "the preflight" : "the response";
                term.Line(term.Red(term.Bold("BLOCKED")) + $" by {at} ({result.Failure}).");
                term.Line(term.Bold(ConsoleMessages.DisplayName(result.Request.Browser) + ": ") + result.ConsoleMessage);
                if (result.ServerReason is not null)
                {
                    term.Line(term.Bold("CorsKit (debug mode) says: ") + result.ServerReason);
                }
                term.Line(term.Bold("Likely fix: ") + result.Fix);
                break;
            default:
                term.Line(term.Red(term.Bold("ERROR")) + ": " + result.Error);
                break;
        }
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "(none)" : string.Join(", ", names);
}
