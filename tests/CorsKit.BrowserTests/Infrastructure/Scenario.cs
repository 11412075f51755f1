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
/// One browser conformance scenario: a page origin, a script the page runs, and the verdict a real Chromium must
/// reach. Placeholders (<c>{page}</c>, <c>{page2}</c>, <c>{api}</c>, <c>{endpoints}</c>, <c>{debug}</c>) in the page and the script
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

    /// <summary>A fragment of the console error Chromium prints (blocked scenarios).</summary>
    public string? Console { get; init; }

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

    public override string ToString() => Name;
}
