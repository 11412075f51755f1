using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CorsKit.SecurityTests.Infrastructure;
using CorsKit.SecurityTests.Model;

namespace CorsKit.SecurityTests.Differential;

/// <summary>One disagreement between the middleware and the model, with what is needed to replay it.</summary>
internal sealed record Disagreement(int Seed, int PolicyIndex, int RequestIndex, PolicySpec Policy, RequestShape? Request, IReadOnlyList<string> Problems)
{
    public override string ToString() =>
        $"seed {Seed}, policy #{PolicyIndex}, request #{RequestIndex}" + Environment.NewLine +
        $"  replay: CORSKIT_DIFF_SEED={Seed} CORSKIT_DIFF_POLICY={PolicyIndex}" + Environment.NewLine +
        $"  policy: {Policy}" + Environment.NewLine +
        (Request is null ? string.Empty : $"  request: {Request}" + Environment.NewLine) +
        string.Concat(Problems.Select(p => "  - " + p + Environment.NewLine));
}

internal sealed record DifferentialResult(long Pairs, long Preflights, long AllowedPreflights, long AllowedByModel, long LogLines, TimeSpan Elapsed, long DisagreeingPairs, IReadOnlyList<Disagreement> Examples, IReadOnlyDictionary<string, long> ProblemCounts);

/// <summary>
/// Runs random (policy, request) pairs through the real middleware and the model. Policies are numbered; policy i is
/// generated from its own seed derived from (seed, i), so any policy can be replayed alone, and runs with different
/// pair counts share their first policies.
/// </summary>
internal static class DifferentialRun
{
    public const int RequestsPerPolicy = 1000;

    public static DifferentialResult Execute(int seed, long pairs, int? onlyPolicy = null, int maxExamples = 10)
    {
        var policyCount = (int)((pairs + RequestsPerPolicy - 1) / RequestsPerPolicy);
        var examples = new ConcurrentQueue<Disagreement>();
        var problemCounts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long done = 0, preflights = 0, allowedPreflights = 0, allowed = 0, logLines = 0, disagreeing = 0;
        var stopwatch = Stopwatch.StartNew();

        void RunPolicy(int index)
        {
            var random = new Random(PolicySeed(seed, index));
            var generated = RandomPolicies.Next(random);
            var model = new CorsModel(generated.Spec);
            var badPredicateCalls = new ConcurrentQueue<string>();
            var requests = onlyPolicy is null ? (int)Math.Min(RequestsPerPolicy, pairs - ((long)index * RequestsPerPolicy)) : RequestsPerPolicy;

            void Report(int requestIndex, RequestShape? request, IReadOnlyList<string> problems)
            {
                Interlocked.Increment(ref disagreeing);
                var isNewKind = false;
                foreach (var problem in problems)
                {
                    isNewKind |= problemCounts.AddOrUpdate(Category(problem), 1, (_, n) => n + 1) == 1;
                }

                // Keep the first example of every kind of problem, then fill up to the limit.
                if (isNewKind || examples.Count < maxExamples) examples.Enqueue(new Disagreement(seed, index, requestIndex, generated.Spec, request, problems));
            }

            InProcessPipeline pipeline;
            try
            {
                pipeline = InProcessPipeline.Create(generated.Spec, origin =>
                {
                    if (!OriginRules.IsSerializedOrigin(origin)) badPredicateCalls.Enqueue(origin);
                }, withLogging: random.Next(8) == 0);
            }
            catch (Exception ex)
            {
                Report(-1, null, [$"the policy was refused: {ex.GetType().Name}: {ex.Message}"]);
                return;
            }

            using (pipeline)
            {
                for (var i = 0; i < requests; i++)
                {
                    var request = RandomRequests.Next(random, generated);
                    var response = pipeline.Send(request);
                    var problems = ContractCheck.Violations(model, generated.Spec.Credentials, request, response, out var expected);
                    while (badPredicateCalls.TryDequeue(out var origin)) problems.Add($"the predicate was called with a malformed origin {Printable.Quote(origin)}");
                    if (problems.Count > 0) Report(i, request, problems);
                    if (expected.IsPreflight) Interlocked.Increment(ref preflights);
                    if (expected.IsPreflight && expected.Allowed) Interlocked.Increment(ref allowedPreflights);
                    if (model.AllowsOriginHeader(request.Origin)) Interlocked.Increment(ref allowed);
                }

                if (pipeline.Logs is { } logs)
                {
                    Interlocked.Add(ref logLines, logs.Count);
                    foreach (var line in logs.Unsafe) Report(-1, null, [$"unsafe log line: {Printable.Quote(line)}"]);
                }
            }
            Interlocked.Add(ref done, requests);
        }

        if (onlyPolicy is { } single) RunPolicy(single);
        else Parallel.For(0, policyCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, RunPolicy);

        return new DifferentialResult(done, preflights, allowedPreflights, allowed, logLines, stopwatch.Elapsed, disagreeing, examples.ToArray(), problemCounts);
    }

    /// <summary>A fixed mix of the run's seed and the policy's index (HashCode is randomised per process, so not that).</summary>
    public static int PolicySeed(int seed, int index)
    {
        var x = unchecked(((ulong)(uint)seed << 32) ^ (ulong)(uint)index);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return (int)((x ^ (x >> 31)) & 0x7FFFFFFF);
    }

    /// <summary>Groups problems by their first words, so a summary counts kinds rather than individual values.</summary>
    private static string Category(string problem)
    {
        var cut = problem.IndexOfAny([':', '"', '{', '[']);
        return cut > 0 ? problem[..cut].Trim() : problem;
    }

    public static string Describe(DifferentialResult result, int seed) =>
        string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: {result.Pairs:N0} pairs ({result.Preflights:N0} preflights of which {result.AllowedPreflights:N0} allowed, {result.AllowedByModel:N0} requests with an origin the model allows, {result.LogLines:N0} log lines checked) in {result.Elapsed.TotalSeconds:F1} s, {result.DisagreeingPairs:N0} disagreeing")
        + string.Concat(result.ProblemCounts.OrderByDescending(p => p.Value).Select(p => Environment.NewLine + $"  {p.Value,10:N0}  {p.Key}"));
}
