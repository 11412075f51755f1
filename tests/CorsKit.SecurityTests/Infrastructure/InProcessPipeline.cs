using CorsKit.SecurityTests.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CorsKit.SecurityTests.Infrastructure;

/// <summary>The response to one request: status, every header, whether the app ran, and what threw.</summary>
internal sealed record ResponseSnapshot(int Status, IReadOnlyDictionary<string, StringValues> Headers, bool ReachedApp, Exception? Error)
{
    public StringValues this[string name] => Headers.TryGetValue(name, out var values) ? values : StringValues.Empty;

    public IEnumerable<string> VaryTokens => this["Vary"]
        .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>
/// The real CorsKit middleware, added through its public entry points (AddCorsKit, UseCorsKit) to a pipeline built
/// once, then invoked directly with one HttpContext per request. Much faster than an HTTP round trip, so hundreds of
/// thousands of requests fit in a test. Response.OnStarting callbacks run, newest first, once the pipeline returns,
/// as a server runs them before it sends the headers.
/// </summary>
internal sealed class InProcessPipeline : IDisposable
{
    public const string AppReachedHeader = "X-Test-App-Reached";
    public const string AppVaryHeader = "X-Test-App-Vary";

    private readonly ServiceProvider _services;
    private readonly RequestDelegate _pipeline;

    private InProcessPipeline(ServiceProvider services, RequestDelegate pipeline, FormattingLoggerProvider? logs)
    {
        _services = services;
        _pipeline = pipeline;
        Logs = logs;
    }

    /// <summary>Every log message CorsKit wrote, formatted, when the pipeline was created with logging on.</summary>
    public FormattingLoggerProvider? Logs { get; }

    public static InProcessPipeline Create(Action<CorsKitOptions> configure, bool withLogging = false)
    {
        var logs = withLogging ? new FormattingLoggerProvider() : null;
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            if (logs is not null)
            {
                logging.AddProvider(logs);
                logging.SetMinimumLevel(LogLevel.Trace);
            }
        });
        services.AddCorsKit(configure);
        var provider = services.BuildServiceProvider();

        var app = new ApplicationBuilder(provider);
        app.UseCorsKit();
        app.Run(App);
        return new InProcessPipeline(provider, app.Build(), logs);
    }

    public static InProcessPipeline Create(PolicySpec policy, Action<string>? predicateSeen = null, bool withLogging = false) =>
        Create(options => options.AddDefaultPolicy(builder => policy.Configure(builder, predicateSeen)), withLogging);

    /// <summary>The app behind CorsKit: answers 200, marks that it ran, and sets Vary when the request asks it to.</summary>
    internal static Task App(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.Headers[AppReachedHeader] = "1";
        if (context.Request.Headers.TryGetValue(AppVaryHeader, out var vary)) context.Response.Headers.Vary = vary;
        return Task.CompletedTask;
    }

    public HttpContext CreateContext(RequestShape request)
    {
        var features = new FeatureCollection();
        var requestFeature = new HttpRequestFeature { Method = request.Method, Path = "/", Scheme = "https", Protocol = "HTTP/1.1" };
        Add(requestFeature.Headers, "Origin", request.Origin);
        Add(requestFeature.Headers, "Access-Control-Request-Method", request.RequestMethod);
        Add(requestFeature.Headers, "Access-Control-Request-Headers", request.RequestHeaders);
        Add(requestFeature.Headers, AppVaryHeader, request.AppVary);
        features.Set<IHttpRequestFeature>(requestFeature);
        var response = new StartableResponseFeature();
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        return new DefaultHttpContext(features);
    }

    /// <summary>Runs the pipeline on a context from <see cref="CreateContext"/>, then starts the response.</summary>
    public void Invoke(HttpContext context)
    {
        var task = _pipeline(context);
        if (!task.IsCompletedSuccessfully) task.GetAwaiter().GetResult();
        ((StartableResponseFeature)context.Features.Get<IHttpResponseFeature>()!).Start();
    }

    public ResponseSnapshot Send(RequestShape request)
    {
        var context = CreateContext(request);
        try
        {
            Invoke(context);
        }
        catch (Exception ex)
        {
            return new ResponseSnapshot(500, new Dictionary<string, StringValues>(), false, ex);
        }

        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Response.Headers)
        {
            if (header.Key != AppReachedHeader) headers[header.Key] = header.Value;
        }
        return new ResponseSnapshot(context.Response.StatusCode, headers, context.Response.Headers.ContainsKey(AppReachedHeader), null);
    }

    private static void Add(IHeaderDictionary headers, string name, string[]? lines)
    {
        if (lines is not null) headers[name] = new StringValues(lines);
    }

    public void Dispose() => _services.Dispose();

    /// <summary>
    /// A response feature that keeps OnStarting callbacks and runs them on <see cref="Start"/>, newest first, while the
    /// headers are still writable (HttpResponseFeature's default ignores them).
    /// </summary>
    private sealed class StartableResponseFeature : HttpResponseFeature
    {
        private List<(Func<object, Task> Callback, object State)>? _starting;
        private bool _started;

        public override bool HasStarted => _started;

        public override void OnStarting(Func<object, Task> callback, object state)
        {
            if (_started) throw new InvalidOperationException("The response has already started.");
            (_starting ??= []).Add((callback, state));
        }

        public void Start()
        {
            if (_starting is not null)
            {
                for (var i = _starting.Count - 1; i >= 0; i--)
                {
                    var task = _starting[i].Callback(_starting[i].State);
                    if (!task.IsCompletedSuccessfully) task.GetAwaiter().GetResult();
                }
            }
            _started = true;
        }
    }
}
