using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using CorsKit.Benchmarks;

// Every run reports allocations and both floor columns. The job's iterations come from the command line (e.g.
// --job short, or --warmupCount 3 --iterationCount 10); --cpu-clock measures thread CPU time instead of wall time.
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumn(FloorColumn.Ratio, FloorColumn.Net);

// As the default job, it takes the command line's --warmupCount, --iterationCount, etc. (but not --job).
if (args.Contains("--cpu-clock")) config = config.AddJob(Job.Default.WithClock(new ThreadCpuClock()).AsDefault());

var summaries = BenchmarkSwitcher.FromAssembly(typeof(MiddlewareBenchmarks).Assembly)
    .Run(args.Where(arg => arg != "--cpu-clock").ToArray(), config);

// A failed setup (OutcomeCheck) or run must fail the process, so CI's smoke run catches it.
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
