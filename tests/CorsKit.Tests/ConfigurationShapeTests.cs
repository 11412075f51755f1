using CorsKit.Tests.Infrastructure;

namespace CorsKit.Tests;

// The shape corpus (Infrastructure/ShapeCorpus.cs) through each real provider. Every shape either behaves over HTTP
// exactly as the same policy in code, or fails at start-up with an error naming the policy, the key and the value,
// whose fix, applied through the same provider, makes the app start and behave. One class per provider, so that
// xUnit runs the providers in parallel.

public abstract class ShapeTests(Provider provider) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-shapes-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    // Shapes is each derived class's own list: xUnit looks the member up on the class that runs the theory, which the
    // analyzer, looking at this class alone, cannot see.
#pragma warning disable xUnit1015
    [Theory]
    [MemberData("Shapes")]
#pragma warning restore xUnit1015
    public Task Shape_behaves_as_documented(string shape) => ShapeCorpus.RunAsync(provider, shape, _directory);
}

public sealed class JsonFileShapeTests() : ShapeTests(Provider.JsonFile)
{
    public static IEnumerable<object[]> Shapes => ShapeCorpus.For(Provider.JsonFile);
}

public sealed class EnvironmentVariableShapeTests() : ShapeTests(Provider.EnvironmentVariables)
{
    public static IEnumerable<object[]> Shapes => ShapeCorpus.For(Provider.EnvironmentVariables);
}

public sealed class CommandLineShapeTests() : ShapeTests(Provider.CommandLine)
{
    public static IEnumerable<object[]> Shapes => ShapeCorpus.For(Provider.CommandLine);
}

public sealed class InMemoryShapeTests() : ShapeTests(Provider.InMemory)
{
    public static IEnumerable<object[]> Shapes => ShapeCorpus.For(Provider.InMemory);
}

/// <summary>The shape tests compare answers; these show that the answers tell every setting apart.</summary>
public sealed class ShapeCorpusFidelityTests
{
    public static IEnumerable<object[]> Keys => ShapeCorpus.Contrasts.Select(c => new object[] { c.Key });

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task The_probes_tell_a_policy_with_the_key_from_one_without(string key)
    {
        var (_, without, with) = ShapeCorpus.Contrasts.Single(c => c.Key == key);

        var a = await ShapeCorpus.OutcomeOf(without);
        var b = await ShapeCorpus.OutcomeOf(with);

        Describe(a).Should().NotEqual(Describe(b), $"'{without}' and '{with}' must answer differently");
    }

    [Fact]
    public void Every_shape_name_is_short_enough_for_the_test_runner_to_show_it_whole() =>
        ShapeCorpus.Cases.Keys.Concat(ShapeCorpus.Contrasts.Select(c => c.Key)).Should().OnlyContain(name => name.Length <= 50);

    private static IReadOnlyList<string> Describe(StartOutcome outcome) => outcome switch
    {
        StartOutcome.Started started => started.Answers,
        StartOutcome.Refused refused => [.. refused.Exception.Errors.Select(e => e.ToString())],
        _ => [],
    };
}
