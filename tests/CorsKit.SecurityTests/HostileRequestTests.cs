using CorsKit.SecurityTests.Infrastructure;
using CorsKit.SecurityTests.Model;

namespace CorsKit.SecurityTests;

/// <summary>The two apps the hostile-request table runs against.</summary>
public sealed class HostileRequestServers : IAsyncLifetime
{
    internal static readonly PolicySpec Strict = new()
    {
        Origins = [HostileRequestTests.Origin],
        Methods = ["PUT"],
        RequestHeaders = ["content-type", "x-trace"],
        Credentials = true,
    };

    internal static readonly PolicySpec Lenient = new()
    {
        Origins = [HostileRequestTests.Origin],
        Methods = ["*"],
        RequestHeaders = ["*"],
        Credentials = true,
    };

    internal TestServerHost StrictHost { get; private set; } = null!;

    internal TestServerHost LenientHost { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        StrictHost = await TestServerHost.StartAsync(Strict);
        LenientHost = await TestServerHost.StartAsync(Lenient);
    }

    public async Task DisposeAsync()
    {
        await StrictHost.DisposeAsync();
        await LenientHost.DisposeAsync();
    }
}

/// <summary>
/// The table of hostile request shapes in docs/security.md, each with its one defined outcome: allowed (204 with
/// CORS headers), refused (403, no Access-Control-* header), or not a preflight (passed to the app). Every row is
/// checked against the reference model too, so the table, the model and the middleware must all agree.
/// </summary>
public sealed class HostileRequestTests(HostileRequestServers servers) : IClassFixture<HostileRequestServers>
{
    internal const string Origin = "https://allowed.com";

    public enum Outcome
    {
        Allowed,
        Refused,
        NotPreflight,
    }

    private sealed record Case(string Policy, RequestShape Request, Outcome Expected, string? AllowHeaders = null, string? AllowMethods = null);

    private static RequestShape Preflight(string method = "PUT", string[]? headers = null, string[]? origin = null) =>
        new("OPTIONS", origin ?? [Origin], [method], headers);

    private static RequestShape PreflightMethods(params string[] methods) => new("OPTIONS", [Origin], methods);

    private static string[] Lines(params string[] lines) => lines;

    private static string Repeat(string element, int count, string separator = ",") => string.Join(separator, Enumerable.Repeat(element, count));

