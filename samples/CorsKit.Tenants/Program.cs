// CorsKit.Tenants: CORS origins known only at run time.
//
// A multi-tenant API keeps each tenant's web origin in SQLite. The CorsKit policy lists the company's own console
// statically and asks TenantOriginResolver (scoped, reading the database) about every other well-formed origin.
// Answers are cached per origin: "allowed" for 5 minutes, "refused" for 10 seconds. Registering an origin calls
// ICorsKitOriginCache.Invalidate, so a refusal cached a moment earlier does not hold the new tenant back.
//
// Try it (the API listens on 127.0.0.1 only; port 5300, or --Tenants:Port=N):
//   dotnet run --project samples/CorsKit.Tenants
//   curl -si http://127.0.0.1:5300/api/data -H 'Origin: https://shop.tenant-one.example'
//       -> 200, Vary: Origin, no Access-Control-Allow-Origin: the browser would hide the response
//   curl -si -X POST http://127.0.0.1:5300/tenants/origins -H 'Content-Type: application/json' \
//        -d '{"origin": "https://shop.tenant-one.example"}'
//       -> 201 Created
//   curl -si http://127.0.0.1:5300/api/data -H 'Origin: https://shop.tenant-one.example'
//       -> Access-Control-Allow-Origin: https://shop.tenant-one.example, Access-Control-Allow-Credentials: true
//
// The database file is Tenants:Database (default: <local application data>/CorsKit.Tenants/tenants.db).
// In a real service POST /tenants/origins would sit behind authentication; here it is open to keep the sample short.

using System.Net;
using CorsKit;
using CorsKit.Tenants;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel((context, kestrel) =>
    kestrel.Listen(IPAddress.Loopback, context.Configuration.GetValue("Tenants:Port", 5300)));

builder.Services.AddSingleton(services =>
{
    var configured = services.GetRequiredService<IConfiguration>()["Tenants:Database"];
    return new TenantDatabase(configured ?? Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "CorsKit.Tenants", "tenants.db"));
});
builder.Services.AddScoped<TenantOriginResolver>();
builder.Services.AddCorsKit(options => options.AddDefaultPolicy(policy => policy
    .AllowOrigins("https://console.example.com")
    .AllowOriginsFrom<TenantOriginResolver>(resolver =>
    {
        resolver.PositiveTtl = TimeSpan.FromMinutes(5);
        resolver.NegativeTtl = TimeSpan.FromSeconds(10);
    })
    .AllowMethods("PUT", "DELETE")
    .AllowRequestHeaders("content-type", "authorization")
    .ExposeHeaders("x-tenant-count")
    .AllowCredentials()));

var app = builder.Build();
await app.Services.GetRequiredService<TenantDatabase>().EnsureCreatedAsync(CancellationToken.None);

app.UseCorsKit();

app.MapGet("/api/data", (HttpContext context) =>
{
    context.Response.Headers["X-Tenant-Count"] = "1";
    return Results.Ok(new { message = "tenant data", at = DateTimeOffset.UtcNow });
});

app.MapPost("/tenants/origins", async (OriginRegistration registration, TenantDatabase database, ICorsKitOriginCache cache, CancellationToken cancellationToken) =>
{
    if (registration.Problem() is { } problem) return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);

    var origin = registration.Origin!;
    var added = await database.AddAsync(origin, cancellationToken);

    // Without this, a refusal cached before the registration would stand for up to NegativeTtl.
    cache.Invalidate(origin);
    return added ? Results.Created($"/tenants/origins", new { origin }) : Results.Ok(new { origin, alreadyRegistered = true });
});

await app.RunAsync();
