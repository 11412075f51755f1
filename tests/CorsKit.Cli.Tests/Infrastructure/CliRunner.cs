namespace CorsKit.Cli.Tests.Infrastructure;

/// <summary>The outcome of one in-process run of the command line.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error);

internal static class CliRunner
{
    /// <summary>Runs <c>corskit args</c> in process, without colour, sending HTTP through <paramref name="handler"/>.</summary>
    public static async Task<CliRun> RunAsync(Func<HttpMessageHandler>? handler, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, new CliEnvironment { CreateHandler = handler, Color = false });
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}
