using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Cli.Tests.Audit.Infrastructure;

/// <summary>
/// CORS written by hand, the way apps without a CORS library write it: a middleware that decides with one origin
/// check and sets the headers. Each option is one thing people get right or wrong; <see cref="Correct"/> gets all of
/// them right, and each misconfigured server differs from it in exactly one.
/// </summary>
internal sealed record HandMadeCors
{
    public const string Trusted = "https://app.example.com";

    /// <summary>The origin check.</summary>
    public required Func<string, bool> Allows { get; init; }

    public bool Credentials { get; init; } = true;

    /// <summary>Vary: Origin on every response.</summary>
    public bool Vary { get; init; } = true;

    /// <summary>Echo Access-Control-Request-Headers instead of a fixed list.</summary>
    public bool EchoRequestHeaders { get; init; }

    /// <summary>Echo Access-Control-Request-Method instead of a fixed list.</summary>
    public bool EchoRequestMethod { get; init; }

    /// <summary>Set the headers in the endpoint only, so responses the framework writes (404) have none.</summary>
    public bool OnlyInEndpoint { get; init; }

    /// <summary>Access-Control-Allow-Origin: * and credentials, whatever the Origin.</summary>
    public bool WildcardWithCredentials { get; init; }

    /// <summary>An exact allowlist with every other option right: no finding.</summary>
    public static HandMadeCors Correct { get; } = new() { Allows = origin => origin == Trusted };

    /// <summary>The app: the middleware, then GET /api/data.</summary>
    public void Build(WebApplication app)
    {
        if (!OnlyInEndpoint)
        {
            app.Use(async (context, next) =>
            {
                if (Apply(context) && IsPreflight(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }
                await next(context);
            });
        }
        app.MapGet("/api/data", (HttpContext context) =>
        {
            if (OnlyInEndpoint) Apply(context);
            return Results.Json(new { items = new[] { 1, 2 } });
        });
    }

    /// <summary>Sets the CORS headers; true when the request was answered as a CORS request.</summary>
    private bool Apply(HttpContext context)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        if (Vary) headers.Append("Vary", "Origin");
        var origin = request.Headers.Origin.ToString();
        if (WildcardWithCredentials)
        {
            headers.AccessControlAllowOrigin = "*";
            headers.AccessControlAllowCredentials = "true";
        }
        else if (origin.Length == 0 || !Allows(origin))
        {
            return false;
        }
        else
        {
            headers.AccessControlAllowOrigin = origin;
            if (Credentials) headers.AccessControlAllowCredentials = "true";
        }

        if (IsPreflight(request))
        {
            headers.AccessControlAllowMethods = EchoRequestMethod ? request.Headers.AccessControlRequestMethod.ToString() : "GET, POST, PUT";
            headers.AccessControlAllowHeaders = EchoRequestHeaders ? request.Headers.AccessControlRequestHeaders.ToString() : "content-type";
        }
        return true;
    }

    private static bool IsPreflight(HttpRequest request) => HttpMethods.IsOptions(request.Method) && request.Headers.AccessControlRequestMethod.Count != 0;

    /// <summary>
    /// Misconfigurations people deploy, each with the findings the audit must report for it, no more and no fewer.
    /// The trusted origin is <see cref="Trusted"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, (HandMadeCors Cors, string[] Findings)> Misconfigurations { get; } =
        new Dictionary<string, (HandMadeCors, string[])>
        {
            ["reflects the Origin, with credentials"] = (new HandMadeCors { Allows = _ => true }, ["reflects-any-origin", "trusts-null"]),
            ["reflects the Origin, without credentials"] = (new HandMadeCors { Allows = _ => true, Credentials = false }, ["reflects-any-origin", "trusts-null"]),
            // origin.EndsWith("example.com"): evilexample.com, and the http twin, end with it too.
            ["checks EndsWith(\"example.com\")"] = (new HandMadeCors { Allows = origin => origin.EndsWith("example.com", StringComparison.Ordinal) },
                ["suffix-match", "trusts-http"]),
            ["checks StartsWith(\"https://app.example.com\")"] = (new HandMadeCors { Allows = origin => origin.StartsWith(Trusted, StringComparison.Ordinal) },
                ["prefix-match"]),
            // origin.Contains("app.example.com"): a sibling ending with it, a name starting with it, and the http twin.
            ["checks Contains(\"app.example.com\")"] = (new HandMadeCors { Allows = origin => origin.Contains("app.example.com", StringComparison.Ordinal) },
                ["suffix-match", "prefix-match", "trusts-http"]),
            ["matches the regex ^https://app.example.com$ with unescaped dots"] = (
                new HandMadeCors { Allows = origin => Regex.IsMatch(origin, "^https://app.example.com$") }, ["unescaped-dot"]),
            ["trusts the http twin"] = (new HandMadeCors { Allows = origin => origin is Trusted or "http://app.example.com" }, ["trusts-http"]),
            ["trusts null (for local files)"] = (new HandMadeCors { Allows = origin => origin is Trusted or "null" }, ["trusts-null"]),
            // The host read up to the first character that is not a letter, digit, dot or hyphen.
            ["reads the host with a lenient pattern"] = (
                new HandMadeCors { Allows = origin => Regex.Match(origin, "^https://([a-z0-9.-]+)").Groups[1].Value == "app.example.com" },
                ["special-characters"]),
            ["sends no Vary: Origin"] = (Correct with { Vary = false }, ["missing-vary"]),
            ["sends * with credentials"] = (Correct with { WildcardWithCredentials = true }, ["wildcard-with-credentials"]),
            ["echoes the preflight's request headers"] = (Correct with { EchoRequestHeaders = true }, ["preflight-reflects-headers"]),
            ["echoes the preflight's request method"] = (Correct with { EchoRequestMethod = true }, ["preflight-reflects-methods"]),
            ["sets CORS headers in the endpoint only"] = (Correct with { OnlyInEndpoint = true }, ["error-responses-lack-cors"]),
        };
}
