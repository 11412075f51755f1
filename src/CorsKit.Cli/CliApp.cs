using System.CommandLine;
using CorsKit.Cli.Check;
using CorsKit.Cli.Output;

namespace CorsKit.Cli;

/// <summary>
/// The <c>corskit</c> command line. Exit codes: 0 the browser would allow the request (or the policy allows it),
/// 1 it would block it, 2 usage, configuration or network error.
/// </summary>
internal static class CliApp
{
    public const int UsageError = 2;

    /// <summary>Runs the command line. Tests pass their own writers and an HTTP handler (a TestServer's, a fake).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CliEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        environment ??= new CliEnvironment();
        var root = new RootCommand("corskit: check an endpoint's CORS answers the way a browser would, and explain a CorsKit policy offline.")
        {
            CheckCommand.Create(output, error, environment),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count != 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"corskit: {parseError.Message}");
            }
            await error.WriteLineAsync("Run 'corskit --help' for usage.");
            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}

/// <summary>What the command line takes from its surroundings; tests replace both.</summary>
internal sealed class CliEnvironment
{
    /// <summary>Creates the HTTP handler; null means a real network handler that does not follow redirects.</summary>
    public Func<HttpMessageHandler>? CreateHandler { get; init; }

    /// <summary>Whether to colour output; null means: only on a terminal, and never with NO_COLOR.</summary>
    public bool? Color { get; init; }

    internal bool UseColor(bool noColorOption) => Color ?? Terminal.ColorWanted(noColorOption);
}

/// <summary><c>corskit check URL --origin O [...]</c>.</summary>
internal static class CheckCommand
{
    public static Command Create(TextWriter output, TextWriter error, CliEnvironment environment)
    {
        var url = new Argument<string>("url") { Description = "The URL to fetch, e.g. http://127.0.0.1:5100/api/hello." };
        var origin = new Option<string>("--origin", "-o")
        {
            Description = "The origin of the page that fetches, e.g. http://127.0.0.1:5101 (scheme://host[:port], or null).",
            Required = true,
        };
        var method = new Option<string>("--method", "-X") { Description = "The request method.", DefaultValueFactory = _ => "GET" };
        var headers = new Option<string[]>("--header", "-H")
        {
            Description = "A header script sets, as name:value (or just name for an empty value). Repeatable.",
        };
        var credentials = new Option<bool>("--credentials") { Description = "Fetch with credentials: 'include' (cookies, HTTP authentication)." };
        var bodyType = new Option<string?>("--body-type") { Description = "The body's content type, e.g. application/json (decides whether a preflight is needed)." };
        var data = new Option<string?>("--data", "-d") { Description = "A text body to send with the request (not with GET or HEAD)." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (schema in docs/cli.md)." };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds allowed for the whole check, preflight and redirects included.",
            DefaultValueFactory = _ => 10,
        };
        timeout.Validators.Add(result =>
        {
            var seconds = result.GetValueOrDefault<double>();
            if (seconds is <= 0 or > 3600 || double.IsNaN(seconds)) result.AddError("--timeout must be a number of seconds above 0 and at most 3600.");
        });
        var noColor = new Option<bool>("--no-color") { Description = "Do not colour the output (also: NO_COLOR=1, or a redirected output)." };

        var command = new Command("check", "Fetch a URL the way a browser would from a page at --origin, and say whether the browser would allow it. "
            + "Exit code 0: allowed, 1: blocked, 2: usage or network error.")
        {
            url, origin, method, headers, credentials, bodyType, data, json, timeout, noColor,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = BuildRequest(parse.GetRequiredValue(url), parse.GetRequiredValue(origin), parse.GetRequiredValue(method),
                parse.GetValue(headers) ?? [], parse.GetValue(credentials), parse.GetValue(bodyType), parse.GetValue(data),
                parse.GetValue(timeout), out var usageError);
            if (request is null)
            {
                await error.WriteLineAsync($"corskit check: {usageError}");
                return CliApp.UsageError;
            }

            CorsCheckResult result;
            if (environment.CreateHandler is null)
            {
                result = await CorsCheckEngine.CheckAsync(request, cancellationToken);
            }
            else
            {
                using var handler = environment.CreateHandler();
                result = await CorsCheckEngine.CheckAsync(request, handler, cancellationToken);
            }

            if (parse.GetValue(json))
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

    private static CorsCheckRequest? BuildRequest(string url, string origin, string method, string[] headerArgs, bool credentials,
        string? bodyType, string? data, double timeoutSeconds, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            error = $"'{url}' is not an absolute URL (e.g. http://127.0.0.1:5100/api/hello).";
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in headerArgs)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var name = (colon < 0 ? header : header[..colon]).Trim();
            var value = colon < 0 ? string.Empty : header[(colon + 1)..];
            if (name.Length == 0)
            {
                error = $"--header '{header}' has no name: write name:value.";
                return null;
            }
            headers.Add(new(name, value));
        }

        return new CorsCheckRequest
        {
            Url = uri,
            Origin = origin,
            Method = method,
            Headers = headers,
            Credentials = credentials,
            BodyType = bodyType,
            Body = data,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        };
    }
}
