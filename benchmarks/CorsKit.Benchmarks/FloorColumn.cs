using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CorsKit.Benchmarks;

/// <summary>
/// Compares each benchmark with the pass-through <see cref="MiddlewareBenchmarks.Floor"/> of the same case: either as a
/// ratio ("/ Floor") or as the time the middleware adds on top of it ("Net ns").
/// </summary>
internal sealed class FloorColumn : IColumn
{
    private readonly bool _net;

    private FloorColumn(bool net) => _net = net;

    public static readonly FloorColumn Ratio = new(net: false);

    public static readonly FloorColumn Net = new(net: true);

    public string Id => _net ? "NetOfFloor" : "RatioToFloor";

    public string ColumnName => _net ? "Net ns" : "/ Floor";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => _net ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _net
        ? "Mean minus the pass-through floor's mean in the same case: the time the middleware itself adds"
        : "Mean divided by the pass-through floor's mean in the same case";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var floorMean = FloorMean(summary, benchmarkCase);
        if (mean is null || floorMean is null or 0) return "?";
        return _net
            ? (mean.Value - floorMean.Value).ToString("0.0", CultureInfo.InvariantCulture)
            : (mean.Value / floorMean.Value).ToString("0.00", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static double? FloorMean(Summary summary, BenchmarkCase benchmarkCase)
    {
        foreach (var candidate in summary.BenchmarksCases)
        {
            if (candidate.Descriptor.WorkloadMethod.Name == nameof(MiddlewareBenchmarks.Floor)
                && candidate.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo)
            {
                return summary[candidate]?.ResultStatistics?.Mean;
            }
        }
        return null;
    }
}
