using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace CorsKit.Benchmarks;

/// <summary>
/// A BenchmarkDotNet clock that reads the CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID) instead of
/// wall time. On a machine shared with other jobs, time slices taken by other processes then do not count against
/// whichever benchmark happened to be running; cache and memory-bandwidth interference still does. Opt in with
/// --cpu-clock (see Program.cs and docs/benchmarks.md).
/// </summary>
public sealed partial class ThreadCpuClock : IClock
{
    private const int ClockThreadCpuTimeId = 3;

    public string Title => "Thread CPU time (CLOCK_THREAD_CPUTIME_ID)";

    public bool IsAvailable => OperatingSystem.IsLinux();

    public Frequency Frequency => Frequency.GHz;

    public long GetTimestamp()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0) throw new InvalidOperationException("clock_gettime failed.");
        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);
}
