using System.CommandLine;
using System.CommandLine.Help;
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
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, CliEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        environment ??= new CliEnvironment();
        // A plain command named "corskit" rather than RootCommand, whose name is the assembly's (CorsKit.Cli).
        var root = new Command("corskit", "corskit: check an endpoint's CORS answers the way a browser would, and explain a CorsKit policy offline.")
        {
            new HelpOption(),
            new VersionOption(),
            CheckCommand.Create(output, error, environment),
            ExplainCommand.Create(output, error),
            Audit.AuditCommand.Create(output, error, environment),
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
