using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// The API the pages call. One server, one CorsKit policy per path prefix (<c>/strict/…</c>, <c>/creds/…</c>, …),
/// reachable as several origins: <c>http://api.localhost:{api}</c>, <c>http://app.localhost:{api}</c> and
/// <c>http://127.0.0.1:{api}</c>. Every request is recorded before CorsKit sees it.
/// </summary>
internal static class ApiServer
{
    /// <summary>The page origin every exact-origin policy allows.</summary>
    public const string AppOrigin = "http://app.localhost:{page}";

    /// <summary>The session cookie /login sets and /me expects.</summary>
    public const string SessionCookie = "session=s1";

    public static Task<KestrelHost> StartAsync(PortNames ports, RequestLog log) => KestrelHost.StartAsync(
        portCount: 1,
        configureServices: builder =>
        {
            builder.Services.AddCorsKit(options => AddPolicies(options, ports));
        },
        configurePipeline: app =>
        {
            UseRequestLog(app, log);

            // Outside CorsKit, as apps usually place it: the 500 it writes must still carry CORS headers.
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = context => context.Response.WriteAsync("server error"),
            });

            UseMisbehavingLayers(app);

            foreach (var policy in PolicyNames)
            {
                var prefix = "/" + policy;
                app.UseWhen(context => context.Request.Path.StartsWithSegments(prefix), branch => branch.UseCorsKit(policy));
            }

