using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.Benchmarks;

/// <summary>The middleware under test, each on its own service provider, in front of the same terminal.</summary>
public enum Variant
{
    /// <summary>A pass-through middleware that only calls next: the cost of the harness and the pipeline.</summary>
    Floor,

    /// <summary>Microsoft.AspNetCore.Cors: AddCors(AddDefaultPolicy) + UseCors().</summary>
    Microsoft,

    /// <summary>CorsKit: AddCorsKit(AddDefaultPolicy) + UseCorsKit().</summary>
    CorsKit,
}

/// <summary>A built pipeline and the reusable context it runs on.</summary>
internal sealed class Pipeline : IDisposable
{
    // The endpoint the middleware guards: it sets a content type, as an API endpoint does before its response starts,
    // and writes no body, so only the middleware's work differs between variants.
    private static readonly RequestDelegate Terminal = static context =>
    {
        context.Response.ContentType = "application/json";
        return Task.CompletedTask;
    };

    private readonly ServiceProvider _services;
    private readonly RequestDelegate _app;

    public Pipeline(Variant variant, ScenarioDefinition scenario)
    {
        // Logging is registered with no provider for every variant: both middlewares then skip their log calls, so
        // the figures compare CORS work, not log sinks.
        var services = new ServiceCollection().AddLogging().AddOptions();
        switch (variant)
        {
            case Variant.Microsoft:
                services.AddCors(options => options.AddDefaultPolicy(scenario.Configure));
                break;
            case Variant.CorsKit:
                services.AddCorsKit(options => options.AddDefaultPolicy(scenario.Configure));
                break;
        }

        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = false, ValidateOnBuild = true });
        var app = new ApplicationBuilder(_services);
        switch (variant)
        {
            case Variant.Floor:
                app.Use(static next => context => next(context));
                break;
            case Variant.Microsoft:
                app.UseCors();
                break;
            case Variant.CorsKit:
                app.UseCorsKit();
                break;
        }

        app.Run(Terminal);
        _app = app.Build();
        Context = new ReusableHttpContext(scenario.Request, _services);
    }

    public ReusableHttpContext Context { get; }

    /// <summary>One request: reset, run the pipeline, start the response (firing OnStarting callbacks).</summary>
    public void Invoke()
    {
        Context.Reset();
        var task = _app(Context.HttpContext);
        if (!task.IsCompletedSuccessfully) task.GetAwaiter().GetResult();
        Context.StartResponse();
    }

    public void Dispose() => _services.Dispose();
}
