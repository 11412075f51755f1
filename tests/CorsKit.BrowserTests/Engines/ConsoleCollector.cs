using System.Diagnostics;

namespace CorsKit.BrowserTests.Engines;

/// <summary>
/// The console errors of one page run. Engines log CORS errors asynchronously, often after the script's promise has
/// settled: <see cref="SettleAsync"/> waits for the expected message, then until the console has been quiet for a
/// moment, so the recorded list is complete and the same from run to run.
/// </summary>
internal sealed class ConsoleCollector
{
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly List<string> _errors = [];

    public void Add(string text)
    {
        lock (_lock) _errors.Add(text);
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock) return [.. _errors];
        }
    }

    public async Task SettleAsync(string? expected)
    {
        var waited = Stopwatch.StartNew();
        var lastCount = -1;
        var quietSince = waited.Elapsed;
        while (waited.Elapsed < WaitLimit)
        {
            int count;
            bool expectedSeen;
            lock (_lock)
            {
                count = _errors.Count;
                expectedSeen = expected is null || _errors.Exists(text => text.Contains(expected, StringComparison.Ordinal));
            }

            if (count != lastCount)
            {
                lastCount = count;
                quietSince = waited.Elapsed;
            }
            else if (expectedSeen && waited.Elapsed - quietSince >= QuietPeriod)
            {
                return;
            }

            await Task.Delay(25);
        }
    }
}
