using System.Text;
using CorsKit.Net11Tests.Infrastructure;
using Xunit.Abstractions;
using static CorsKit.Net11Tests.Infrastructure.Apps;

namespace CorsKit.Net11Tests;

/// <summary>
/// The same form posts against the same policies written with CorsKit and with Microsoft's CORS middleware: the CSRF
/// protection of ASP.NET Core 11 reaches the same verdict for both, except where Microsoft's own CSRF check and CORS
/// middleware disagree (UseCors(name)), where CorsKit follows its middleware.
/// </summary>
[Trait("Runtime", "11")]
public sealed class MicrosoftParityTests(ITestOutputHelper output)
{
    private const string Own = "(own origin)";

    /// <param name="Pipeline">The policy named in UseCorsKit(name) / UseCors(name), or null.</param>
    /// <param name="Microsoft">Where Microsoft's verdict differs from CorsKit's on purpose: its status.</param>
    private sealed record Case(string Name, string Path, string? Origin, string? SecFetchSite, int Expected, string? Pipeline = null, int? Microsoft = null)
    {
        public int MicrosoftExpected => Microsoft ?? Expected;
    }

    private static readonly Case[] Cases =
    [
        new("allowed credentialed origin, minimal API [FromForm]", "/comments", AppOrigin, "cross-site", 200),
        new("allowed credentialed origin, MVC action", "/mvc/comments", AppOrigin, "cross-site", 200),
        new("allowed credentialed origin, Sec-Fetch-Site: same-site", "/comments", AppOrigin, "same-site", 200),
        new("allowed credentialed origin, no Sec-Fetch-Site (older browser)", "/comments", AppOrigin, null, 200),
        new("subdomain pattern", "/comments", TenantOrigin, "cross-site", 200),
        new("unlisted origin, minimal API", "/comments", UnlistedOrigin, "cross-site", 400),
        new("unlisted origin, MVC action", "/mvc/comments", UnlistedOrigin, "cross-site", 400),
        new("unlisted origin, no Sec-Fetch-Site", "/comments", UnlistedOrigin, null, 400),
        new("unlisted origin, Sec-Fetch-Site: none", "/comments", UnlistedOrigin, "none", 200),
        new("look-alike: allowed host as a prefix", "/comments", "http://app.localhost.evil.localhost:3000", "cross-site", 400),
        new("look-alike: other scheme", "/comments", "https://app.localhost:3000", "cross-site", 400),
        new("look-alike: other port", "/comments", "http://app.localhost:30000", "cross-site", 400),
        new("look-alike: pattern's own domain", "/comments", "http://tenants.localhost:3000", "cross-site", 400),
        new("look-alike: pattern domain as a prefix", "/comments", "http://eu.tenants.localhost.evil.localhost:3000", "cross-site", 400),
        new("origin null", "/comments", "null", "cross-site", 400),
        new("policy without credentials, its origin", "/public/comments", PublicOrigin, "cross-site", 400),
        new("any-origin policy", "/open/comments", AppOrigin, "cross-site", 400),
        new("disabled endpoint", "/internal/comments", AppOrigin, "cross-site", 400),
        new("same-origin", "/comments", Own, "same-origin", 200),
        new("same-origin, no Sec-Fetch-Site", "/comments", Own, null, 200),
        new("same-origin to a disabled endpoint", "/internal/comments", Own, "same-origin", 200),
        new("no Origin, no Sec-Fetch-Site (non-browser client)", "/comments", null, null, 200),
        new("named endpoint policy, its origin", "/partner/comments", PartnerOrigin, "cross-site", 200),
        new("named endpoint policy, the default's origin", "/partner/comments", AppOrigin, "cross-site", 400),
        new("named policy on an MVC controller, its origin", "/mvc/partner/comments", PartnerOrigin, "cross-site", 200),
        new("named policy on an MVC controller, the default's origin", "/mvc/partner/comments", AppOrigin, "cross-site", 400),
        new("inline endpoint policy, its origin", "/inline/comments", InlineOrigin, "cross-site", 200),
        new("inline endpoint policy, the default's origin", "/inline/comments", AppOrigin, "cross-site", 400),
        // The one difference: ASP.NET Core's CSRF check never learns the name given to UseCors(name) and judges by
        // Microsoft's default policy, while its CORS middleware applies the named one. CorsKit judges by the policy its
        // middleware applies, UseCorsKit(name) included.
        new("pipeline policy (UseCorsKit(name) / UseCors(name)), its origin", "/comments", PartnerOrigin, "cross-site", 200, "partner", Microsoft: 400),
        new("pipeline policy, the default's origin", "/comments", AppOrigin, "cross-site", 400, "partner", Microsoft: 200),
    ];

    [Fact]
    public async Task CorsKit_gets_the_CSRF_verdicts_of_Microsofts_middleware_and_follows_UseCorsKit_name()
    {
        var corsKit = await RunAsync(CorsKitAsync(), CorsKitAsync("partner"));
        var microsoft = await RunAsync(MicrosoftAsync(), MicrosoftAsync("partner"));

        var table = new StringBuilder("| case | Origin | Sec-Fetch-Site | expected CorsKit / Microsoft | CorsKit | Microsoft |\n|---|---|---|---|---|---|\n");
        var mismatches = new List<string>();
        for (var i = 0; i < Cases.Length; i++)
        {
            var c = Cases[i];
            table.Append($"| {c.Name} | {c.Origin ?? "(none)"} | {c.SecFetchSite ?? "(none)"} | {c.Expected} / {c.MicrosoftExpected} | {corsKit[i]} | {microsoft[i]} |\n");
            if (corsKit[i] != c.Expected || microsoft[i] != c.MicrosoftExpected)
            {
                mismatches.Add($"{c.Name}: expected CorsKit {c.Expected} and Microsoft {c.MicrosoftExpected}, got CorsKit {corsKit[i]} and Microsoft {microsoft[i]}");
            }
        }

        output.WriteLine(table.ToString());
        mismatches.Should().BeEmpty();
    }

    private static async Task<int[]> RunAsync(Task<KestrelApp> defaultPipeline, Task<KestrelApp> namedPipeline)
    {
        await using var plain = await defaultPipeline;
        await using var named = await namedPipeline;
        var statuses = new int[Cases.Length];
        for (var i = 0; i < Cases.Length; i++)
        {
            var c = Cases[i];
            var app = c.Pipeline is null ? plain : named;
            using var response = await app.PostFormAsync(c.Path, c.Origin == Own ? app.OwnOrigin : c.Origin, c.SecFetchSite);
            statuses[i] = (int)response.StatusCode;
        }

        return statuses;
    }
}
