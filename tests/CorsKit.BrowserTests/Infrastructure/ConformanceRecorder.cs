using CorsKit.BrowserTests.Engines;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// The passing runs of every engine in this test process, for the conformance report: each engine's collection adds
/// its runs, and the report written after the last one covers all engines.
/// </summary>
internal static class ConformanceRecorder
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<Engine, string> VersionsByEngine = [];
    private static readonly HashSet<Engine> FinishedEngines = [];
    private static readonly List<ScenarioRun> Runs = [];

    public static void Started(Engine engine, string version)
    {
        lock (Gate) VersionsByEngine[engine] = version;
    }

    public static void Passed(ScenarioRun run)
    {
        lock (Gate) Runs.Add(run);
    }

    public static void Finished(Engine engine)
    {
        lock (Gate) FinishedEngines.Add(engine);
    }

    public static IReadOnlyDictionary<Engine, string> Versions
    {
        get
        {
            lock (Gate) return new Dictionary<Engine, string>(VersionsByEngine);
        }
    }

    public static IReadOnlyList<ScenarioRun> PassedRuns
    {
        get
        {
            lock (Gate) return [.. Runs];
        }
    }

    public static bool AllEnginesFinished
    {
        get
        {
            lock (Gate) return Enum.GetValues<Engine>().All(FinishedEngines.Contains);
        }
    }
}
