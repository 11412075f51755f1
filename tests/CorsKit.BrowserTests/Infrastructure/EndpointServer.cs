using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorsKit.BrowserTests.Infrastructure;

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
            ApiServer.UseRequestLog(app, log);
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
