using System.CommandLine;
using CorsKit.Cli.Check;
using CorsKit.Cli.Output;

namespace CorsKit.Cli;

/// <summary>
/// <c>corskit check URL --origin O [...]</c>: what the browser would do with this request; for a ws:// or wss:// URL, a
/// real WebSocket handshake with that Origin and whether the server accepts it.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error, CliEnvironment environment)
    {
        var url = new Argument<string>("url")
        {
            Description = "The URL to fetch, e.g. http://127.0.0.1:5100/api/hello; or a ws:// or wss:// URL to open a WebSocket to.",
        };
        var request = new RequestOptions();
        var data = new Option<string?>("--data", "-d") { Description = "A text body to send with the request (not with GET or HEAD)." };
        var cookie = new Option<string?>("--cookie")
        {
            Description = "Cookies the browser holds for the URL, as name=value; name2=value2. Sent, as a browser sends them, only with "
                + "--credentials.",
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds allowed for the whole check, preflight and redirects included.",
            DefaultValueFactory = _ => 10,
        };
        timeout.Validators.Add(result =>
        {
            var seconds = result.GetValueOrDefault<double>();
            if (seconds is <= 0 or > 3600 || double.IsNaN(seconds)) result.AddError("--timeout must be a number of seconds above 0 and at most "
                + "3600.");
        });
        var browser = new Option<string>("--browser")
        {
            Description = "Whose rules apply where browsers differ, and whose console message is printed: chromium (default), firefox, webkit, "
                + "or fetch (the Fetch Standard as written).",
            DefaultValueFactory = _ => "chromium",
        };
        browser.AcceptOnlyFromAmong("chromium", "firefox", "webkit", "fetch");
        var noColor = new Option<bool>("--no-color") { Description = "Do not colour the output (also: NO_COLOR=1, or a redirected output)." };

        var command = new Command("check", "Fetch a URL the way a browser would from a page at --origin, and say whether the browser would allow it. "
            + "For a ws:// or wss:// URL, open a WebSocket with that Origin and say whether the server accepts it. "
            + "Exit code 0: allowed (accepted), 1: blocked (refused), 2: usage or network error.");
        command.Arguments.Add(url);
        request.AddTo(command);
        command.Options.Add(data);
        command.Options.Add(cookie);
        command.Options.Add(timeout);
        command.Options.Add(browser);
        command.Options.Add(noColor);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var headers = request.ParseHeaders(parse, out var usageError);
            var target = parse.GetRequiredValue(url);
            Uri? targetUrl = null;
            if (headers is not null && !Uri.TryCreate(target, UriKind.Absolute, out targetUrl))
            {
                usageError = $"'{target}' is not an absolute URL (e.g. http://127.0.0.1:5100/api/hello).";
            }
            if (usageError is null && WebSocketCheck.IsWebSocketUrl(targetUrl!))
            {
                return await CheckWebSocketAsync(parse, targetUrl!, headers!, request, data, cookie, timeout, noColor, output, error, environment,
                    cancellationToken);
            }

            if (usageError is not null)
            {
                await error.WriteLineAsync($"corskit check: {usageError}");
                return CliApp.UsageError;
            }

            var check = new CorsCheckRequest
            {
                Url = targetUrl!,
                Origin = parse.GetRequiredValue(request.Origin),
                Method = parse.GetRequiredValue(request.Method),
                Headers = headers!,
                Credentials = parse.GetValue(request.Credentials),
                BodyType = parse.GetValue(request.BodyType),
                Body = parse.GetValue(data),
                Cookie = parse.GetValue(cookie),
                Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                Browser = Enum.Parse<CheckBrowser>(parse.GetRequiredValue(browser), ignoreCase: true),
            };

            using var handler = (environment.CreateHandler ?? CorsCheckEngine.CreateHandler)();
            var result = await CorsCheckEngine.CheckAsync(check, handler, cancellationToken);

            if (parse.GetValue(request.Json))
            {
                CheckJsonReport.Write(output, result);
            }
            else if (result.Outcome == CheckOutcome.Error && result.Exchanges.Count == 0)
            {
                foreach (var warning in result.Warnings) await error.WriteLineAsync($"corskit check: warning: {warning}");
                await error.WriteLineAsync($"corskit check: {result.Error}");
            }
            else
            {
                CheckTextReport.Write(new Terminal(output, environment.UseColor(parse.GetValue(noColor))), result);
            }
            return CorsCheckEngine.ExitCode(result);
        });
        return command;
    }

    /// <summary>ws:// and wss://: one real handshake. A fetch's method, body and credentials mode mean nothing to a WebSocket.</summary>
    private static async Task<int> CheckWebSocketAsync(ParseResult parse, Uri url, List<KeyValuePair<string, string>> headers, RequestOptions request,
        Option<string?> data, Option<string?> cookie, Option<double> timeout, Option<bool> noColor, TextWriter output, TextWriter error,
        CliEnvironment environment, CancellationToken cancellationToken)
    {
        string? usageError = null;
        if (parse.GetRequiredValue(request.Method) != "GET")
        {
            usageError = "a WebSocket handshake is always a GET: leave out --method for a ws(s):// URL.";
        }
        else if (parse.GetValue(data) is not null || parse.GetValue(request.BodyType) is not null)
        {
            usageError = "a WebSocket handshake has no body: leave out --data and --body-type for a ws(s):// URL.";
        }

        if (usageError is not null)
        {
            await error.WriteLineAsync($"corskit check: {usageError}");
            return CliApp.UsageError;
        }

        var warnings = new List<string>();
        if (parse.GetValue(request.Credentials))
        {
            warnings.Add("--credentials changes nothing for a WebSocket: browsers send the site's cookies with every handshake (SameSite "
                + "permitting); pass them with --cookie.");
        }

        if (parse.GetValue(cookie) is { } cookies) headers.Add(new("Cookie", cookies));
        using var handler = (environment.CreateHandler ?? CorsCheckEngine.CreateHandler)();
        var seconds = TimeSpan.FromSeconds(parse.GetValue(timeout));
        var origin = parse.GetRequiredValue(request.Origin);
        var result = await WebSocketCheck.CheckAsync(url, origin, headers, seconds, handler, warnings, cancellationToken);
        if (parse.GetValue(request.Json)) WebSocketCheckReport.WriteJson(output, result);
        else WebSocketCheckReport.WriteText(new Terminal(output, environment.UseColor(parse.GetValue(noColor))), result);
        return result.ExitCode;
    }
}
