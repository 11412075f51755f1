using System.Globalization;
using System.Net;

// The end-to-end target of benchmarks/e2e.sh: the demo API's two hot endpoints on Kestrel, 127.0.0.1 only, behind
// no CORS middleware, Microsoft's, or CorsKit, with the same policy (the demo's: one origin, PUT/DELETE, two request
// headers, one exposed header, credentials). Logging providers are cleared in every mode so the load measures CORS
// work rather than a console.
var mode = Option(args, "--mode") ?? "corskit";
var port = int.Parse(Option(args, "--port") ?? "5199", CultureInfo.InvariantCulture);
if (mode is not ("none" or "microsoft" or "corskit"))
{
    Console.Error.WriteLine("--mode must be none, microsoft or corskit.");
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

internal sealed record Hello(string Message, string Time);

internal sealed record NewItem(string Name);

internal sealed record Item(int Id, string Name);
