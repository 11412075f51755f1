using CorsKit.BrowserTests.Engines;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>What the browser let script do with the response.</summary>
internal enum Verdict
{
    /// <summary>The response reached script (whatever its status).</summary>
    Allowed,

    /// <summary>The browser withheld the response: fetch rejected with a TypeError, XMLHttpRequest fired error.</summary>
    Blocked,
}

/// <summary>
/// One browser conformance scenario: a page origin, a script the page runs, and the verdict every engine must reach.
/// Where an engine really differs, <see cref="Differences"/> holds the change for it and the source that says so;
/// <see cref="For"/> gives the scenario as that engine must pass it. Placeholders (<c>{page}</c>, <c>{page2}</c>, <c>{api}</c>, <c>{endpoints}</c>, <c>{debug}</c>) in the page and the script
/// stand for this run's ports; in the script, <c>API</c> and <c>SAME_SITE_API</c> are two of the API server's origins
/// (see Page/harness.js).
/// </summary>
internal sealed record Scenario(string Group, string Name, string Page, string Script, Verdict Verdict)
{
    /// <summary>The status script sees (allowed scenarios).</summary>
    public int? Status { get; init; }

    /// <summary>The body script reads (allowed scenarios).</summary>
    public string? Body { get; init; }

    /// <summary>Response headers script must be able to read, with their values.</summary>
    public IReadOnlyDictionary<string, string> Readable { get; init; } = new Dictionary<string, string>();

    /// <summary>Response headers the server sent that script must not see.</summary>
    public IReadOnlyList<string> Hidden { get; init; } = [];

    /// <summary>A fragment of the console error each engine prints (blocked scenarios).</summary>
    public ConsoleSays? Console { get; init; }

    /// <summary>
    /// CorsKit's reason (from its corskit.requests metric) for the request that decided the scenario: a refusal when CorsKit refused, otherwise
    /// <see cref="CorsKitReason.Allowed"/> (CorsKit allowed and the browser judged the headers).
    /// </summary>
    public CorsKitReason Reason { get; init; }

    /// <summary>How many preflights reached the API server, when the scenario is about that.</summary>
    public int? Preflights { get; init; }

    /// <summary>How many non-preflight requests reached the API server, when the scenario is about that.</summary>
    public int? ActualRequests { get; init; }

    /// <summary>
    /// Further checks on what the API server received (cookies, Origin: null, …). Hosts and origins carry the port
    /// placeholders, as in <see cref="Page"/>.
    /// </summary>
    public Action<IReadOnlyList<ArrivedRequest>>? Server { get; init; }

    /// <summary>What the scenario shows, in one sentence, for docs/browser-conformance.md.</summary>
    public string Note { get; init; } = string.Empty;

    /// <summary>
    /// False when something in front of CorsKit answers for it (a redirect, a gateway): then CorsKit must count no
    /// decision at all, and <see cref="Reason"/> is not used.
    /// </summary>
    public bool ReachesCorsKit { get; init; } = true;

    /// <summary>
    /// A fragment of the X-CorsKit-Reason header (debug mode) the deciding response must carry, as the server sent it
    /// and as <c>corskit check</c> reports it. Null: no response of the scenario may carry the header.
    /// </summary>
    public string? ServerReason { get; init; }

    /// <summary>
    /// Why <c>corskit check</c>, sending the same request, does not exchange exactly what the browser did, although
    /// the verdicts are compared as usual (the engine has no preflight cache). Shown in docs/browser-conformance.md.
    /// </summary>
    public string? EngineNote { get; init; }

    /// <summary>
    /// Requests sent to the servers before the browser runs the script (the shared-cache scenarios fill a cache
    /// with other origins' answers). What they cause is not part of the scenario's record.
    /// </summary>
    public Func<PortNames, Task>? Before { get; init; }

    /// <summary>Where an engine's outcome really differs from the others', each with its source.</summary>
    public IReadOnlyList<EngineDifference> Differences { get; init; } = [];

    /// <summary>Adds what <paramref name="engine"/> does differently, and the source that says so.</summary>
    public Scenario Differs(Engine engine, string source, Func<Scenario, Scenario> change) =>
        this with { Differences = [.. Differences, new EngineDifference(engine, source, change)] };

    /// <summary>The scenario as <paramref name="engine"/> must pass it.</summary>
    public Scenario For(Engine engine)
    {
        var scenario = this;
        foreach (var difference in Differences.Where(d => d.Engine == engine)) scenario = difference.Change(scenario);
        return scenario;
    }

    public override string ToString() => Name;
}

/// <summary>What one engine does differently in a scenario, and where that is stated or was measured.</summary>
internal sealed record EngineDifference(Engine Engine, string Source, Func<Scenario, Scenario> Change);

/// <summary>A fragment of the console error each engine prints for the same failure. Null: that engine prints none.</summary>
internal sealed record ConsoleSays(string Chromium, string? Firefox, string? WebKit)
{
    public string? For(Engine engine) => engine switch
    {
        Engine.Chromium => Chromium,
        Engine.Firefox => Firefox,
        _ => WebKit,
    };
}
