using System.CommandLine;

namespace CorsKit.Cli;

/// <summary>The options that describe the browser's request, shared by <c>check</c> and <c>explain</c>.</summary>
internal sealed class RequestOptions
{
    public Option<string> Origin { get; } = new("--origin", "-o")
    {
        Description = "The origin of the page that fetches, e.g. http://127.0.0.1:5101 (scheme://host[:port], or null).",
        Required = true,
    };

    public Option<string> Method { get; } = new("--method", "-X") { Description = "The request method.", DefaultValueFactory = _ => "GET" };

    public Option<string[]> Headers { get; } = new("--header", "-H")
    {
        Description = "A header script sets, as name:value (or just name for an empty value). Repeatable.",
    };

    public Option<bool> Credentials { get; } = new("--credentials") { Description = "Fetch with credentials: 'include' (cookies, HTTP "
        + "authentication)." };

    public Option<string?> BodyType { get; } = new("--body-type")
    {
        Description = "The body's content type, e.g. application/json (decides whether a preflight is needed).",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the result as JSON (schema in docs/cli.md)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Origin);
        command.Options.Add(Method);
        command.Options.Add(Headers);
        command.Options.Add(Credentials);
        command.Options.Add(BodyType);
        command.Options.Add(Json);
    }

    /// <summary>The --header values as name/value pairs, or null with an error for one without a name.</summary>
    public List<KeyValuePair<string, string>>? ParseHeaders(ParseResult parse, out string? error)
    {
        error = null;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in parse.GetValue(Headers) ?? [])
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var name = (colon < 0 ? header : header[..colon]).Trim();
            if (name.Length == 0)
            {
                error = $"--header '{header}' has no name: write name:value.";
                return null;
            }
            headers.Add(new(name, colon < 0 ? string.Empty : header[(colon + 1)..]));
        }
        return headers;
    }
}
