using System.Globalization;
using CorsKit.SecurityTests.Differential;
using Xunit.Abstractions;

namespace CorsKit.SecurityTests;

/// <summary>
/// Randomised differential testing of the real middleware against the reference model (docs/security.md).
/// CI runs 200,000 pairs with a fixed seed; the environment overrides it:
/// <c>CORSKIT_DIFF_PAIRS=10000000 CORSKIT_DIFF_SEED=7 dotnet test tests/CorsKit.SecurityTests -c Release --filter FullyQualifiedName~DifferentialTests</c>.
/// A failure prints the seed and the policy number; <c>CORSKIT_DIFF_POLICY=n</c> replays that policy alone.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    public const int DefaultSeed = 20261122;
    public const long DefaultPairs = 200_000;

    [Fact]
    public void Middleware_agrees_with_the_reference_model_on_random_policies_and_requests()
    {
        var seed = ReadInt("CORSKIT_DIFF_SEED") ?? DefaultSeed;
        var pairs = ReadLong("CORSKIT_DIFF_PAIRS") ?? DefaultPairs;
        var onlyPolicy = ReadInt("CORSKIT_DIFF_POLICY");

        var result = DifferentialRun.Execute(seed, pairs, onlyPolicy);

        output.WriteLine(DifferentialRun.Describe(result, seed));
        foreach (var example in result.Examples) output.WriteLine(example.ToString());
        result.DisagreeingPairs.Should().Be(0, "every pair must agree; the first disagreements (with replay instructions) are:{0}{1}",
            Environment.NewLine, string.Join(Environment.NewLine, result.Examples));
        result.Pairs.Should().Be(onlyPolicy is null ? pairs : DifferentialRun.RequestsPerPolicy);
    }

    [Fact]
    public void A_seed_replays_the_same_policies_and_requests()
    {
        var first = DifferentialRun.Execute(DefaultSeed, 2_000);
        var second = DifferentialRun.Execute(DefaultSeed, 2_000);

        second.Preflights.Should().Be(first.Preflights);
        second.AllowedByModel.Should().Be(first.AllowedByModel);
        first.AllowedByModel.Should().BeGreaterThan(0, "random requests must include allowed origins, or agreement means little");
    }

    private static int? ReadInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static long? ReadLong(string name) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
