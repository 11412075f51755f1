using BenchmarkDotNet.Attributes;

namespace CorsKit.Benchmarks;

/// <summary>
/// One request through each middleware, per case. Microsoft is the baseline, so BenchmarkDotNet's Ratio column reads
/// "this / Microsoft"; the "/ Floor" column reads "this / pass-through".
/// </summary>
public class MiddlewareBenchmarks
{
    private Pipeline _floor = null!;
    private Pipeline _microsoft = null!;
    private Pipeline _corsKit = null!;

    [ParamsAllValues]
    public Scenario Case { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var scenario = ScenarioDefinition.For(Case);
        _floor = new Pipeline(Variant.Floor, scenario);
        _microsoft = new Pipeline(Variant.Microsoft, scenario);
        _corsKit = new Pipeline(Variant.CorsKit, scenario);
        OutcomeCheck.Verify(Case, scenario, _microsoft, _corsKit);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _microsoft.Dispose();
        _corsKit.Dispose();
    }

    [Benchmark]
    public void Floor() => _floor.Invoke();

    [Benchmark(Baseline = true)]
    public void Microsoft() => _microsoft.Invoke();

    [Benchmark]
    public void CorsKit() => _corsKit.Invoke();
}
