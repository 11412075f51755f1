using System.Reflection;
using CorsKit.Tests.PublicApi;

namespace CorsKit.PostgreSql.Tests;

/// <summary>
/// The public surface of CorsKit.PostgreSql.dll is listed in src/CorsKit.PostgreSql/PublicAPI.txt, checked the way
/// CorsKit.dll's is (tests/CorsKit.Tests/PublicApi), with the same writer.
/// </summary>
public sealed class PublicApiTests(ITestOutputHelper output)
{
    private const string UpdateVariable = "CORSKIT_UPDATE_PUBLIC_API";

    private const string UpdateCommand = UpdateVariable + "=1 dotnet test tests/CorsKit.PostgreSql.Tests --filter PublicApi";

    private static readonly string[] Header =
    [
        "# The public API of CorsKit.PostgreSql.dll, one line per type or member (tests/CorsKit.PostgreSql.Tests/PublicApiTests.cs).",
        "# A change to the public surface fails that test until this file is regenerated on purpose, from the repository root:",
        "#   " + UpdateCommand,
        "# Review the diff, and note additions, changes and removals in src/CorsKit/CHANGELOG.md.",
    ];

    private static Assembly Library => typeof(CorsKitPostgreSqlOptions).Assembly;

    [Fact]
    public void Public_api_matches_the_committed_baseline()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "CorsKit.sln"))) root = root.Parent!;
        var path = Path.Combine(root.FullName, "src", "CorsKit.PostgreSql", "PublicAPI.txt");
        var current = Header.Concat(PublicApiWriter.Describe(Library)).ToList();

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{UpdateVariable}=1 is set in CI: the baseline is reviewed in a commit.");
            File.WriteAllText(path, string.Join('\n', current) + "\n");
            output.WriteLine($"Rewrote {path} ({current.Count - Header.Length} lines). Review it with git diff.");
        }

        var baseline = File.Exists(path) ? File.ReadAllLines(path) : [];
        if (!baseline.SequenceEqual(current, StringComparer.Ordinal))
        {
            Assert.Fail($"The public API of CorsKit.PostgreSql.dll differs from {path} ('-' baseline, '+' current):\n\n"
                + LineDiff.Unified(baseline, current) + $"\nIf the change is intended, regenerate the baseline:\n  {UpdateCommand}\n");
        }
    }

    [Fact]
    public void Internal_machinery_is_not_public()
    {
        Library.GetExportedTypes().Should().NotBeEmpty()
            .And.NotContain(t => t.Namespace != null && t.Namespace.StartsWith("CorsKit.PostgreSql.Internal", StringComparison.Ordinal));
    }
}
