using System.Reflection;
using Xunit.Abstractions;

namespace CorsKit.Tests.PublicApi;

/// <summary>
/// The public surface of CorsKit.dll is a contract: it is listed in src/CorsKit/PublicAPI.txt, and any change to it
/// fails here until that file is regenerated on purpose (see <see cref="UpdateCommand"/>).
/// </summary>
public sealed class PublicApiTests(ITestOutputHelper output)
{
    private const string UpdateVariable = "CORSKIT_UPDATE_PUBLIC_API";

    private const string UpdateCommand = UpdateVariable + "=1 dotnet test tests/CorsKit.Tests --filter PublicApi";

    private static readonly string[] Header =
    [
        "# The public API of CorsKit.dll, one line per type or member (tests/CorsKit.Tests/PublicApi/PublicApiTests.cs).",
        "# A change to the public surface fails that test until this file is regenerated on purpose, from the repository root:",
        "#   " + UpdateCommand,
        "# Review the diff, and note additions, changes and removals in src/CorsKit/CHANGELOG.md.",
    ];

    private static Assembly Library => typeof(CorsKitOptions).Assembly;

    [Fact]
    public void Public_api_matches_the_committed_baseline()
    {
        var path = Path.Combine(RepositoryRoot(), "src", "CorsKit", "PublicAPI.txt");
        var current = Header.Concat(PublicApiWriter.Describe(Library)).ToList();

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true",
                $"{UpdateVariable}=1 is set in CI: the baseline must be updated and reviewed in a commit, never rewritten by CI.");
            File.WriteAllText(path, string.Join('\n', current) + "\n");
            output.WriteLine($"Rewrote {path} ({current.Count - Header.Length} lines). Review it with git diff.");
        }

        var baseline = File.Exists(path) ? File.ReadAllLines(path) : [];
        if (!baseline.SequenceEqual(current, StringComparer.Ordinal))
        {
            Assert.Fail(
                $"The public API of CorsKit.dll differs from {path} ('-' baseline, '+' current):\n\n"
                + LineDiff.Unified(baseline, current)
                + $"\nIf the change is intended, regenerate the baseline from the repository root:\n  {UpdateCommand}\n"
                + "then review the diff and record the change in src/CorsKit/CHANGELOG.md.");
        }
    }

    [Fact]
    public void Middleware_and_internal_machinery_are_not_public()
    {
        var exported = Library.GetExportedTypes();

        exported.Should().NotBeEmpty();
        exported.Where(t => t.Namespace?.StartsWith("CorsKit.Internal", StringComparison.Ordinal) == true)
            .Should().BeEmpty("CorsKit.Internal holds the machinery users never touch");
        exported.Where(t => t.Name.EndsWith("Middleware", StringComparison.Ordinal))
            .Should().BeEmpty("the middleware is reached through UseCorsKit(), not constructed by users");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CorsKit.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException($"No CorsKit.sln above {AppContext.BaseDirectory}.");
    }
}
