using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CorsKit.BrowserTests.Engines;
using CorsKit.BrowserTests.Scenarios;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>What one engine did in one scenario, as console-messages.json records it.</summary>
internal sealed record EngineEntry(string Verdict, int? Status, IReadOnlyList<string> Console);

/// <summary>One scenario as console-messages.json records it: the same for every engine, then each engine's outcome.</summary>
internal sealed record ReportEntry(
    string Group,
    string Name,
    string Page,
    string Script,
    string CorsKitReason,
    IReadOnlyDictionary<string, EngineEntry> Engines,
    IReadOnlyList<string> Differences);

/// <summary>The whole of console-messages.json.</summary>
internal sealed record ReportFile(
    IReadOnlyDictionary<string, string> Versions,
    string Regenerate,
    IReadOnlyDictionary<string, string> Placeholders,
    IReadOnlyList<ReportEntry> Scenarios);

/// <summary>
/// Writes docs/browser-conformance.md and console-messages.json from the runs that passed, after each engine's
/// collection. Every run writes them to the test output directory; with CORSKIT_UPDATE_CONFORMANCE=1, a run in which
/// every scenario passed in every engine also writes them into the repository.
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
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
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
        ["{cached}"] = "the port of the API server with response caches in front of CorsKit",
        ["{cdn}"] = "the port of Debian's nginx, with proxy_cache, in front of {cached}",
    };

    private static readonly Engine[] Engines = Enum.GetValues<Engine>();

    public static string EngineKey(Engine engine) => engine.ToString().ToLowerInvariant();

    public static void WriteAfterRun()
    {
        var runs = ConformanceRecorder.PassedRuns;
        if (runs.Count == 0) return;
        var versions = ConformanceRecorder.Versions;
        var byKey = runs.GroupBy(run => (run.Scenario.Name, run.Engine)).ToDictionary(group => group.Key, group => group.Last());
        var complete = ScenarioCatalog.All.Where(s => Engines.All(e => byKey.ContainsKey((s.Name, e)))).ToList();
        var json = JsonSerializer.Serialize(ToFile(complete, byKey, versions), Json) + "\n";
        var markdown = ToMarkdown(complete, byKey, versions);

        var output = Path.Combine(AppContext.BaseDirectory, "conformance");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, Path.GetFileName(DocumentPath)), markdown);
        File.WriteAllText(Path.Combine(output, Path.GetFileName(MessagesPath)), json);

        if (Environment.GetEnvironmentVariable(UpdateVariable) != "1" || !ConformanceRecorder.AllEnginesFinished) return;
        if (complete.Count != ScenarioCatalog.All.Count)
        {
            Console.Error.WriteLine(
                $"{UpdateVariable}=1: only {complete.Count} of {ScenarioCatalog.All.Count} scenarios passed in every engine; the repository's files were left alone.");
            return;
        }

        var root = RepositoryRoot.Find();
        File.WriteAllText(Path.Combine(root, DocumentPath), markdown);
        File.WriteAllText(Path.Combine(root, MessagesPath), json);
    }

    private static ReportFile ToFile(List<Scenario> scenarios, Dictionary<(string, Engine), ScenarioRun> runs, IReadOnlyDictionary<Engine, string> versions) => new(
        Engines.ToDictionary(EngineKey, engine => versions.GetValueOrDefault(engine, "unknown")),
        Regenerate,
        Placeholders,
        scenarios.Select(scenario => new ReportEntry(
            scenario.Group,
            scenario.Name,
            scenario.Page,
            scenario.Script,
            ReasonName(scenario),
            Engines.ToDictionary(EngineKey, engine =>
            {
                var run = runs[(scenario.Name, engine)];
                return new EngineEntry(VerdictName(run.Scenario.Verdict), run.Outcome.Ok ? run.Outcome.Status : null, run.ConsoleErrors);
            }),
            scenario.Differences.Select(d => $"{d.Engine}: {d.Source}").ToList())).ToList());

    public static string VerdictName(Verdict verdict) => verdict == Verdict.Allowed ? "allowed" : "blocked";

    /// <summary>CorsKit's reason as the report shows it, or that CorsKit never saw the request.</summary>
    public static string ReasonName(Scenario scenario) => scenario.ReachesCorsKit ? scenario.Reason.ToString() : "(not reached)";

    /// <summary>How many of an engine's runs <c>corskit check --browser</c> judged as the engine did, as "N of M (P%)".</summary>
    public static string AgreementRate(IReadOnlyCollection<ScenarioRun> runs)
    {
        var agreeing = runs.Count(run => run.Comparison?.Agrees == true);
        var percent = runs.Count == 0 ? 0 : 100.0 * agreeing / runs.Count;
        return string.Create(CultureInfo.InvariantCulture, $"{agreeing} of {runs.Count} scenarios ({percent:0.#}%)");
    }

    /// <summary>The sentence the document states per engine, and ConformanceDocumentTests looks for.</summary>
    public static string AgreementSentence(Engine engine, string rate) =>
        $"`corskit check --browser {EngineKey(engine)}` agrees with {engine} on {rate}.";

    private static string ToMarkdown(List<Scenario> scenarios, Dictionary<(string, Engine), ScenarioRun> runs, IReadOnlyDictionary<Engine, string> versions)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        ScenarioRun RunOf(Scenario scenario, Engine engine) => runs[(scenario.Name, engine)];

        Line("# Browser conformance");
        Line();
        Line("What three real browser engines do with CorsKit's answers, scenario by scenario:");
        Line();
        Line($"- **Chromium {versions.GetValueOrDefault(Engine.Chromium, "?")}** (Debian's `chromium`, Blink; Chrome, Edge, Opera), driven by Microsoft.Playwright;");
        Line($"- **Firefox {versions.GetValueOrDefault(Engine.Firefox, "?")}** (Debian's `firefox-esr`, Gecko), headless, driven over WebDriver BiDi;");
        Line($"- **WebKit {versions.GetValueOrDefault(Engine.WebKit, "?")}** (Debian's WebKitGTK, Safari's engine family), under Xvfb, driven through a PyGObject harness");
        Line("  (`tests/CorsKit.BrowserTests/Engines/webkit-harness.py`), which also reads its console.");
        Line();
        Line("For each scenario: what the page's script could see in each engine, what reached the server, CorsKit's reason (as");
        Line("counted on its `corskit.requests` metric), and the console error each engine printed. The browser suite");
        Line("(`tests/CorsKit.BrowserTests`) runs one scenario definition in each engine, one engine after the other, and asserts");
        Line("every verdict on every run. A scenario expects something else of one engine only where that engine really differs;");
        Line("each such difference is listed below with its source.");
        Line();
        Line("Run the suite with `dotnet test tests/CorsKit.BrowserTests` (it needs Debian's `chromium`, `firefox-esr`, `xvfb`,");
        Line("`python3-gi`, `gir1.2-webkit2-4.1`, `faketime` and `nginx`; `bash tests/run.sh` installs them when they are missing, and the suite fails,");
        Line($"never skips, without them). This file is generated from a passing run; do not edit it by hand. Regenerate it with `{Regenerate}`.");
        Line("The same console texts, in a form programs can read, are in `" + MessagesPath + "`.");
        Line();
        Line("Not covered: `OriginMalformed` (a browser always sends a well-formed Origin) and reasons without a browser-visible");
        Line("difference of their own (`NoPolicy`, `ResolverFailed`).");
        Line();
        Line("What each console message means, in each engine's words, which CorsKit log event and reason go with it, and the fix:");
        Line("`docs/troubleshooting.md`. The suite checks that the guide quotes every CORS message printed here, and only those.");
        Line();
        Line("## Agreement with `corskit check`");
        Line();
        Line("After each engine's run, each scenario sends the request its script's result came from (as `harness.js` recorded");
        Line("it) through the check engine of `corskit check --browser <engine>`, to the same server, with the Cookie header the");
        Line("browser sent, if any. It agrees when it reaches the engine's verdict; when allowed, the same status and the same");
        Line("readable response headers; when blocked, the message the engine printed (word for word for fetch; for");
        Line("XMLHttpRequest, only the reason). The suite fails on any disagreement. The check engine has no preflight cache and");
        Line("no response cache of its own: where the browser used one, the scenario says so.");
        Line();
        foreach (var engine in Engines)
        {
            Line($"- **{AgreementSentence(engine, AgreementRate(scenarios.Select(s => RunOf(s, engine)).ToList()))}**");
        }

        Line();
        Line("## Where the engines differ");
        Line();
        var differences = scenarios.SelectMany(s => s.Differences.Select(d => (s, d))).ToList();
        if (differences.Count == 0) Line("No scenario expects a different verdict or count of one engine.");
        foreach (var (scenario, difference) in differences)
        {
            var number = scenarios.IndexOf(scenario) + 1;
            Line($"- {difference.Engine}, [{number}. {scenario.Name}](#{Anchor(number, scenario.Name)}): {difference.Source}");
        }

        Line();
        Line("Measured differences that change no verdict (each is asserted by the scenarios' per-engine console fragments,");
        Line("`Says` in `Scenarios/Pages.cs`):");
        Line();
        Line("- The console messages differ in every failure; they are listed per scenario below, and by text in the next section.");
        Line("- A refused preflight (CorsKit's 403 without CORS headers): Chromium and Firefox report the missing");
        Line("  `Access-Control-Allow-Origin`; WebKit looks at the status first (`Preflight response is not successful. Status code: 403`).");
        Line("  A redirected preflight is named as such by Chromium only; Firefox and WebKit report its 301.");
        Line("- Debug mode's answers make Chromium and WebKit name the refused method and header; Firefox names the header, never");
        Line("  the method. WebKit names the header as script spelled it (`X-Secret`), Chromium and Firefox in lower case.");
        Line("- Firefox's message never names the page's origin (nor `null`); it names the URL of the refused response, the last");
        Line("  one after a redirect.");
        Line("- A cross-site API's cookie: Chromium's fresh context and WebKit block it as a third-party cookie; Firefox rejects");
        Line("  the `SameSite=Lax` cookie set in a cross-site context and says so in its console. In every engine the API gets none.");
        Line("- The longest preflight cache, measured with the engines' clocks sped up (`PreflightCacheCapTests`): Chromium keeps an");
        Line("  answer with `Access-Control-Max-Age: 86400` for 2 hours (still cached after 7000 s, not after 7400 s), WebKit for");
        Line("  10 minutes (540 s and 660 s). Firefox's 24 hours are from its source. CorsKit sends at most 86400.");
        Line("- `Access-Control-Allow-Headers: *` covers Authorization in all three engines, against the Fetch Standard");
        Line("  (scenario \"Hand-written 'Access-Control-Allow-Headers: *' and an Authorization header\"; `corskit check --browser fetch`");
        Line("  gives the standard's verdict).");
        Line();
        Line("## Setup");
        Line();
        Line("- Kestrel servers on 127.0.0.1 with ports the OS picks. Ports appear as `{page}`, `{page2}` (page server), `{api}`");
        Line("  (API server, one policy per path prefix), `{endpoints}` (API server with endpoint routing, endpoint policies and");
        Line("  authentication), `{debug}` (API server with CorsKit's debug mode on, serving the `guarded` and `public` policies");
        Line("  of `{api}` under the same paths), `{cached}` (`UseResponseCaching()` and `UseOutputCache()` before `UseCorsKit()`)");
        Line("  and `{cdn}` (Debian's nginx with `proxy_cache` in front of `{cached}`, as a CDN).");
        Line("  Every engine resolves every `*.localhost` name to loopback, so `http://app.localhost:{page}`,");
        Line("  `http://evil.localhost:{page}` and `http://acme.tenants.localhost:{page}` are real, distinct origins.");
        Line("- The page script calls the API as `API` (`http://api.localhost:{api}`) or `SAME_SITE_API`");
        Line("  (`http://app.localhost:{api}`); the API's `/redirect/` endpoints send the browser on to `http://127.0.0.1:{api}`.");
        Line("  Helpers are in `tests/CorsKit.BrowserTests/Page/harness.js`: `send` (fetch), `sendXhr` (XMLHttpRequest),");
        Line("  `inSandbox` (a sandboxed iframe, whose requests carry `Origin: null`).");
        Line("- Each policy of the API server serves one path prefix (`/strict/…`, `/creds/…`); see");
        Line("  `tests/CorsKit.BrowserTests/Infrastructure/ApiServer.cs`. Every `/data` response carries `X-Total-Count: 42` and");
        Line("  `X-Secret: s3cr3t`.");
        Line("- The API server's `/proxied/…`, `/gateway/…` and `/moved/…` paths sit behind deliberately misbehaving layers that");
        Line("  are not CorsKit, to capture the messages CorsKit itself never causes.");
        Line("- Each scenario runs in a fresh browser context: Chromium's browser context, Firefox's user context, a new WebKit");
        Line("  WebContext with its own data directories (empty cookie jar, HTTP cache and preflight cache).");
        Line();
        Line("## Summary");
        Line();
        Line("| # | Group | Scenario | Chromium | Firefox | WebKit | CorsKit reason |");
        Line("|---|---|---|---|---|---|---|");
        for (var i = 0; i < scenarios.Count; i++)
        {
            var scenario = scenarios[i];
            var cells = string.Join(" | ", Engines.Select(engine => ShortVerdict(RunOf(scenario, engine))));
            Line($"| {i + 1} | {scenario.Group} | [{scenario.Name}](#{Anchor(i + 1, scenario.Name)}) | {cells} | {ReasonName(scenario)} |");
        }

        Line();
        Line("## Console messages by text");
        Line();
        Line("Each distinct CORS console error of each engine, with the scenarios that printed it. Chromium's are shown from");
        Line("\"has been blocked by CORS policy: \" on, Firefox's from \"(Reason: \" on: that part names the reason; the rest names");
        Line("the URL and origin. WebKit's are shown whole; WebKit prints a second line for every failure, \"Fetch API cannot load");
        Line("… due to access control checks.\" (\"XMLHttpRequest cannot load …\" for XMLHttpRequest).");
        foreach (var engine in Engines)
        {
            Line();
            Line($"### {engine}");
            Line();
            foreach (var group in scenarios
                         .Select((scenario, index) => (run: RunOf(scenario, engine), number: index + 1))
                         .SelectMany(entry => entry.run.ConsoleErrors.Where(text => EngineConsole.IsCorsError(engine, text))
                             .Select(text => (text: TroubleshootingGuide.ReasonPart(text), entry.number)))
                         .GroupBy(entry => entry.text, StringComparer.Ordinal)
                         .OrderByDescending(group => group.Select(entry => entry.number).Distinct().Count())
                         .ThenBy(group => group.Key, StringComparer.Ordinal))
            {
                Line($"- `{group.Key}` — scenarios {string.Join(", ", group.Select(entry => entry.number).Distinct())}");
            }
        }

        Line();
        Line("## Scenarios");
        var currentGroup = string.Empty;
        for (var i = 0; i < scenarios.Count; i++)
        {
            var scenario = scenarios[i];
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
            Line($"- CorsKit reason: {ReasonName(scenario)}");
            foreach (var difference in scenario.Differences) Line($"- Differs in {difference.Engine}: {difference.Source}");
            if (scenario.ServerReason is not null) Line($"- X-CorsKit-Reason: `{ServerReasonSent(RunOf(scenario, Engine.Chromium))}`");
            foreach (var engine in Engines)
            {
                var run = RunOf(scenario, engine);
                Line($"- **{engine}**: {LongVerdict(run)}; reached the server: {Arrivals(run)}; corskit check: {EngineSummary(run)}");
                var errors = run.ConsoleErrors.Where(text => EngineConsole.IsCorsError(engine, text)).ToList();
                if (errors.Count == 0) Line("  - Console: no CORS errors");
                foreach (var text in errors) Line($"  - Console: `{text}`");
            }
        }

        return md.ToString();
    }

    private static string ServerReasonSent(ScenarioRun run) =>
        run.Requests.Select(request => request.DebugReason).OfType<string>().FirstOrDefault() ?? "(none)";

    private static string EngineSummary(ScenarioRun run)
    {
        if (run.Comparison is not { } engine) return "not checked";
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
        if (!outcome.Ok) return $"blocked, script got `{outcome.Error}`";
        var headers = string.Join(", ", outcome.Headers.Keys.Order(StringComparer.Ordinal).Select(name => $"`{name}`"));
        var body = string.IsNullOrEmpty(outcome.Body) ? "empty body" : $"body `{outcome.Body}`";
        return $"allowed, status {outcome.Status.ToString(CultureInfo.InvariantCulture)}, {body}, readable headers {(headers.Length == 0 ? "none" : headers)}";
    }

    private static string Arrivals(ScenarioRun run)
    {
        static string Count(int count, string noun) => $"{count.ToString(CultureInfo.InvariantCulture)} {noun}{(count == 1 ? string.Empty : "s")}";
        return $"{Count(run.Preflights, "preflight")}, {Count(run.ActualRequests, "request")}";
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