    private static readonly Dictionary<string, Case> Cases = new(StringComparer.Ordinal)
    {
        // Origin
        ["Origin on two lines, both allowed"] = new("strict", Preflight(origin: [Origin, Origin]), Outcome.Refused),
        ["Origin on two lines, allowed then foreign"] = new("strict", Preflight(origin: [Origin, "https://evil.net"]), Outcome.Refused),
        ["Origin on two lines, foreign then allowed"] = new("strict", Preflight(origin: ["https://evil.net", Origin]), Outcome.Refused),
        ["Origin list on one line"] = new("strict", Preflight(origin: [Origin + ", https://evil.net"]), Outcome.Refused),
        ["Origin empty"] = new("strict", Preflight(origin: [""]), Outcome.Refused),
        ["Origin of 513 characters"] = new("strict", Preflight(origin: [Origin + new string('a', 513 - Origin.Length)]), Outcome.Refused),
        ["Origin of 1 MB"] = new("strict", Preflight(origin: [Origin + new string('a', 1 << 20)]), Outcome.Refused),
        ["Origin with non-ASCII"] = new("strict", Preflight(origin: ["https://allowed.c\u00f6m"]), Outcome.Refused),
        ["Origin with NUL"] = new("strict", Preflight(origin: [Origin + "\0"]), Outcome.Refused),
        ["Origin with CR LF"] = new("strict", Preflight(origin: [Origin + "\r\nX: y"]), Outcome.Refused),
        ["Origin null"] = new("strict", Preflight(origin: ["null"]), Outcome.Refused),

        // Access-Control-Request-Method
        ["ACRM absent"] = new("strict", new RequestShape("OPTIONS", [Origin]), Outcome.NotPreflight),
        ["ACRM on two lines"] = new("strict", PreflightMethods("PUT", "PUT"), Outcome.Refused),
        ["ACRM on two lines, lenient policy"] = new("lenient", PreflightMethods("PUT", "DELETE"), Outcome.Refused),
        ["ACRM with a comma"] = new("lenient", Preflight("PUT,DELETE"), Outcome.Refused),
        ["ACRM with a space inside"] = new("lenient", Preflight("PUT DELETE"), Outcome.Refused),
        ["ACRM with a leading space"] = new("strict", Preflight(" PUT"), Outcome.Refused),
        ["ACRM with a trailing space"] = new("strict", Preflight("PUT "), Outcome.Refused),
        ["ACRM empty"] = new("lenient", Preflight(""), Outcome.Refused),
        ["ACRM lower case, method listed upper case"] = new("strict", Preflight("put"), Outcome.Refused),
        ["ACRM lower-case get is not the safelisted GET"] = new("strict", Preflight("get"), Outcome.Refused),
        ["ACRM GET"] = new("strict", Preflight("GET"), Outcome.Allowed, AllowMethods: "PUT"),
        ["ACRM lower case, any method with credentials echoes it"] = new("lenient", Preflight("put"), Outcome.Allowed, AllowMethods: "put"),
        ["ACRM of 64 characters"] = new("lenient", Preflight(new string('M', 64)), Outcome.Allowed, AllowMethods: new string('M', 64)),
        ["ACRM of 65 characters"] = new("lenient", Preflight(new string('M', 65)), Outcome.Refused),
        ["ACRM non-ASCII"] = new("lenient", Preflight("P\u00dcT"), Outcome.Refused),
        ["ACRM with CR"] = new("lenient", Preflight("PU\rT"), Outcome.Refused),
        ["ACRM with NUL"] = new("lenient", Preflight("PUT\0"), Outcome.Refused),
        ["ACRM CONNECT under any method"] = new("lenient", Preflight("CONNECT"), Outcome.Refused),
        ["ACRM trace under any method"] = new("lenient", Preflight("trace"), Outcome.Refused),
        ["ACRM on 10,000 lines"] = new("lenient", PreflightMethods(Enumerable.Repeat("PUT", 10_000).ToArray()), Outcome.Refused),

        // Access-Control-Request-Headers
        ["ACRH split over two lines"] = new("strict", Preflight(headers: Lines("content-type", "x-trace")), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH with duplicates"] = new("strict", Preflight(headers: Lines("x-trace,x-trace,x-trace")), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH unsorted"] = new("strict", Preflight(headers: Lines("x-trace,content-type")), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH upper case"] = new("strict", Preflight(headers: Lines("X-TRACE,Content-Type")), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH with spaces and tabs around elements"] = new("strict", Preflight(headers: Lines(" x-trace ,\tcontent-type\t")), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH with empty elements"] = new("strict", Preflight(headers: Lines("x-trace,,content-type,")), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH of only commas"] = new("strict", Preflight(headers: Lines(",,,")), Outcome.Allowed, AllowHeaders: ""),
        ["ACRH of 64 elements"] = new("strict", Preflight(headers: Lines(Repeat("x-trace", 64))), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH of 65 elements"] = new("strict", Preflight(headers: Lines(Repeat("x-trace", 65))), Outcome.Refused),
        ["ACRH of 64 empty elements"] = new("strict", Preflight(headers: Lines(new string(',', 63))), Outcome.Allowed, AllowHeaders: ""),
        ["ACRH of 65 empty elements"] = new("strict", Preflight(headers: Lines(new string(',', 64))), Outcome.Refused),
        ["ACRH of 10,000 commas"] = new("strict", Preflight(headers: Lines(new string(',', 10_000))), Outcome.Refused),
        ["ACRH of 65 elements over three lines"] = new("strict", Preflight(headers: Lines(Repeat("x-trace", 30), Repeat("x-trace", 30), Repeat("x-trace", 5))), Outcome.Refused),
        ["ACRH on 100 lines"] = new("strict", Preflight(headers: Enumerable.Repeat("x-trace", 100).ToArray()), Outcome.Refused),
        ["ACRH on 10,000 empty lines"] = new("strict", Preflight(headers: Enumerable.Repeat(string.Empty, 10_000).ToArray()), Outcome.Refused),
        ["ACRH of 2048 characters"] = new("strict", Preflight(headers: Lines("x-trace" + new string(' ', 2048 - 7))), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH of 2049 characters"] = new("strict", Preflight(headers: Lines("x-trace" + new string(' ', 2049 - 7))), Outcome.Refused),
        ["ACRH of 2048 characters over two lines"] = new("strict", Preflight(headers: Lines("x-trace" + new string(' ', 1017), "content-type" + new string(' ', 1012))), Outcome.Allowed, AllowHeaders: "content-type, x-trace"),
        ["ACRH of 2050 characters over two lines"] = new("strict", Preflight(headers: Lines("x-trace" + new string(' ', 1018), "content-type" + new string(' ', 1013))), Outcome.Refused),
        ["ACRH of 100 KB"] = new("lenient", Preflight(headers: Lines(new string('a', 100_000))), Outcome.Refused),
        ["ACRH quoted"] = new("strict", Preflight(headers: Lines("\"x-trace\"")), Outcome.Refused),
        ["ACRH with semicolons"] = new("strict", Preflight(headers: Lines("x-trace;content-type")), Outcome.Refused),
        ["ACRH with a space inside an element"] = new("strict", Preflight(headers: Lines("x-trace content-type")), Outcome.Refused),
        ["ACRH non-ASCII"] = new("lenient", Preflight(headers: Lines("x-tr\u00e4ce")), Outcome.Refused),
        ["ACRH with NUL"] = new("lenient", Preflight(headers: Lines("x-trace\0")), Outcome.Refused),
        ["ACRH with CR LF"] = new("lenient", Preflight(headers: Lines("x-trace\r\nx-other")), Outcome.Refused),
        ["ACRH with a vertical tab"] = new("lenient", Preflight(headers: Lines("\vx-trace")), Outcome.Refused),
        ["ACRH with a no-break space"] = new("lenient", Preflight(headers: Lines("\u00a0x-trace")), Outcome.Refused),
        ["ACRH authorization under any header"] = new("lenient", Preflight(headers: Lines("authorization")), Outcome.Refused),
        ["ACRH not listed"] = new("strict", Preflight(headers: Lines("x-trace,x-unknown")), Outcome.Refused),
        ["ACRH any header with credentials echoes the names"] = new("lenient", Preflight(headers: Lines("x-b", "X-A")), Outcome.Allowed, AllowHeaders: "x-b,X-A"),

        // Not a preflight: the app answers, CorsKit only adds headers.
        ["GET with two Origin lines"] = new("strict", new RequestShape("GET", [Origin, Origin]), Outcome.NotPreflight),
        ["GET with CR LF in Origin"] = new("strict", new RequestShape("GET", [Origin + "\r\nX: y"]), Outcome.NotPreflight),
        ["GET carrying hostile ACRM and ACRH"] = new("strict", new RequestShape("GET", [Origin], ["PUT\0"], [new string(',', 10_000)]), Outcome.NotPreflight),
        ["OPTIONS without Origin"] = new("strict", new RequestShape("OPTIONS", null, ["PUT"]), Outcome.NotPreflight),
        ["Method OPTIONS with NUL"] = new("strict", new RequestShape("OPTIONS\0", [Origin], ["PUT"]), Outcome.NotPreflight),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Hostile_request_has_its_documented_outcome(string name)
    {
        var (policy, request, expected, allowHeaders, allowMethods) = Cases[name];
        var spec = policy == "strict" ? HostileRequestServers.Strict : HostileRequestServers.Lenient;
        var host = policy == "strict" ? servers.StrictHost : servers.LenientHost;

        var response = await host.SendAsync(request);

        response.Error.Should().BeNull();
        ContractCheck.Violations(new CorsModel(spec), spec.Credentials, request, response).Should().BeEmpty("the reference model must agree");
        switch (expected)
        {
            case Outcome.Allowed:
                response.Status.Should().Be(204);
                response["Access-Control-Allow-Origin"].ToString().Should().Be(Origin);
                if (allowHeaders is not null) response["Access-Control-Allow-Headers"].ToString().Should().Be(allowHeaders);
                if (allowMethods is not null) response["Access-Control-Allow-Methods"].ToString().Should().Be(allowMethods);
                break;
            case Outcome.Refused:
                response.Status.Should().Be(403);
                response.Headers.Keys.Should().NotContain(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
                response.VaryTokens.Should().Contain("Origin");
                break;
            case Outcome.NotPreflight:
                response.ReachedApp.Should().BeTrue();
                response.Status.Should().Be(200);
                response.Headers.Keys.Should().NotContain(k => k.StartsWith("Access-Control-Allow-Methods", StringComparison.OrdinalIgnoreCase));
                break;
        }
    }
}
