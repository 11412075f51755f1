using System.CommandLine;
using CorsKit.Cli.Check;
using CorsKit.Cli.Output;

namespace CorsKit.Cli.Audit;

/// <summary><c>corskit audit URL [--origin TRUSTED]...</c>: what this server lets a hostile page do.</summary>
internal static class AuditCommand
{
    public static Command Create(TextWriter output, TextWriter error, CliEnvironment environment)
    {
        var url = new Argument<string>("url") { Description = "The URL to audit: http(s) for CORS, ws(s) for a WebSocket endpoint." };
        var origins = new Option<string[]>("--origin", "-o")
        {
            HelpName = "origin",
            Description = "An origin the site means to trust, e.g. https://app.example.com, or https://*.example.com for every subdomain. "
                + "Repeatable. Attack origins are derived from these (from the URL's own origin when none is given).",
        };
        var method = new Option<string>("--method", "-X")
        {
            Description = "The method the site's pages use here. GET and HEAD are sent; any other is only asked for by preflight, never sent.",
            DefaultValueFactory = _ => "GET",
        };
        var headers = new Option<string[]>("--header", "-H") { HelpName = "name", Description = "A request header name the site's pages send "
            + "(repeatable); the preflights ask for it." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (schema in docs/cli.md)." };
        var sarif = new Option<string?>("--sarif") { HelpName = "file", Description = "Also write the findings as SARIF 2.1.0 to this file, for "
            + "code-scanning UIs." };
        var maxRequests = new Option<int>("--max-requests")
        {
            HelpName = "n",
            Description = "The most requests the audit may send; checks past it are listed as not checked.",
            DefaultValueFactory = _ => AuditLimits.DefaultMaxRequests,
        };
        maxRequests.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1000) result.AddError("--max-requests must be a number of requests from 1 to 1000.");
        });
        var rate = new Option<double>("--rate")
        {
            HelpName = "per-second",
            Description = "The most requests started per second.",
            DefaultValueFactory = _ => AuditLimits.DefaultRate,
        };
        rate.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (value is <= 0 or > 1000 || double.IsNaN(value)) result.AddError("--rate must be a number of requests per second above 0 and at most "
                + "1000.");
        });
        var concurrency = new Option<int>("--concurrency")
        {
            HelpName = "n",
            Description = "Requests in flight at once (1: one at a time). The audit talks to one host.",
            DefaultValueFactory = _ => 1,
        };
        concurrency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 8) result.AddError("--concurrency must be from 1 to 8.");
        });
        var webSocket = new Option<string?>("--websocket") { HelpName = "path", Description = "A WebSocket path on the same host to audit too, e.g. "
            + "/ws." };
        var timeout = new Option<double>("--timeout") { HelpName = "seconds", Description = "Seconds allowed for each "
            + "request.", DefaultValueFactory = _ => 10 };
        timeout.Validators.Add(result =>
        {
            var seconds = result.GetValueOrDefault<double>();
            if (seconds is <= 0 or > 3600 || double.IsNaN(seconds)) result.AddError("--timeout must be a number of seconds above 0 and at most "
                + "3600.");
        });
        var noColor = new Option<bool>("--no-color") { Description = "Do not colour the output (also: NO_COLOR=1, or a redirected output)." };

        var command = new Command("audit", Description());
        command.Arguments.Add(url);
        foreach (var option in new Option[] { origins, method, headers, json, sarif, maxRequests, rate, concurrency, webSocket, timeout, noColor })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = Parse(
                parse.GetRequiredValue(url), parse.GetValue(origins) ?? [], parse.GetRequiredValue(method), parse.GetValue(headers) ?? [],
                parse.GetValue(webSocket), out var usageError);
            if (request is null)
            {
                await error.WriteLineAsync($"corskit audit: {usageError}");
                return CliApp.UsageError;
            }
            request = request with
            {
                Limits = new AuditLimits
                {
                    MaxRequests = parse.GetValue(maxRequests),
                    Rate = parse.GetValue(rate),
                    Concurrency = parse.GetValue(concurrency),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                },
            };

            using var handler = (environment.CreateHandler ?? CorsCheckEngine.CreateHandler)();
            var result = await CorsAudit.RunAsync(request, handler, cancellationToken);

            if (parse.GetValue(json)) AuditJsonReport.Write(output, result);
            else if (result.Error is not null && result.Findings.Count == 0) await error.WriteLineAsync($"corskit audit: {result.Error}");
            else AuditTextReport.Write(new Terminal(output, environment.UseColor(parse.GetValue(noColor))), result);

            if (parse.GetValue(sarif) is { } sarifFile)
            {
                try
                {
                    await using var file = new StreamWriter(sarifFile);
                    AuditSarifReport.Write(file, result);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"corskit audit: cannot write the SARIF file '{sarifFile}': {ex.Message}");
                    return CliApp.UsageError;
                }
            }
            return result.ExitCode;
        });
        return command;
    }

    private static string Description()
    {
        var ids = string.Join(Environment.NewLine, AuditRules.All.Select(rule =>
            $"  {rule.Id,-27} {AuditRules.Name(rule.WithCredentials),-6} {rule.Title}"));
        return "Find what this server lets a hostile page do: send a bounded, rate-limited sequence of CORS requests from attack origins "
            + "derived from the trusted ones, and report only what a request/response pair proves, each with its fix. "
            + "Exit code 0: no finding, 1: findings, 2: usage or network error."
            + Environment.NewLine + Environment.NewLine
            + "Finding ids, with their severity when credentials are allowed (docs/cli.md: each one's severity without, what an attacker gains, the "
                + "fix):" + Environment.NewLine + ids;
    }

    /// <summary>The audit the arguments describe, or null with a usage error.</summary>
    internal static AuditRequest? Parse(
        string urlText, string[] originTexts, string method, string[] headerTexts, string? webSocketPath, out string? error)
    {
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            error = $"'{urlText}' is not an absolute http, https, ws or wss URL (e.g. https://api.example.com/data).";
            return null;
        }
        if (url.UserInfo.Length != 0)
        {
            error = "The URL must not carry a user name or password.";
            return null;
        }
        if (webSocketPath is not null && (url.Scheme is "ws" or "wss" || !webSocketPath.StartsWith('/')))
        {
            error = url.Scheme is "ws" or "wss"
                ? "--websocket is for an http(s) URL: a ws:// or wss:// URL is audited as a WebSocket endpoint already."
                : $"--websocket '{webSocketPath}' must be a path on the same host, starting with '/', e.g. /ws.";
            return null;
        }

        error = PreparedRequest.CheckMethod(method);
        if (error is not null) return null;

        var names = new List<string>();
        foreach (var header in headerTexts)
        {
            // name or name:value, as corskit check takes it; only the name matters to a preflight.
            var name = header.Split(':', 2)[0].Trim().ToLowerInvariant();
            if (!FetchRules.IsToken(name))
            {
                error = $"--header '{header}' is not a header name (an HTTP token).";
                return null;
            }
            if (!names.Contains(name, StringComparer.Ordinal)) names.Add(name);
        }

        var trusted = new List<TrustedOrigin>();
        foreach (var text in originTexts)
        {
            var origin = TrustedOrigin.Parse(text, out error);
            if (origin is null) return null;
            if (!trusted.Exists(t => t.Display == origin.Display)) trusted.Add(origin);
        }

        error = null;
        return new AuditRequest
        {
            Url = url,
            Trusted = trusted.Count == 0 ? [TrustedOrigin.FromUrl(url)] : trusted,
            TrustedFromUrl = trusted.Count == 0,
            Method = FetchRules.NormalizeMethod(method),
            Headers = names,
            WebSocketPath = webSocketPath,
        };
    }
}
