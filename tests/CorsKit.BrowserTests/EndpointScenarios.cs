// Endpoint-specific policies, disabled endpoints and authenticated endpoints. This file is written against the
// endpoint API (RequireCorsKit, DisableCorsKit, [CorsKitPolicy], [DisableCorsKit]) and authentication-safe
// preflights (issue 3). While that API is not in src/CorsKit, CorsKit.BrowserTests.csproj leaves this file out of the
// build; remove the <Compile Remove="EndpointScenarios.cs" /> line to run these scenarios, then regenerate the
// conformance files (see ConformanceReport.Regenerate).
using System.Security.Claims;
using System.Text.Encodings.Web;
using CorsKit.BrowserTests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorsKit.BrowserTests.Scenarios;

internal static partial class ScenarioCatalog
{
    static partial void AddEndpointScenarios(List<Scenario> scenarios) => scenarios.AddRange(EndpointScenarios.All());

    static partial void AddEndpointHosts(List<ExtraHost> hosts) => hosts.Add(new ExtraHost("endpoints", EndpointServer.StartAsync));
}

/// <summary>
/// Scenarios against <see cref="EndpointServer"/>, where CorsKit runs after routing and picks the policy from the
/// endpoint, and authentication runs after CorsKit.
/// </summary>
internal static class EndpointScenarios
{
    private const string Group = "Endpoints";
    private const string Server = "'http://api.localhost:{endpoints}";

    public static IEnumerable<Scenario> All()
    {
        yield return new(Group, "RequireCorsKit gives an endpoint its own policy", Pages.App,
            $"return send({Server}/orders', {{ method: 'PUT' }});", Verdict.Allowed)
        {
            Status = 200, Body = "PUT orders", Preflights = 1, ActualRequests = 1,
            Note = "The default policy allows no PUT; the endpoint's policy does. The preflight must find the PUT endpoint's policy although routing matched no OPTIONS endpoint.",
        };
        yield return new(Group, "An endpoint without its own policy uses the default policy", Pages.App,
            $"return send({Server}/catalog', {{ method: 'PUT' }});", Verdict.Blocked)
        {
            Console = ChromiumSays.PreflightRefused, Reason = CorsKitReason.MethodNotAllowed, Preflights = 1, ActualRequests = 0,
        };
        yield return new(Group, "[CorsKitPolicy] gives an endpoint its own policy", Pages.App,
            $"return send({Server}/attributed', {{ method: 'PUT' }});", Verdict.Allowed)
        {
            Status = 200, Body = "PUT attributed", Preflights = 1, ActualRequests = 1,
        };
        yield return new(Group, "DisableCorsKit: the allowed origin gets no CORS headers", Pages.App,
            $"return send({Server}/internal');", Verdict.Blocked)
        {
            Console = ChromiumSays.NoAllowOrigin, Reason = CorsKitReason.EndpointDisabled, Preflights = 0, ActualRequests = 1,
        };
        yield return new(Group, "[DisableCorsKit]: the allowed origin gets no CORS headers", Pages.App,
            $"return send({Server}/internal-attributed');", Verdict.Blocked)
        {
            Console = ChromiumSays.NoAllowOrigin, Reason = CorsKitReason.EndpointDisabled, Preflights = 0, ActualRequests = 1,
        };
        yield return new(Group, "A preflight to a disabled endpoint is refused", Pages.App,
            $"return send({Server}/internal', {{ method: 'PUT' }});", Verdict.Blocked)
        {
            Console = "Response to preflight request doesn't pass access control check", Reason = CorsKitReason.EndpointDisabled,
            Preflights = 1, ActualRequests = 0,
        };
        yield return new(Group, "A preflight to an authenticated endpoint succeeds, then the authenticated request is readable", Pages.App,
            $"return send({Server}/profile', {{ headers: {{ 'Authorization': 'Bearer good-token' }} }});", Verdict.Allowed)
        {
            Status = 200, Body = "profile of alice", Preflights = 1, ActualRequests = 1,
            Server = requests =>
            {
                requests.Should().ContainSingle(r => r.IsPreflight).Which.Authorization.Should().BeNull("a preflight never carries credentials");
                requests.Should().ContainSingle(r => !r.IsPreflight).Which.Authorization.Should().Be("Bearer good-token");
            },
            Note = "Authentication would answer the credential-less preflight 401; CorsKit answers it first.",
        };
        yield return new(Group, "An authenticated endpoint's 401 for a wrong token is readable", Pages.App,
            $"return send({Server}/profile', {{ headers: {{ 'Authorization': 'Bearer wrong-token' }} }});", Verdict.Allowed)
        {
            Status = 401, Preflights = 1, ActualRequests = 1,
        };
        yield return new(Group, "An authenticated endpoint's 401 without a token is readable", Pages.App,
            $"return send({Server}/profile');", Verdict.Allowed)
        {
            Status = 401, Preflights = 0, ActualRequests = 1,
        };
        yield return new(Group, "A preflight to an authenticated endpoint with its own policy uses that policy", Pages.App,
            $"return send({Server}/admin', {{ method: 'PUT', headers: {{ 'Authorization': 'Bearer good-token' }} }});", Verdict.Allowed)
        {
            Status = 200, Body = "PUT admin by alice", Preflights = 1, ActualRequests = 1,
        };
    }
}

/// <summary>
/// An API with endpoint routing: UseRouting, UseCorsKit (default policy "default", endpoint policy "writers"),
/// UseAuthentication, UseAuthorization. Listens on <c>{endpoints}</c>.
/// </summary>
internal static class EndpointServer
{
    public static Task<KestrelHost> StartAsync(PortNames ports, RequestLog log) => KestrelHost.StartAsync(
        portCount: 1,
        configureServices: builder =>
        {
            builder.Logging.AddProvider(new CorsKitDecisionLogger(log));
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            var app = ports.Expand(ApiServer.AppOrigin);
            builder.Services.AddCorsKit(options =>
            {
                options.AddDefaultPolicy(policy => policy.AllowOrigins(app).AllowRequestHeaders("authorization"));
                options.AddPolicy("writers", policy => policy.AllowOrigins(app).AllowMethods("PUT").AllowRequestHeaders("authorization"));
            });
            builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, configureOptions: null);
            builder.Services.AddAuthorization();
        },
        configurePipeline: app =>
        {
            app.Use((context, next) =>
            {
                log.Add(ApiServer.Record(context.Request));
                return next(context);
            });
            app.UseRouting();
            app.UseCorsKit();
            app.UseAuthentication();
            app.UseAuthorization();

            app.MapPut("/orders", () => "PUT orders").RequireCorsKit("writers");
            app.MapPut("/catalog", () => "PUT catalog");
            app.MapPut("/attributed", [CorsKitPolicy("writers")] () => "PUT attributed");
            app.MapMethods("/internal", ["GET", "PUT"], () => "internal").DisableCorsKit();
            app.MapGet("/internal-attributed", [DisableCorsKit] () => "internal");
            app.MapGet("/profile", (ClaimsPrincipal user) => $"profile of {user.Identity!.Name}").RequireAuthorization();
            app.MapPut("/admin", (ClaimsPrincipal user) => $"PUT admin by {user.Identity!.Name}").RequireAuthorization().RequireCorsKit("writers");
        });
}

/// <summary>A tiny bearer-token scheme: "Bearer good-token" is alice; anything else fails; no header is anonymous.</summary>
internal sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
        if (header != "Bearer good-token") return Task.FromResult(AuthenticateResult.Fail("Unknown token."));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
