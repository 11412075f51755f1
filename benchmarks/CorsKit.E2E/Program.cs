using System.Globalization;
using System.Net;

// The end-to-end target of benchmarks/e2e.sh: the demo API's two hot endpoints on Kestrel, 127.0.0.1 only, behind
// no CORS middleware, Microsoft's, or CorsKit, with the same policy (the demo's: one origin, PUT/DELETE, two request
// headers, one exposed header, credentials). A fourth mode, "headers", writes the response headers CorsKit sends as
// constants, with no check at all: what the bytes of a CORS answer cost by themselves. A fifth mode, "hook", writes
// the same constants, but for actual requests from a Response.OnStarting callback, the hook CorsKit and Microsoft's
// middleware use so that the headers survive whatever the app does to the response before it starts (an exception
// handler clearing it, an endpoint replacing Vary): what the hook costs on Kestrel with no CORS work in it. Logging
// providers are cleared in every mode so the load measures CORS work rather than a console.
var mode = Option(args, "--mode") ?? "corskit";
var port = int.Parse(Option(args, "--port") ?? "5199", CultureInfo.InvariantCulture);
if (mode is not ("none" or "headers" or "hook" or "microsoft" or "corskit"))
{
    Console.Error.WriteLine("--mode must be none, headers, hook, microsoft or corskit.");
    return 2;
}

const string AllowedOrigin = "http://127.0.0.1:5101";
string[] methods = ["PUT", "DELETE"];
string[] requestHeaders = ["authorization", "content-type"];
const string ExposedHeader = "x-total-count";

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
switch (mode)
{
    case "microsoft":
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(AllowedOrigin).WithMethods(methods).WithHeaders(requestHeaders)
            .WithExposedHeaders(ExposedHeader).AllowCredentials()));
        break;
    case "corskit":
        builder.Services.AddCorsKit(options => options.AddDefaultPolicy(policy => policy
            .AllowOrigins(AllowedOrigin).AllowMethods(methods).AllowRequestHeaders(requestHeaders)
            .ExposeHeaders(ExposedHeader).AllowCredentials()));
        break;
}

var app = builder.Build();
if (mode == "headers") app.Use(FixedCorsHeaders.Write);
if (mode == "hook") app.Use(FixedCorsHeaders.WriteOnStarting);
if (mode == "microsoft") app.UseCors();
if (mode == "corskit") app.UseCorsKit();

// The demo API's simple GET (an actual CORS request) and the POST that browsers preflight.
app.MapGet("/api/hello", () => new Hello("Hello from the CorsKit demo API", DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)));
app.MapPost("/api/items", (NewItem item) => Results.Created("/api/items/3", new Item(3, item.Name)));

Console.WriteLine($"CorsKit.E2E listening on http://127.0.0.1:{port} (mode: {mode})");
await app.RunAsync();
return 0;

static string? Option(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

/// <summary>CorsKit's answers for this policy and these requests, written unconditionally.</summary>
internal static class FixedCorsHeaders
{
    private static readonly Func<object, Task> WriteActualCallback = state =>
    {
        WriteActual(((HttpContext)state).Response.Headers);
        return Task.CompletedTask;
    };

    /// <summary>Preflights answered at once; actual requests given their headers before the endpoint runs.</summary>
    public static Task Write(HttpContext context, RequestDelegate next)
    {
        if (TryAnswerPreflight(context)) return Task.CompletedTask;
        WriteActual(context.Response.Headers);
        return next(context);
    }

    /// <summary>Preflights answered at once; actual requests given their headers when the response starts.</summary>
    public static Task WriteOnStarting(HttpContext context, RequestDelegate next)
    {
        if (TryAnswerPreflight(context)) return Task.CompletedTask;
        context.Response.OnStarting(WriteActualCallback, context);
        return next(context);
    }

    private static bool TryAnswerPreflight(HttpContext context)
    {
        if (!HttpMethods.IsOptions(context.Request.Method)) return false;
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "http://127.0.0.1:5101";
        headers.AccessControlAllowCredentials = "true";
        headers.AccessControlAllowMethods = "PUT, DELETE";
        headers.AccessControlAllowHeaders = "authorization, content-type";
        headers.Vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return true;
    }

    private static void WriteActual(IHeaderDictionary headers)
    {
        headers.AccessControlAllowOrigin = "http://127.0.0.1:5101";
        headers.AccessControlAllowCredentials = "true";
        headers.AccessControlExposeHeaders = "x-total-count";
        headers.Vary = "Origin";
    }
}

internal sealed record Hello(string Message, string Time);

internal sealed record NewItem(string Name);

internal sealed record Item(int Id, string Name);
