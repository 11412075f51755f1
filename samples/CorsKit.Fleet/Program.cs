// CorsKit.Fleet: tenants' origins in PostgreSQL, shared by every app node, changes live within about a second.
//
// Each node serves the rows of table corskit_origins (policy, origin) on top of the origins its policy lists itself,
// from a compiled snapshot in memory; LISTEN/NOTIFY tells every node to reload when a row changes, however it was
// written (this app's admin endpoints, psql, a migration).
//
// Run two nodes and a throw-away PostgreSQL with one command (Debian's postgresql package; see run.sh):
//   bash samples/CorsKit.Fleet/run.sh
// or one node against your own server (any CorsKitPostgreSqlOptions under Fleet:Store, e.g. --Fleet:Store:Schema=fleet):
//   dotnet run --project samples/CorsKit.Fleet -- --ConnectionStrings:Fleet="Host=127.0.0.1;Username=app;Database=app" --Fleet:Port=5400
//
//   curl -si -X POST http://127.0.0.1:5400/admin/origins -H 'Content-Type: application/json' \
//        -d '{"policy": "tenants", "origin": "https://shop.tenant-one.example"}'      -> 201 (400 with the fix if invalid)
//   curl -si http://127.0.0.1:5401/api/data -H 'Origin: https://shop.tenant-one.example'
//       -> Access-Control-Allow-Origin: https://shop.tenant-one.example, from the other node
//   curl -s http://127.0.0.1:5400/health                                                -> Healthy
//
// In a real service /admin would sit behind authentication; here it is open to keep the sample short.

using System.Net;
using CorsKit;
using CorsKit.PostgreSql;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel.Listen(IPAddress.Loopback, context.Configuration.GetValue("Fleet:Port", 5400)));

var connectionString = builder.Configuration.GetConnectionString("Fleet")
    ?? throw new InvalidOperationException("Set ConnectionStrings:Fleet (e.g. --ConnectionStrings:Fleet=\"Host=127.0.0.1;Username=app\").");
builder.Services.AddCorsKit(options => options.AddPolicy("tenants", policy => policy
    .AllowOrigins("https://console.example.com")
    .AllowMethods("PUT", "DELETE")
    .AllowRequestHeaders("content-type")));
builder.Services.AddCorsKitPostgreSqlOrigins(options =>
{
    // Fleet:Store holds any other option (Schema, Table, Channel, ResyncInterval, StartupMode, ...).
    builder.Configuration.GetSection("Fleet:Store").Bind(options);
    options.ConnectionString = connectionString;
});
builder.Services.AddHealthChecks().AddCorsKitPostgreSql();

var app = builder.Build();
app.UseRouting();
app.UseCorsKit("tenants");

app.MapGet("/api/data", () => Results.Ok(new { node = Environment.ProcessId, time = DateTimeOffset.UtcNow }));
app.MapPost("/admin/origins", async (OriginRow row, CorsKitPostgreSqlOriginAdmin admin) =>
{
    try
    {
        return await admin.AddAsync(row.Policy, row.Origin) ? Results.Created() : Results.Ok();
    }
    catch (CorsKitConfigurationException ex)
    {
        return Results.BadRequest(new { error = ex.Errors.Select(e => new { e.Problem, e.Fix }) });
    }
});
app.MapDelete("/admin/origins", async (string policy, string origin, CorsKitPostgreSqlOriginAdmin admin) =>
    await admin.RemoveAsync(policy, origin) ? Results.NoContent() : Results.NotFound());
app.MapHealthChecks("/health");

app.Run();

internal sealed record OriginRow(string Policy, string Origin);
