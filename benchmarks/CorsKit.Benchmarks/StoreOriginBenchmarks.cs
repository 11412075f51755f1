using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Benchmarks;

/// <summary>
/// Issue 19: an allowed actual request to a policy whose origins come from a store (ICorsKitStoreOrigins, what
/// CorsKit.PostgreSql feeds), with 1 or 100,000 store rows; the request's origin is the last row. Microsoft is given
/// the same origins in its policy (its only way to hold them), in the same run.
/// </summary>
public class StoreOriginBenchmarks
{
    public const string RequestOrigin = "https://app.example.com";

    private static readonly RequestDelegate Terminal = static context =>
    {
        context.Response.ContentType = "application/json";
        return Task.CompletedTask;
    };

    private (ServiceProvider Services, RequestDelegate App, ReusableHttpContext Context) _microsoft;
    private (ServiceProvider Services, RequestDelegate App, ReusableHttpContext Context) _corsKit;

    [Params(1, 100_000)]
    public int StoreOrigins { get; set; }

    /// <summary><paramref name="count"/> tenant origins, the last one <see cref="RequestOrigin"/>.</summary>
    internal static string[] TenantOrigins(int count) =>
        Enumerable.Range(1, count - 1).Select(i => $"https://t{i.ToString(CultureInfo.InvariantCulture)}.tenants.example")
            .Append(RequestOrigin).ToArray();

    [GlobalSetup]
    public void Setup()
    {
        var origins = TenantOrigins(StoreOrigins);
        _microsoft = Build(services => services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(origins).WithMethods("PUT"))), app => app.UseCors());
        _corsKit = Build(services => services.AddCorsKit(o => o.AddPolicy("tenants", p => p.AllowOrigins("https://console.example.com").AllowMethods("PUT"))),
            app => app.UseCorsKit("tenants"));
        var result = _corsKit.Services.GetRequiredService<ICorsKitStoreOrigins>()
            .Replace(origins.Select(o => new CorsKitStoreOrigin("tenants", o)), "benchmark.rows");
        if (result.Accepted != StoreOrigins) throw new InvalidOperationException($"{result.Accepted} of {StoreOrigins} rows accepted: {result.Skipped[0]}");

        foreach (var (name, pipeline) in new[] { ("CorsKit", _corsKit), ("Microsoft", _microsoft) })
        {
            Invoke(pipeline);
            var allowed = pipeline.Context.HttpContext.Response.Headers.AccessControlAllowOrigin.ToString();
            Console.WriteLine($"// {StoreOrigins} origins: {name} ACAO={allowed}");
            if (allowed != RequestOrigin) throw new InvalidOperationException($"{name} did not allow the store origin.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _microsoft.Services.Dispose();
        _corsKit.Services.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Microsoft() => Invoke(_microsoft);

    [Benchmark]
    public void CorsKit() => Invoke(_corsKit);

    private static void Invoke((ServiceProvider Services, RequestDelegate App, ReusableHttpContext Context) pipeline)
    {
        pipeline.Context.Reset();
        var task = pipeline.App(pipeline.Context.HttpContext);
        if (!task.IsCompletedSuccessfully) task.GetAwaiter().GetResult();
        pipeline.Context.StartResponse();
    }

    private static (ServiceProvider, RequestDelegate, ReusableHttpContext) Build(Action<IServiceCollection> add, Action<IApplicationBuilder> use)
    {
        var services = new ServiceCollection().AddLogging().AddOptions();
        add(services);
        var provider = services.BuildServiceProvider();
        var app = new ApplicationBuilder(provider);
        use(app);
        app.Run(Terminal);
        var request = new RequestShape("GET", [("Origin", RequestOrigin)]);
        return (provider, app.Build(), new ReusableHttpContext(request, provider));
    }
}

/// <summary>
/// Issue 19: the time to compile a snapshot of store rows (validation of every row, hash sets, the swap), from rows
/// already in memory: the database read is not included. Allocated is what one load allocates; the memory a snapshot
/// keeps is printed by the setup (GC heap before and after one load, the rows' strings included).
/// </summary>
public class StoreSnapshotBenchmarks
{
    private ServiceProvider _services = null!;
    private ICorsKitStoreOrigins _store = null!;
    private CorsKitStoreOrigin[] _rows = [];

    [Params(100_000, 1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddLogging().AddCorsKit(o => o.AddPolicy("tenants", p => p.AllowOrigins("https://console.example.com")))
            .BuildServiceProvider();
        _store = _services.GetRequiredService<ICorsKitStoreOrigins>();

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var rows = StoreOriginBenchmarks.TenantOrigins(Rows).Select(o => new CorsKitStoreOrigin("tenants", o)).ToArray();
        var rowsOnly = GC.GetTotalMemory(forceFullCollection: true);
        var result = _store.Replace(rows, "benchmark.rows");
        var loaded = GC.GetTotalMemory(forceFullCollection: true);
        if (result.Accepted != Rows) throw new InvalidOperationException($"{result.Accepted} of {Rows} rows accepted.");
        Console.WriteLine($"// {Rows} rows: the rows take {Mb(rowsOnly - before)} MB; the compiled snapshot adds {Mb(loaded - rowsOnly)} MB "
            + $"(total retained {Mb(loaded - before)} MB, {(loaded - before) / Rows} B a row)");
        _rows = rows;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public int Load() => _store.Replace(_rows, "benchmark.rows").Accepted;

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
