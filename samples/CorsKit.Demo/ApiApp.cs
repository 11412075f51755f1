using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;

namespace CorsKit.Demo;

/// <summary>
/// The API: endpoints behind CorsKit, whose policies come from appsettings.json ("CorsKit"), a tiny bearer scheme,
/// and an MVC controller. Most endpoints use the default policy "frontend"; some pick their own.
/// </summary>
internal static class ApiApp
{
    private const string SessionCookie = "corskit_demo_session";

    /// <param name="args">Command-line arguments, for configuration.</param>
    /// <param name="ports">Where the API and the two pages listen.</param>
    /// <param name="configure">Lets a test swap Kestrel for TestServer before the app is built.</param>
    public static WebApplication Build(string[] args, DemoPorts ports, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = DemoHost.CreateBuilder(args, ports.Api);

        var cors = builder.Configuration.GetSection("CorsKit");
        builder.Services.AddCorsKit(cors);
        FollowTheAllowedPage(builder, cors, ports);

        builder.Services.AddAuthentication(DemoBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, DemoBearerHandler>(DemoBearerHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorization();
        builder.Services.AddControllers();

        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<ItemStore>();
        configure?.Invoke(builder);

        var app = builder.Build();

        // First, so it also records the preflights CorsKit answers without calling the rest of the pipeline.
        app.Use(app.Services.GetRequiredService<RequestLog>().RecordAsync);

        // CorsKit after routing (it reads the endpoint's policy) and before authentication: a preflight never carries
        // credentials, so it must be answered before authorization could refuse it with a 401.
        app.UseRouting();
        app.UseWebSockets();
        app.UseCorsKit();
        app.UseAuthentication();
        app.UseAuthorization();

        MapEndpoints(app);
        app.MapControllers();
        return app;
    }

    /// <summary>
    /// appsettings.json allows http://127.0.0.1:5101 in the policies meant for the allowed page ("frontend",
    /// "reports"). When --allowed-port moves that page, each of those policies also gets its new origin, added in code:
    /// AddPolicy with a configured policy's name adds to that policy rather than replacing it.
    /// </summary>
    private static void FollowTheAllowedPage(WebApplicationBuilder builder, IConfigurationSection cors, DemoPorts ports)
    {
        var follow = new List<string>();
        foreach (var policy in cors.GetSection("Policies").GetChildren())
        {
            var configured = policy.GetSection("Origins").Get<string[]>() ?? [];
            if (configured.Contains(ports.RefusedOrigin, StringComparer.Ordinal))
            {
                throw new DemoStartupException(
                    $"The refused page's origin {ports.RefusedOrigin} is allowed by appsettings.json (CorsKit:Policies:{policy.Key}:Origins); pick another --refused-port.");
            }

            if (configured.Contains(DemoPorts.Defaults.AllowedOrigin, StringComparer.Ordinal)
                && !configured.Contains(ports.AllowedOrigin, StringComparer.Ordinal))
            {
                follow.Add(policy.Key);
            }
        }

        if (follow.Count == 0) return;
        builder.Services.AddCorsKit(options =>
        {
            foreach (var name in follow) options.AddPolicy(name, p => p.AllowOrigins(ports.AllowedOrigin));
        });
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

        // (3b, 4) Requires a signed-in user (Authorization: Bearer demo) and the session cookie from (3a). The browser
        // preflights it (PUT, Authorization, JSON); CorsKit answers that preflight with 204 before authentication
        // runs, since a preflight carries no credentials. Without the token, authorization answers 401; without the
        // cookie (no login, or no credentials: 'include'), the endpoint does. CorsKit's headers are on both 401s.
        app.MapPut("/api/items/{id:int}", (int id, NewItem item, ClaimsPrincipal user, HttpRequest request, ItemStore store) =>
        {
            if (request.Cookies[SessionCookie] is null)
            {
                return Results.Json(new { error = $"no {SessionCookie} cookie: log in first, and send credentials" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var updated = store.Update(id, item.Name);
            return updated is null
                ? Results.NotFound()
                : Results.Ok(new { updated, user = user.Identity?.Name, sessionCookie = "received" });
        }).RequireAuthorization();

        // (5) Two custom response headers; the policy exposes X-Total-Count only, so script cannot read X-Internal.
        app.MapGet("/api/items", (HttpResponse response, ItemStore store) =>
        {
            var items = store.All();
            response.Headers["X-Total-Count"] = items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["X-Internal"] = "server-only";
            return items;
        });

        // (8) An endpoint with its own policy, "admin", which allows only the admin console's origin: the allowed page
        // is refused here, even though the default policy would allow this DELETE and its Authorization header.
        app.MapDelete("/api/admin/cache", (ClaimsPrincipal user) => new { cleared = true, by = user.Identity?.Name })
            .RequireAuthorization()
            .RequireCorsKit("admin");

        // (10) A WebSocket: browsers apply no CORS to the handshake, so CorsKit checks its Origin against the endpoint's
        // policy ("frontend") itself and answers 403 for any other page, before this code runs.
        app.Map("/api/live", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest) return Results.BadRequest(new { error = "open this with new WebSocket(...)" });
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var origin = context.Request.Headers.Origin.ToString();
            var message = $"hello over a WebSocket at {DateTime.Now.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)}, page {origin}";
            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(message), System.Net.WebSockets.WebSocketMessageType.Text, true, context.RequestAborted);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
            return Results.Empty;
        });

        // (9) Not for browsers at all: no CORS headers for any origin. A simple GET still arrives and runs.
        app.MapGet("/api/internal", () => new { status = "healthy", workingSet = Environment.WorkingSet })
            .DisableCorsKit();
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
