using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CorsKit.SecurityTests.Infrastructure;

/// <summary>
/// Formats every message as a console logger would, so values taken from requests are really rendered, and keeps
/// the ones that could forge or flood a log line: control characters, other non-ASCII, or unbounded length.
/// </summary>
internal sealed class FormattingLoggerProvider : ILoggerProvider
{
    /// <summary>A log line is CorsKit's fixed text plus request values capped at 256 characters each.</summary>
    public const int MaxMessageLength = 1024;

    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public ConcurrentQueue<string> Unsafe { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Record(string message)
    {
        Interlocked.Increment(ref _count);
        // CorsKit's own truncation marker ("…(N chars)") is the one non-ASCII character a line may hold.
        if (message.Length > MaxMessageLength || message.Any(c => c is (< ' ' or > '~') and not '\u2026'))
        {
            if (Unsafe.Count < 20) Unsafe.Enqueue(message.Length > 300 ? message[..300] + $"…({message.Length} chars)" : message);
        }
    }

    private sealed class Logger(FormattingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Record(formatter(state, exception));
    }
}
