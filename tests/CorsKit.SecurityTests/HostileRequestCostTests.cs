using System.Diagnostics;
using CorsKit.SecurityTests.Infrastructure;
using CorsKit.SecurityTests.Model;
using Xunit.Abstractions;

namespace CorsKit.SecurityTests;

/// <summary>
/// Hostile requests must cost about what a normal one costs. Memory allocated per request is measured exactly (it
/// does not depend on machine load) and must not grow with the input. Time is not asserted here: the house rule is
/// that speed is measured with BenchmarkDotNet, never by timed tests on a shared machine, and the benchmark suite
/// (benchmarks/CorsKit.Benchmarks, case 9: hostile Access-Control-Request-Headers) compares it with a normal preflight.
/// The ratio is still printed for whoever reads the test output. Logging on and off, since CorsKit logs refusals.
/// </summary>
public sealed class HostileRequestCostTests(ITestOutputHelper output)
{
    private const string Origin = "https://allowed.com";

    /// <summary>
    /// A hostile request may allocate this much more than a normal one: the strings of one log line whose value is
    /// escaped and capped at 256 characters (about 4 KB at worst, all control characters), never a copy of the input.
    /// </summary>
    private const long AllocationSlackBytes = 4096;

    private static readonly PolicySpec Policy = new() { Origins = [Origin], Methods = ["PUT"], RequestHeaders = ["content-type", "x-trace"], Credentials = true };

    private static readonly RequestShape NormalPreflight = new("OPTIONS", [Origin], ["PUT"], ["content-type,x-trace"]);

    private static readonly RequestShape NormalActual = new("GET", [Origin]);

    private static readonly Dictionary<string, RequestShape> Cases = new(StringComparer.Ordinal)
    {
        ["ACRH of 100 KB"] = new("OPTIONS", [Origin], ["PUT"], [new string('a', 100_000)]),
        ["ACRH of 10,000 commas"] = new("OPTIONS", [Origin], ["PUT"], [new string(',', 10_000)]),
        ["ACRH on 10,000 empty lines"] = new("OPTIONS", [Origin], ["PUT"], Enumerable.Repeat(string.Empty, 10_000).ToArray()),
        ["ACRH on 100,000 empty lines"] = new("OPTIONS", [Origin], ["PUT"], Enumerable.Repeat(string.Empty, 100_000).ToArray()),
        ["ACRH on 1,000 lines"] = new("OPTIONS", [Origin], ["PUT"], Enumerable.Repeat("x-trace", 1_000).ToArray()),
        ["ACRH of 2048 characters, 64 elements, all allowed"] = new("OPTIONS", [Origin], ["PUT"], [string.Join(',', Enumerable.Repeat("x-trace", 64)).PadRight(2048)]),
        ["ACRM on 10,000 lines"] = new("OPTIONS", [Origin], Enumerable.Repeat("PUT", 10_000).ToArray()),
        ["ACRM of 100 KB"] = new("OPTIONS", [Origin], [new string('M', 100_000)]),
        ["Origin of 1 MB on a preflight"] = new("OPTIONS", [Origin + new string('a', 1 << 20)], ["PUT"]),
        ["Origin on 1,000 lines on a preflight"] = new("OPTIONS", Enumerable.Repeat(Origin, 1_000).ToArray(), ["PUT"]),
        ["Origin of 511 characters ending in a control byte"] = new("OPTIONS", [Origin + new string('a', 511 - Origin.Length - 1) + "\u0001"], ["PUT"]),
        ["Origin of 1 MB on a GET"] = new("GET", [Origin + new string('a', 1 << 20)]),
        ["Origin on 1,000 lines on a GET"] = new("GET", Enumerable.Repeat(Origin, 1_000).ToArray()),
        ["Origin on 4 lines of 1 MB on a GET"] = new("GET", Enumerable.Repeat(Origin + new string('a', 1 << 20), 4).ToArray()),
        ["Origin of 1 MB of CR LF on a GET"] = new("GET", [string.Concat(Enumerable.Repeat("\r\n", 1 << 19))]),
    };

    public static TheoryData<string, bool> CaseNames
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var name in Cases.Keys)
            {
                data.Add(name, false);
                data.Add(name, true);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Hostile_request_costs_about_what_a_normal_request_costs(string name, bool logging)
    {
        using var pipeline = InProcessPipeline.Create(Policy, withLogging: logging);
        var request = Cases[name];
        var baseline = CorsModel.IsPreflight(request) ? NormalPreflight : NormalActual;
        pipeline.Send(request).Error.Should().BeNull();

        // Normal and hostile batches alternate, so both see the same machine; the best round counts.
        var bestRatio = double.MaxValue;
        long normalBytes = long.MaxValue, hostileBytes = long.MaxValue;
        for (var round = 0; round < 10; round++)
        {
            var normal = MeasureBatch(pipeline, baseline);
            var hostile = MeasureBatch(pipeline, request);
            if (round == 0) continue; // warm-up
            bestRatio = Math.Min(bestRatio, hostile.Nanoseconds / Math.Max(normal.Nanoseconds, 500));
            normalBytes = Math.Min(normalBytes, normal.Bytes);
            hostileBytes = Math.Min(hostileBytes, hostile.Bytes);
        }

        output.WriteLine($"time ratio (informative only) {bestRatio:F1}; bytes per request: normal {normalBytes}, hostile {hostileBytes}");
        hostileBytes.Should().BeLessThanOrEqualTo(normalBytes + AllocationSlackBytes, "memory per request must not depend on the input's size");
    }

    /// <summary>Time and bytes per request over one batch of fresh contexts.</summary>
    private static (double Nanoseconds, long Bytes) MeasureBatch(InProcessPipeline pipeline, RequestShape request)
    {
        const int Batch = 100;
        var contexts = new Microsoft.AspNetCore.Http.HttpContext[Batch];
        for (var i = 0; i < Batch; i++) contexts[i] = pipeline.CreateContext(request);

        var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        foreach (var context in contexts) pipeline.Invoke(context);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        return (elapsed.TotalNanoseconds / Batch, bytes / Batch);
    }
}
