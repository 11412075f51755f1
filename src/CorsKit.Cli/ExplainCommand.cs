using System.CommandLine;
using CorsKit.Cli.Check;
using CorsKit.Cli.Explain;
using CorsKit.Cli.Output;

namespace CorsKit.Cli;

/// <summary>
/// <c>corskit explain --config appsettings.json --origin O [...]</c>: CorsKit's decision offline, through the library's
/// own explain API (ICorsKitExplainer), for a policy loaded from configuration as an app loads it.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The JSON configuration file that holds the CorsKit section, e.g. appsettings.json.",
            Required = true,
        };
        var section = new Option<string>("--section") { Description = "The configuration section CorsKit "
            + "reads.", DefaultValueFactory = _ => "CorsKit" };
        var policy = new Option<string?>("--policy", "-p") { Description = "The policy to ask (default: the configuration's DefaultPolicy)." };
        var request = new RequestOptions();
        request.Origin.Description = "The Origin the request carries, e.g. http://127.0.0.1:5101.";
        var webSocket = new Option<bool>("--websocket")
        {
            Description = "Explain the WebSocket handshake of new WebSocket(url) on a page at --origin, instead of a fetch().",
        };

        var command = new Command("explain", "Explain offline what CorsKit answers to a request: the decision, the reason and the headers it would "
            + "send. "
            + "Exit code 0: allowed, 1: refused, 2: usage or configuration error.");
        command.Options.Add(config);
        command.Options.Add(section);
        command.Options.Add(policy);
        request.AddTo(command);
        command.Options.Add(webSocket);

        command.SetAction(async parse =>
        {
            var method = parse.GetRequiredValue(request.Method);
            var usageError = PreparedRequest.CheckMethod(method);
            var isWebSocket = parse.GetValue(webSocket);
            if (isWebSocket && (method != "GET" || parse.GetValue(request.Headers) is { Length: > 0 } || parse.GetValue(request.BodyType) is not null
                    || parse.GetValue(request.Credentials)))
            {
                usageError = "--websocket explains a handshake, which is always a GET with no script headers, body or credentials mode: "
                    + "leave out --method, --header, --body-type and --credentials.";
            }

            var warnings = new List<string>();
            var normalized = FetchRules.NormalizeMethod(method);
            var scriptHeaders = usageError is null ? request.ParseHeaders(parse, out usageError) : null;
            var headers = scriptHeaders is null
                ? null
                : PreparedRequest.PrepareHeaders(scriptHeaders, normalized, parse.GetValue(request.BodyType), null, warnings, out usageError);
            if (headers is null)
            {
                await error.WriteLineAsync($"corskit explain: {usageError}");
                return CliApp.UsageError;
            }

            using var services = PolicyExplanation.Load(
                parse.GetRequiredValue(config), parse.GetRequiredValue(section), out var explainer, out var loadError);
            if (services is null)
            {
                await error.WriteLineAsync($"corskit explain: {loadError}");
                return CliApp.UsageError;
            }

            PolicyExplanation explanation;
            try
            {
                explanation = isWebSocket
                    ? PolicyExplanation.ExplainWebSocket(explainer!, parse.GetValue(policy), parse.GetRequiredValue(request.Origin), warnings)
                    : PolicyExplanation.Explain(explainer!, parse.GetValue(policy), parse.GetRequiredValue(request.Origin), normalized,
                        headers, parse.GetValue(request.Credentials), warnings);
            }
            catch (ArgumentException ex)
            {
                // The explainer names the unknown policy and the known ones; the parameter name is no help here.
                var message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter "
                    + $"'{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
                await error.WriteLineAsync($"corskit explain: {message}");
                return CliApp.UsageError;
            }

            if (parse.GetValue(request.Json)) ExplainReport.WriteJson(output, explanation);
            else ExplainReport.WriteText(output, explanation);
            return explanation.Allowed ? 0 : 1;
        });
        return command;
    }
}
