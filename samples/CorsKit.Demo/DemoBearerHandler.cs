using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CorsKit.Demo;

/// <summary>
/// The demo's whole authentication: <c>Authorization: Bearer demo</c> signs in as "demo-user", any other value fails,
/// no header is anonymous. Real apps use JWT bearer or cookies; for CORS only the header matters.
/// </summary>
internal sealed class DemoBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DemoBearer";
    public const string Token = "demo";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count == 0) return Task.FromResult(AuthenticateResult.NoResult());
        if (header.ToString() != $"Bearer {Token}") return Task.FromResult(AuthenticateResult.Fail("Unknown bearer token."));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "demo-user")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>
    /// A 401 with a body that says what to send. CorsKit adds its headers when this response starts, so a page of an
    /// allowed origin can read the 401 and react (sign in again) instead of seeing a network error.
    /// </summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.WriteAsJsonAsync(new { error = $"sign in: send Authorization: Bearer {Token}" });
    }
}
