using System.Diagnostics.Metrics;

namespace CorsKit.PostgreSql.Tests.Infrastructure;

/// <summary>Reads the CorsKit.PostgreSql meter of one app (its own IMeterFactory scopes the instruments to it).</summary>
public static class MetricsProbe
{
    /// <summary>Observes the gauges once; the reload histogram's values are those recorded from now on, so a load follows.</summary>
    public static List<(string Name, double Value)> Collect(IServiceProvider services, Func<Task>? whileListening = null)
    {
        var factory = (IMeterFactory)services.GetService(typeof(IMeterFactory))!;
        var results = new List<(string, double)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "CorsKit.PostgreSql" && ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => { lock (results) results.Add((i.Name, v)); });
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => { lock (results) results.Add((i.Name, v)); });
        listener.Start();
        whileListening?.Invoke().GetAwaiter().GetResult();
        listener.RecordObservableInstruments();
        return results;
    }
}
