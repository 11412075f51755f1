using System.Diagnostics.Metrics;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// Records every decision CorsKit counts on its <c>corskit.requests</c> metric (kind, outcome, reason), so each
/// scenario can show which of CorsKit's reasons stands behind the browser's verdict and console message. The metric
/// is CorsKit's documented, stable view of its decisions; scenarios run one at a time, so every measurement belongs
/// to the running scenario.
/// </summary>
internal sealed class CorsKitDecisionListener : IDisposable
{
    private const string MeterName = "CorsKit";
    private const string CounterName = "corskit.requests";

    private readonly MeterListener _listener = new();

    public CorsKitDecisionListener(RequestLog log)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == CounterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) => log.Add(ToDecision(tags)));
        _listener.Start();
    }

    private static CorsKitDecision ToDecision(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? kind = null, outcome = null, reason = null;
        foreach (var (key, value) in tags)
        {
            switch (key)
            {
                case "corskit.kind": kind = value as string; break;
                case "corskit.outcome": outcome = value as string; break;
                case "corskit.reason": reason = value as string; break;
            }
        }

        // The tag is the reason in snake_case: "origin_not_allowed" is CorsKitReason.OriginNotAllowed.
        var parsed = Enum.Parse<CorsKitReason>((reason ?? "allowed").Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);
        return new CorsKitDecision(kind ?? "?", outcome ?? "?", parsed);
    }

    public void Dispose() => _listener.Dispose();
}
