using System.Security.Cryptography;

namespace CorsKit.Demo;

/// <summary>The API: a few endpoints behind CorsKit, whose policy comes from appsettings.json ("CorsKit").</summary>
internal static class ApiApp
{
    private const string SessionCookie = "corskit_demo_session";

    public static WebApplication Build(string[] args, DemoPorts ports)
    {
        var builder = DemoHost.CreateBuilder(args, ports.Api);

        var cors = builder.Configuration.GetSection("CorsKit");
        builder.Services.AddCorsKit(cors);
        AllowTheAllowedPage(builder, cors, ports);

        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<ItemStore>();

        var app = builder.Build();
        app.Use(app.Services.GetRequiredService<RequestLog>().RecordAsync);
        app.UseCorsKit();
        MapEndpoints(app);
        return app;
    }

    /// <summary>
    /// appsettings.json allows http://127.0.0.1:5101. When --allowed-port moves the allowed page, its origin is added
    /// in code: AddPolicy with the configured policy's name adds to that policy rather than replacing it.
    /// </summary>
    private static void AllowTheAllowedPage(WebApplicationBuilder builder, IConfigurationSection cors, DemoPorts ports)
    {
        var policy = cors["DefaultPolicy"]
            ?? throw new DemoStartupException("appsettings.json must name the API's policy in CorsKit:DefaultPolicy.");
        var configured = cors.GetSection($"Policies:{policy}:Origins").Get<string[]>() ?? [];

        if (configured.Contains(ports.RefusedOrigin, StringComparer.Ordinal))
        {
            throw new DemoStartupException(
                $"The refused page's origin {ports.RefusedOrigin} is allowed by appsettings.json (CorsKit:Policies:{policy}:Origins); pick another --refused-port.");
        }

        if (!configured.Contains(ports.AllowedOrigin, StringComparer.Ordinal))
        {
            builder.Services.AddCorsKit(options => options.AddPolicy(policy, p => p.AllowOrigins(ports.AllowedOrigin)));
        }
    }

    private static void MapEndpoints(WebApplication app)
    {
        // (1) A simple request: GET without custom headers, so the browser sends it without a preflight.
        app.MapGet("/api/hello", () => new { message = "Hello from the CorsKit demo API", time = DateTime.Now.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) });

        // (2) JSON POST: Content-Type application/json is not CORS-safelisted, so the browser preflights it.
        app.MapPost("/api/items", (NewItem item, ItemStore store) =>
        {
            var created = store.Add(item.Name);
            return Results.Created($"/api/items/{created.Id}", created);
        });

        // (3a) Sets the session cookie that the credentialed PUT sends back. SameSite=Lax is enough: 127.0.0.1:5101
        // and 127.0.0.1:5100 are the same site (ports do not count), so the browser sends the cookie with fetches
        // that use credentials: 'include'. (SameSite=None would need Secure, i.e. HTTPS.)
        app.MapPost("/api/login", (HttpResponse response) =>
        {
            response.Cookies.Append(SessionCookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Path = "/",
            });
            return new { loggedIn = true };
        });

        // (3b) A PUT with Authorization and the cookie: needs PUT and authorization listed by name, and credentials.
        app.MapPut("/api/items/{id:int}", (int id, NewItem item, HttpRequest request, ItemStore store) =>
        {
            if (request.Headers.Authorization != "Bearer demo")
            {
                return Results.Json(new { error = "expected Authorization: Bearer demo" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (request.Cookies[SessionCookie] is null)
            {
                return Results.Json(new { error = $"no {SessionCookie} cookie: log in first, and send credentials" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var updated = store.Update(id, item.Name);
            return updated is null
                ? Results.NotFound()
                : Results.Ok(new { updated, authorization = "Bearer demo accepted", sessionCookie = "received" });
        });

        // (4) Two custom response headers; the policy exposes X-Total-Count only, so script cannot read X-Internal.
        app.MapGet("/api/items", (HttpResponse response, ItemStore store) =>
        {
            var items = store.All();
            response.Headers["X-Total-Count"] = items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["X-Internal"] = "server-only";
            return items;
        });
    }
}

internal sealed record NewItem(string Name);

internal sealed record Item(int Id, string Name);

/// <summary>In-memory items, enough to give the endpoints something to return.</summary>
internal sealed class ItemStore
{
    private readonly List<Item> _items = [new(1, "first item"), new(2, "second item")];
    private readonly Lock _lock = new();

    public IReadOnlyList<Item> All()
    {
        lock (_lock) return [.. _items];
    }

    public Item Add(string name)
    {
        lock (_lock)
        {
            var item = new Item(_items.Count == 0 ? 1 : _items.Max(i => i.Id) + 1, name);
            _items.Add(item);
            return item;
        }
    }

    public Item? Update(int id, string name)
    {
        lock (_lock)
        {
            var index = _items.FindIndex(i => i.Id == id);
            if (index < 0) return null;
            _items[index] = new Item(id, name);
            return _items[index];
        }
    }
}
