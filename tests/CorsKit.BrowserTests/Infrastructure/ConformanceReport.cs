using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CorsKit.BrowserTests.Scenarios;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>One scenario as console-messages.json records it.</summary>
internal sealed record ReportEntry(
    string Group,
    string Name,
    string Page,
    string Script,
    string Verdict,
    int? Status,
    string CorsKitReason,
    IReadOnlyList<string> Console);

/// <summary>The whole of console-messages.json.</summary>
internal sealed record ReportFile(string Chromium, string Regenerate, IReadOnlyDictionary<string, string> Placeholders, IReadOnlyList<ReportEntry> Scenarios);

/// <summary>
/// Writes docs/browser-conformance.md and console-messages.json from the runs that passed. Every run writes them to
/// the test output directory; with CORSKIT_UPDATE_CONFORMANCE=1, a run in which every scenario passed also writes
/// them into the repository.
/// </summary>
internal static class ConformanceReport
{
    public const string UpdateVariable = "CORSKIT_UPDATE_CONFORMANCE";
    public const string Regenerate = "CORSKIT_UPDATE_CONFORMANCE=1 dotnet test tests/CorsKit.BrowserTests";
    public const string DocumentPath = "docs/browser-conformance.md";
    public const string MessagesPath = "tests/CorsKit.BrowserTests/console-messages.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // The messages quote URLs and use apostrophes; keep them readable rather than \u0027-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.Ordinal)
    {
        ["{page}"] = "the page server's first port",
        ["{page2}"] = "the page server's second port",
        ["{api}"] = "the API server's port",
        ["{endpoints}"] = "the endpoint-routing API server's port",
        ["{debug}"] = "the port of the API server with CorsKit's debug mode on",
    };

