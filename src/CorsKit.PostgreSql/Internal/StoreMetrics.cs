using System.Diagnostics.Metrics;

namespace CorsKit.PostgreSql.Internal;

/// <summary>
/// The <c>CorsKit.PostgreSql</c> meter: <c>corskit.store.origins</c> (rows serving), <c>corskit.store.snapshot.age</c>
/// (seconds since the last complete load), <c>corskit.store.reload.duration</c> (seconds per load, tagged with the
/// reason: start, change, resync, reconnect).
/// </summary>
internal sealed class StoreMetrics
{
    public const string MeterName = "CorsKit.PostgreSql";

    private readonly Histogram<double> _reloadDuration;

    public StoreMetrics(IMeterFactory meters, StoreState state)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("corskit.store.origins", () => state.Accepted, "{origin}", "Store origins serving on this node.");
        meter.CreateObservableGauge<double>(
            "corskit.store.snapshot.age", () => state.Age is { } age ? [new Measurement<double>(age.TotalSeconds)] : [],
            "s", "Time since this node last loaded the store in full.");
        _reloadDuration = meter.CreateHistogram<double>("corskit.store.reload.duration", "s", "Time to read and compile one snapshot.");
    }

    public void Reloaded(TimeSpan duration, string reason) =>
        _reloadDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("reason", reason));
}
