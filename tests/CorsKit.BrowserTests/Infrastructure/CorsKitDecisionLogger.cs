using Microsoft.Extensions.Logging;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// Records the decisions CorsKit logs (event name and <see cref="CorsKitReason"/>), so each scenario can show which
/// of CorsKit's reasons stands behind the browser's verdict and console message.
/// </summary>
internal sealed class CorsKitDecisionLogger(RequestLog log) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("CorsKit.", StringComparison.Ordinal) && !categoryName.StartsWith("CorsKit.BrowserTests.", StringComparison.Ordinal)
            ? this
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
        var reason = CorsKitReason.Allowed;
        string? origin = null;
        foreach (var (key, value) in values)
        {
            if (key == "Reason" && value is CorsKitReason logged) reason = logged;
            if (key == "Origin") origin = value?.ToString();
        }

        log.Add(new CorsKitDecision(eventId.Name ?? eventId.Id.ToString(), reason, origin));
    }

    public void Dispose()
    {
    }
}
