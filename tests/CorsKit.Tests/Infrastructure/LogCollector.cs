using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CorsKit.Tests.Infrastructure;

/// <summary>Captures every log entry written through the host's logging, for tests that assert what was logged.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public IEnumerable<LogEntry> WithEvent(string eventName) => Entries.Where(e => e.EventName == eventName);

    /// <summary>Waits (bounded) until an entry with the event name has been logged.</summary>
    public async Task<LogEntry> WaitForAsync(string eventName, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var entry = WithEvent(eventName).FirstOrDefault();
            if (entry is not null) return entry;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No '{eventName}' log entry within the time allowed.");
            await Task.Delay(25);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, eventId.Name, formatter(state, exception), exception));
    }
}

internal sealed record LogEntry(string Category, LogLevel Level, string? EventName, string Message, Exception? Exception);