    public static void WriteAfterRun(BrowserFixture fixture)
    {
        var runs = fixture.PassedRuns;
        if (runs.Count == 0) return;
        var byName = runs.ToDictionary(run => run.Scenario.Name, StringComparer.Ordinal);
        var ordered = ScenarioCatalog.All.Where(s => byName.ContainsKey(s.Name)).Select(s => byName[s.Name]).ToList();
        var json = JsonSerializer.Serialize(ToFile(ordered, fixture.BrowserVersion), Json) + "\n";
        var markdown = ToMarkdown(ordered, fixture.BrowserVersion);

        var output = Path.Combine(AppContext.BaseDirectory, "conformance");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, Path.GetFileName(DocumentPath)), markdown);
        File.WriteAllText(Path.Combine(output, Path.GetFileName(MessagesPath)), json);

        if (Environment.GetEnvironmentVariable(UpdateVariable) != "1") return;
        if (ordered.Count != ScenarioCatalog.All.Count)
        {
            Console.Error.WriteLine($"{UpdateVariable}=1: only {ordered.Count} of {ScenarioCatalog.All.Count} scenarios passed; the repository's files were left alone.");
            return;
        }

        var root = RepositoryRoot.Find();
        File.WriteAllText(Path.Combine(root, DocumentPath), markdown);
        File.WriteAllText(Path.Combine(root, MessagesPath), json);
    }

    private static ReportFile ToFile(List<ScenarioRun> runs, string chromium) => new(
        chromium,
        Regenerate,
        Placeholders,
        runs.Select(run => new ReportEntry(
            run.Scenario.Group,
            run.Scenario.Name,
            run.Scenario.Page,
            run.Scenario.Script,
            VerdictName(run.Scenario.Verdict),
            run.Outcome.Ok ? run.Outcome.Status : null,
            ReasonName(run.Scenario),
            run.ConsoleErrors)).ToList());

    public static string VerdictName(Verdict verdict) => verdict == Verdict.Allowed ? "allowed" : "blocked";

    /// <summary>CorsKit's reason as the report shows it, or that CorsKit never saw the request.</summary>
    public static string ReasonName(Scenario scenario) => scenario.ReachesCorsKit ? scenario.Reason.ToString() : "(not reached)";

    /// <summary>How many runs' requests <c>corskit check</c> judged as Chromium did, as "N of M (P%)".</summary>
    public static string AgreementRate(IReadOnlyCollection<ScenarioRun> runs)
    {
        var agreeing = runs.Count(run => run.Engine?.Agrees == true);
        var percent = runs.Count == 0 ? 0 : 100.0 * agreeing / runs.Count;
        return string.Create(CultureInfo.InvariantCulture, $"{agreeing} of {runs.Count} scenarios ({percent:0.#}%)");
    }

    private static string EngineAgrees(ScenarioRun run) => run.Engine switch
    {
        null => "not checked",
        { Agrees: true } when run.Scenario.EngineNote is not null => "yes (see note)",
        { Agrees: true } => "yes",
        _ => "**no**",
    };

    private static string ToMarkdown(List<ScenarioRun> runs, string chromium)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');

        Line("# Browser conformance");
        Line();
        Line($"What a real Chromium ({chromium}, Debian's package driven by Microsoft.Playwright) does with CorsKit's answers:");
        Line("for each scenario, what the page's script could see, what reached the server, CorsKit's reason (as counted on its");
        Line("`corskit.requests` metric), and the console error Chromium printed. The browser suite (`tests/CorsKit.BrowserTests`)");
        Line("asserts every verdict on every run.");
        Line();
        Line("Run the suite with `dotnet test tests/CorsKit.BrowserTests` (it needs `/usr/bin/chromium`; `bash tests/run.sh`");
        Line("installs Debian's package when it is missing, and the suite fails, never skips, without it).");
        Line($"This file is generated from a passing run; do not edit it by hand. Regenerate it with `{Regenerate}`.");
        Line("The same console texts, in a form programs can read, are in `" + MessagesPath + "`.");
        Line();
        Line("Not covered: `OriginMalformed` (a browser always sends a well-formed Origin) and reasons without a browser-visible");
        Line("difference of their own (`NoPolicy`, `ResolverFailed`).");
        Line();
        Line("What each console message means, which CorsKit log event and reason go with it, and the fix: `docs/troubleshooting.md`.");
        Line("The suite checks that the guide quotes every CORS message printed here, and only those.");
        Line();
        Line("## Agreement with `corskit check`");
        Line();
        Line("After the browser's run, each scenario sends the request its script's result came from (as `harness.js` recorded");
        Line("it: URL, method, headers, credentials mode, body, the page's origin) through the check engine of `corskit check`,");
        Line("to the same server, with the Cookie header the browser sent, if any (the engine has no cookie jar; `--cookie`).");
        Line("It agrees when it reaches Chromium's verdict; when allowed, the same status and the same readable response");
        Line("headers; when blocked, the message Chromium printed (word for word for fetch; for XMLHttpRequest, whose messages");
        Line("say \"XMLHttpRequest\" where the engine says \"fetch\", the part after \"has been blocked by CORS policy: \").");
        Line("The suite fails on any disagreement. With debug mode on, it also shows CorsKit's `X-CorsKit-Reason`.");
        Line("The engine has no preflight cache: in the preflight caching scenarios it sends the request script read with its");
        Line("own preflight, where Chromium may have used its cache (each says so).");
        Line();
        Line($"**`corskit check` agrees with Chromium on {AgreementRate(runs)}.**");
        Line();
        Line("## Setup");
        Line();
        Line("- Kestrel servers on 127.0.0.1 with ports the OS picks. Ports appear as `{page}`, `{page2}` (page server), `{api}`");
        Line("  (API server, one policy per path prefix), `{endpoints}` (API server with endpoint routing, endpoint policies and");
        Line("  authentication) and `{debug}` (API server with CorsKit's debug mode on, serving the `guarded` and `public`");
        Line("  policies of `{api}` under the same paths). Chromium resolves every `*.localhost` name to loopback, so");
        Line("  `http://app.localhost:{page}`, `http://evil.localhost:{page}` and `http://acme.tenants.localhost:{page}` are real,");
        Line("  distinct origins.");
        Line("- The page script calls the API as `API` (`http://api.localhost:{api}`) or `SAME_SITE_API`");
        Line("  (`http://app.localhost:{api}`); the API's `/redirect/` endpoints send the browser on to `http://127.0.0.1:{api}`.");
        Line("  Helpers are in `tests/CorsKit.BrowserTests/Page/harness.js`: `send` (fetch), `sendXhr` (XMLHttpRequest),");
        Line("  `inSandbox` (a sandboxed iframe, whose requests carry `Origin: null`).");
        Line("- Each policy of the API server serves one path prefix (`/strict/…`, `/creds/…`); see");
        Line("  `tests/CorsKit.BrowserTests/Infrastructure/ApiServer.cs`. Every `/data` response carries `X-Total-Count: 42` and");
        Line("  `X-Secret: s3cr3t`.");
        Line("- The API server's `/proxied/…`, `/gateway/…` and `/moved/…` paths sit behind deliberately misbehaving layers that");
        Line("  are not CorsKit (a proxy adding `Access-Control-Allow-Origin`, a gateway with no CORS behind it, a redirect), to");
        Line("  capture the messages CorsKit itself never causes.");
        Line("- Cookies: every `*.localhost` name is its own site for Chromium, and a fresh browser context blocks third-party");
        Line("  cookies, so `api.localhost` never receives the page's cookies. Credential scenarios use `SAME_SITE_API`: same");
        Line("  host as the page, another port, hence same site but cross-origin. The cookie is `SameSite=Lax; HttpOnly`.");
        Line("- Each scenario runs in a new browser context (empty cookie jar and preflight cache).");
        Line();
        Line("## Summary");
        Line();
        Line("| # | Group | Scenario | Browser verdict | CorsKit reason | corskit check agrees |");
        Line("|---|---|---|---|---|---|");
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            Line($"| {i + 1} | {run.Scenario.Group} | [{run.Scenario.Name}](#{Anchor(i + 1, run.Scenario.Name)}) | {ShortVerdict(run)} | {ReasonName(run.Scenario)} | {EngineAgrees(run)} |");
        }

        Line();
        Line("## Console messages by text");
        Line();
        Line("Each distinct console error, with the scenarios that printed it. For CORS errors only the part after");
        Line("\"has been blocked by CORS policy: \" is shown: that part names the reason; the rest names the URL and origin.");
        Line();
        foreach (var group in runs
                     .Select((run, index) => (run, number: index + 1))
                     .SelectMany(entry => entry.run.ConsoleErrors.Distinct().Select(text => (text: ReasonPart(text), entry.number)))
                     .GroupBy(entry => entry.text, StringComparer.Ordinal)
                     .OrderByDescending(group => group.Count()))
        {
            Line($"- `{group.Key}` — scenarios {string.Join(", ", group.Select(entry => entry.number).Distinct())}");
        }

        Line();
        Line("## Scenarios");
        var currentGroup = string.Empty;
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var scenario = run.Scenario;
            if (scenario.Group != currentGroup)
            {
                currentGroup = scenario.Group;
                Line();
                Line($"### {currentGroup}");
            }

            Line();
            Line($"#### {i + 1}. {scenario.Name}");
            Line();
            if (scenario.Note.Length > 0)
            {
                Line(scenario.Note);
                Line();
            }
            Line($"- Page: `{scenario.Page}`");
            Line($"- Script: `{scenario.Script}`");
            Line($"- Browser verdict: {LongVerdict(run)}");
            Line($"- Reached the server: {Arrivals(run)}; CorsKit reason: {ReasonName(scenario)}");
            if (scenario.ServerReason is not null) Line($"- X-CorsKit-Reason: `{ServerReasonSent(run)}`");
            Line($"- corskit check: {EngineSummary(run)}");
            if (run.ConsoleErrors.Count == 0)
            {
                Line("- Console: no errors");
            }
            else
            {
                Line("- Console:");
                foreach (var text in run.ConsoleErrors) Line($"  - `{text}`");
            }
        }

        return md.ToString();
    }

    private static string ServerReasonSent(ScenarioRun run) =>
        run.Requests.Select(request => request.DebugReason).OfType<string>().FirstOrDefault() ?? "(none)";

    private static string EngineSummary(ScenarioRun run)
    {
        if (run.Engine is not { } engine) return "not checked";
        var verdict = engine.Outcome == Cli.Check.CheckOutcome.Allowed
            ? $"allowed, {engine.Status?.ToString(CultureInfo.InvariantCulture)}"
            : engine.Outcome == Cli.Check.CheckOutcome.Blocked ? "blocked, with the same message" : $"no verdict ({engine.Error})";
        var agreement = engine.Agrees ? "agrees" : "**disagrees**";
        return run.Scenario.EngineNote is { } note ? $"{verdict}; {agreement}. {note}" : $"{verdict}; {agreement}";
    }

    private static string ShortVerdict(ScenarioRun run) => run.Outcome.Ok
        ? $"allowed, {run.Outcome.Status.ToString(CultureInfo.InvariantCulture)}"
        : "blocked";

    private static string LongVerdict(ScenarioRun run)
    {
        var outcome = run.Outcome;
        if (!outcome.Ok) return $"**blocked**: script got `{outcome.Error}`";
        var headers = string.Join(", ", outcome.Headers.Keys.Order(StringComparer.Ordinal).Select(name => $"`{name}`"));
        var body = string.IsNullOrEmpty(outcome.Body) ? "empty body" : $"body `{outcome.Body}`";
        return $"**allowed**: status {outcome.Status.ToString(CultureInfo.InvariantCulture)}, {body}, readable headers {headers}";
    }

    private static string Arrivals(ScenarioRun run)
    {
        static string Count(int count, string noun) => $"{count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? string.Empty : "s")}";
        return $"{Count(run.Preflights, "preflight")}, {Count(run.ActualRequests, "request")}";
    }

    /// <summary>The part of a CORS console error after "blocked by CORS policy: ", which names the reason.</summary>
    public static string ReasonPart(string text)
    {
        const string marker = "has been blocked by CORS policy: ";
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? text : text[(at + marker.Length)..];
    }

    /// <summary>GitHub's heading anchor for "N. name": lower case, spaces to hyphens, punctuation dropped.</summary>
    private static string Anchor(int number, string name)
    {
        var anchor = new StringBuilder();
        foreach (var c in $"{number}. {name}".ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '-' || c == '_') anchor.Append(c);
            else if (c == ' ') anchor.Append('-');
        }
        return anchor.ToString();
    }
}

/// <summary>Finds the repository root (the directory holding CorsKit.sln) above the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CorsKit.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No CorsKit.sln above {AppContext.BaseDirectory}.");
    }
}