            MapEndpoints(app);
        });

    /// <summary>Each policy serves the requests under <c>/{name}/</c>.</summary>
    public static readonly string[] PolicyNames =
    [
        "strict", "readonly", "lowercase", "public", "public-auth", "creds", "creds-any", "cached", "uncached", "tenants",
        "ports", "previews", "guarded", "proxied", "day-cache", "five-minute-cache",
    ];

    /// <summary>
    /// The policy the debug-mode scenarios compare: the same on this server (normal mode) and on
    /// <see cref="DebugServer"/> (debug mode). PUT and X-Custom are allowed; DELETE and X-Secret are not.
    /// </summary>
    public static void Guarded(CorsKitPolicyBuilder policy, string appOrigin) =>
        policy.AllowOrigins(appOrigin).AllowMethods("PUT").AllowRequestHeaders("x-custom");

    /// <summary>Any origin, method and header (Authorization excepted), every response header exposed.</summary>
    public static void Public(CorsKitPolicyBuilder policy) => policy.AllowAnyOrigin().AllowAnyMethod().AllowAnyRequestHeader().ExposeHeaders("*");

    private static void AddPolicies(CorsKitOptions options, PortNames ports)
    {
        var app = ports.Expand(AppOrigin);
        options.AddPolicy("strict", policy => policy
            .AllowOrigins(app)
            .AllowMethods("PUT", "DELETE", "PATCH")
            .AllowRequestHeaders("content-type", "x-custom")
            .ExposeHeaders("x-total-count"));
        options.AddPolicy("readonly", policy => policy.AllowOrigins(app));
        options.AddPolicy("lowercase", policy => policy.AllowOrigins(app).AllowMethods("patch"));
        options.AddPolicy("public", Public);
        options.AddPolicy("public-auth", policy => policy.AllowAnyOrigin().AllowRequestHeaders("*", "authorization"));
        options.AddPolicy("creds", policy => policy
            .AllowOrigins(app)
            .AllowCredentials()
            .AllowMethods("PUT")
            .AllowRequestHeaders("content-type", "x-custom")
            .ExposeHeaders("x-total-count"));
        options.AddPolicy("creds-any", policy => policy.AllowOrigins(app).AllowCredentials().AllowAnyMethod().AllowAnyRequestHeader());
        options.AddPolicy("cached", policy => policy.AllowOrigins(app).AllowMethods("PUT", "DELETE").SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
        options.AddPolicy("uncached", policy => policy.AllowOrigins(app).AllowMethods("PUT").SetPreflightMaxAge(TimeSpan.Zero));
        // PreflightCacheCapTests: the longest max-age CorsKit sends, and one below every engine's cap.
        options.AddPolicy("day-cache", policy => policy.AllowOrigins(app).AllowMethods("PUT").SetPreflightMaxAge(TimeSpan.FromDays(1)));
        options.AddPolicy("five-minute-cache", policy => policy.AllowOrigins(app).AllowMethods("PUT").SetPreflightMaxAge(TimeSpan.FromMinutes(5)));
        options.AddPolicy("tenants", policy => policy.AllowOrigins(ports.Expand("http://*.tenants.localhost:{page}")));
        options.AddPolicy("ports", policy => policy.AllowOrigins("http://app.localhost:*"));
        options.AddPolicy("previews", policy => policy.AllowOriginRegexes(ports.Expand(@"http://pr-[0-9]+\.preview\.localhost:{page}")));
        options.AddPolicy("guarded", policy => Guarded(policy, app));
        options.AddPolicy("proxied", policy => policy.AllowOrigins(app));
    }

    /// <summary>Records each request before anything else sees it, and its answer when the response starts.</summary>
    public static void UseRequestLog(WebApplication app, RequestLog log) => app.Use((context, next) =>
    {
        var arrived = Record(context.Request);
        log.Add(arrived);

        // OnStarting callbacks run last-registered first, so this one sees the headers every later layer wrote.
        var response = context.Response;
        response.OnStarting(() =>
        {
            log.Answered(arrived, response.StatusCode, response.Headers.TryGetValue("X-CorsKit-Reason", out var reason) ? reason.ToString() : null);
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>
    /// Layers in front of the app that break CORS whatever CorsKit answers, as proxies and gateways do
    /// (docs/troubleshooting.md). None of them is CorsKit.
    /// <list type="bullet">
    /// <item><c>/proxied/…</c> and <c>/gateway/…</c>: a proxy that adds <c>Access-Control-Allow-Origin</c> (echoing
    /// the Origin) to every response. Behind it, <c>/proxied/</c> has CorsKit too, so allowed responses carry the
    /// header twice; <c>/gateway/</c> has no CORS middleware, so routing answers a preflight 405.</item>
    /// <item><c>/moved/…</c>: a canonical-host redirect (as http→https or www redirects are) to 127.0.0.1.</item>
    /// <item><c>/wildcard/…</c>: hand-written CORS (no CORS middleware) that answers every preflight with the origin
    /// echoed and <c>Access-Control-Allow-Methods: *</c>, <c>Access-Control-Allow-Headers: *</c>, and every other
    /// request with the origin echoed: what the engines make of <c>*</c> and Authorization.</item>
    /// </list>
    /// </summary>
    private static void UseMisbehavingLayers(WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/moved") && context.Request.Host.Host != "127.0.0.1")
            {
                context.Response.Redirect($"http://127.0.0.1:{context.Connection.LocalPort}{path}{context.Request.QueryString}", permanent: true);
                return Task.CompletedTask;
            }

            if (path.StartsWithSegments("/wildcard") && context.Request.Headers.Origin is [{ } requestOrigin])
            {
                context.Response.Headers.AccessControlAllowOrigin = requestOrigin;
                if (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.AccessControlRequestMethod.Count != 0)
                {
                    context.Response.Headers.AccessControlAllowMethods = "*";
                    context.Response.Headers.AccessControlAllowHeaders = "*";
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return Task.CompletedTask;
                }
            }

            if ((path.StartsWithSegments("/proxied") || path.StartsWithSegments("/gateway")) && context.Request.Headers.Origin is [{ } origin])
            {
                var response = context.Response;
                response.OnStarting(() =>
                {
                    response.Headers.Append("Access-Control-Allow-Origin", origin);
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
    }

    public static void MapEndpoints(WebApplication app)
    {
        // Any method, so the body names the method the browser really sent ("patch" stays lower case).
        app.Map("/{policy}/data", (HttpContext context) =>
        {
            context.Response.Headers["X-Total-Count"] = "42";
            context.Response.Headers["X-Secret"] = "s3cr3t";
            return Results.Text($"{context.Request.Method} ok");
        });

        app.Map("/{policy}/login", (HttpContext context) =>
        {
            context.Response.Headers.SetCookie = SessionCookie + "; Path=/; HttpOnly; SameSite=Lax";
            return Results.Text("logged in");
        });

        // A hand-written authentication check: 401 unless the session cookie came along.
        app.Map("/{policy}/me", (HttpContext context) =>
        {
            if (context.Request.Cookies["session"] == "s1") return Results.Text("hello s1");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Text("anonymous", statusCode: StatusCodes.Status401Unauthorized);
        });

        app.Map("/{policy}/throw", string () => throw new InvalidOperationException("The endpoint failed on purpose."));

        // PUT only, and no CORS middleware before it under /gateway/: routing answers a preflight with 405.
        app.MapPut("/gateway/orders", () => "PUT orders");

        // Redirects to the same path on another origin of this server (127.0.0.1 instead of a *.localhost name).
        app.Map("/{policy}/redirect/{**target}", (HttpContext context, string policy, string target) =>
            Results.Redirect($"http://127.0.0.1:{context.Connection.LocalPort}/{policy}/{target}"));
    }

    public static ArrivedRequest Record(HttpRequest request)
    {
        static string? Single(HttpRequest request, string name) =>
            request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

        return new ArrivedRequest(
            request.Host.Value ?? string.Empty,
            request.Method,
            request.Path + request.QueryString,
            Single(request, "Origin"),
            Single(request, "Access-Control-Request-Method"),
            Single(request, "Access-Control-Request-Headers"),
            Single(request, "Cookie"),
            Single(request, "Authorization"));
    }
}
