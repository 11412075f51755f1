using System.Security.Cryptography;
using CorsKit.Cli.Check;

namespace CorsKit.Cli.Audit;

/// <summary>
/// Audits one URL: sends a bounded sequence of CORS requests from the trusted origins and from attack origins derived
/// from them, and reports only what a request/response pair proves. It sends GET (or HEAD) and OPTIONS only, and a
/// WebSocket handshake when asked; any other method is asked for by preflight and never sent.
/// </summary>
internal sealed class CorsAudit
{
    private const string AllowOrigin = "Access-Control-Allow-Origin";
    private const string AllowCredentials = "Access-Control-Allow-Credentials";

    private readonly AuditRequest _request;
    private readonly AuditClient _client;
    private readonly CancellationToken _cancellationToken;
    private readonly bool _preflightMode;
    private readonly string _getMethod;
    private readonly string _nonce = RandomNumberGenerator.GetHexString(8, lowercase: true);
    private readonly List<AuditFinding> _findings = [];
    private readonly List<NotChecked> _notChecked = [];
    private readonly List<string> _notes = [];
    private readonly List<HttpExchange> _exchanges = [];
    private readonly Lock _lock = new();

    private CorsAudit(AuditRequest request, AuditClient client, CancellationToken cancellationToken)
    {
        _request = request;
        _client = client;
        _cancellationToken = cancellationToken;
        _getMethod = request.Method == "HEAD" ? "HEAD" : "GET";
        _preflightMode = request.Method is not ("GET" or "HEAD");
    }

    public static async Task<AuditResult> RunAsync(AuditRequest request, HttpMessageHandler handler, CancellationToken cancellationToken = default)
    {
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var client = new AuditClient(invoker, request.Limits);
        var audit = new CorsAudit(request, client, cancellationToken);
        string? error = null;
        try
        {
            if (!request.IsWebSocketUrl) await audit.AuditCorsAsync().ConfigureAwait(false);
            if (audit.WebSocketUrl() is { } webSocket) await audit.AuditWebSocketAsync(webSocket).ConfigureAwait(false);
        }
        catch (AuditNetworkException ex)
        {
            error = ex.Message;
        }

        if (request.TrustedFromUrl)
        {
            audit._notes.Insert(0, $"No --origin given: the URL's own origin {request.Trusted[0].Display} stands for the trusted pages. "
                + "Name your pages' origins with --origin for a sharper audit.");
        }
        if (client.BudgetExhausted)
        {
            audit._notes.Add($"The budget of {request.Limits.MaxRequests} requests (--max-requests) ran out before every check was done.");
        }

        var order = AuditRules.All.ToList();
        return new AuditResult
        {
            Request = request,
            Findings = [.. audit._findings.OrderBy(f => order.IndexOf(f.Rule))],
            NotChecked = [.. audit._notChecked.DistinctBy(n => n.Id).OrderBy(n => order.FindIndex(r => r.Id == n.Id))],
            Notes = audit._notes,
            Requests = client.Sent,
            Error = error,
        };
    }

    private async Task AuditCorsAsync()
    {
        var url = _request.Url;
        var trusted = _request.Trusted;

        // Baselines: what the trusted origins and a request without Origin get, then the two origins nobody should get.
        var baselines = await Task.WhenAll(trusted.Select(t => GetAsync(url, t.Representative))).ConfigureAwait(false);
        var anonymousTask = GetAsync(url, null);
        var trustedProbesTask = _preflightMode ? Task.WhenAll(trusted.Select(t => ProbeAsync(t.Representative, trusted: true))) : null;
        var unrelatedTask = ProbeAsync(TrustedOrigin.UnrelatedOrigin);
        var nullTask = ProbeAsync("null");
        var anonymous = await anonymousTask.ConfigureAwait(false);
        if (anonymous is { Status: >= 300 and < 400 } redirect && Header(redirect, "Location") is { } location)
        {
            _notes.Add($"{url.AbsoluteUri} answers {redirect.Status} with Location: {location}. The audit does not follow redirects: audit the final "
                + $"URL.");
        }
        var trustedProbes = trustedProbesTask is null ? null : await trustedProbesTask.ConfigureAwait(false);
        var unrelated = await unrelatedTask.ConfigureAwait(false);
        var nullProbe = await nullTask.ConfigureAwait(false);

        NoteRefusedTrustedOrigins(trusted, trustedProbes ?? baselines.Select((b, i) => new Probe(trusted[i].Representative, b)).ToArray());

        var reflectsAny = ReportIfAccepted(AuditRules.ReflectsAnyOrigin, unrelated, $"{TrustedOrigin.UnrelatedOrigin} is unrelated to every trusted "
            + $"origin");
        ReportIfAccepted(AuditRules.TrustsNull, nullProbe, "null is the origin that sandboxed iframes and data: documents of any site send");

        // Every derived origin would be let in too when any origin is: they would only repeat that finding.
        if (!reflectsAny)
        {
            foreach (var origin in trusted)
            {
                await AuditDerivedOriginsAsync(origin).ConfigureAwait(false);
            }
        }

        CheckVary(anonymous);
        var echoed = trusted.Select((t, i) => (Origin: t, Baseline: baselines[i])).FirstOrDefault(b => Echoes(b.Baseline, b.Origin.Representative));
        var allowed = trusted.Select((t, i) => (Origin: t, Baseline: baselines[i]))
            .FirstOrDefault(b => b.Baseline is not null && Header(b.Baseline, AllowOrigin) is { } value
                && (value == "*" || value == b.Origin.Representative));

        // The preflight reflection probes ask as the trusted origin the server allows, so a strict origin check cannot hide them.
        var asking = trustedProbes is null ? allowed.Origin : trusted.Where((_, i) => Accepted(trustedProbes[i])).FirstOrDefault();
        asking ??= trusted[0];
        await Task.WhenAll(
            PreflightHeadersAsync(asking),
            PreflightMethodsAsync(asking),
            ErrorResponseAsync(allowed.Origin, allowed.Baseline),
            CachePoisoningAsync(echoed.Origin)).ConfigureAwait(false);

        CheckWildcardWithCredentials();
    }

    /// <summary>The origins one matching mistake each would let in, for one trusted origin.</summary>
    private async Task AuditDerivedOriginsAsync(TrustedOrigin origin)
    {
        var probes = await Task.WhenAll(
            ProbeAsync(origin.Subdomain),
            ProbeAsync(origin.DomainSuffix),
            ProbeAsync(origin.HostSuffix),
            ProbeAsync(origin.Prefix),
            ProbeAsync(origin.UnescapedDot),
            ProbeAsync(origin.HttpTwin)).ConfigureAwait(false);
        var (subdomain, domainSuffix, hostSuffix) = (probes[0], probes[1], probes[2]);
        var (prefix, unescapedDot, httpTwin) = (probes[3], probes[4], probes[5]);

        // A sibling that ends with the host is a suffix mistake only when an arbitrary subdomain is refused; a name
        // that only ends with the domain is one in any case.
        var suffix = Accepted(domainSuffix) ? domainSuffix
            : Accepted(hostSuffix) && subdomain?.Exchange is not null && !Accepted(subdomain) ? hostSuffix
            : null;
        if (suffix is not null)
        {
            Report(AuditRules.SuffixMatch, suffix, $"{suffix.Origin} merely ends with {(suffix == domainSuffix ? origin.Domain : origin.Host)}");
        }
        else if (Skipped(domainSuffix) || (Accepted(hostSuffix) && Skipped(subdomain)))
        {
            NotDone(AuditRules.SuffixMatch);
        }

        if (suffix is null && Accepted(subdomain))
        {
            Report(AuditRules.ArbitrarySubdomain, subdomain!, $"{subdomain!.Origin} is a made-up subdomain");
        }
        else if (Skipped(subdomain))
        {
            NotDone(AuditRules.ArbitrarySubdomain);
        }

        ReportIfAccepted(AuditRules.PrefixMatch, prefix, $"{prefix?.Origin} merely starts with {origin.Representative}");
        // A look-alike that ends with the domain proves an unescaped dot only when a plain suffix is refused.
        if (Skipped(domainSuffix)) NotDone(AuditRules.UnescapedDot);
        else if (suffix is null)
        {
            ReportIfAccepted(AuditRules.UnescapedDot, unescapedDot, $"{unescapedDot?.Origin} differs from {origin.Representative} only where a dot "
                + $"should be");
        }
        ReportIfAccepted(AuditRules.TrustsHttp, httpTwin, $"{httpTwin?.Origin} is the plain-http twin of {origin.Representative}");

        // Special characters only tell something new when the plain prefix was refused.
        if (prefix?.Exchange is null || Accepted(prefix)) return;
        foreach (var special in origin.SpecialCharacterOrigins)
        {
            var probe = await ProbeAsync(special).ConfigureAwait(false);
            if (ReportIfAccepted(AuditRules.SpecialCharacters, probe, $"{special} is another host that a lenient parser reads as "
                + $"{origin.Host}")) break;
        }
    }

    private void NoteRefusedTrustedOrigins(IReadOnlyList<TrustedOrigin> trusted, Probe?[] probes)
    {
        for (var i = 0; i < trusted.Count; i++)
        {
            var exchange = probes[i]?.Exchange;
            if (exchange is null || Header(exchange, AllowOrigin) is "*" || Accepted(probes[i])) continue;
            var asked = _preflightMode ? $"its preflight for {_request.Method}" : $"{_getMethod} {_request.Url.AbsoluteUri}";
            _notes.Add($"The trusted origin {trusted[i].Representative} was not allowed ({asked}: status {exchange.Status}, "
                + $"Access-Control-Allow-Origin: {Header(exchange, AllowOrigin) ?? "(none)"}). Check --origin and --method; the other checks compare "
                    + $"against that refusal.");
        }
    }

    /// <summary>
    /// missing-vary: the Access-Control-Allow-Origin of this URL echoes one origin and differs for another, and some
    /// storable response for it lacks Vary: Origin, so a cache may hand one answer to the other.
    /// </summary>
    private void CheckVary(HttpExchange? anonymous)
    {
        List<HttpExchange> gets;
        lock (_lock) gets = _exchanges.FindAll(e => e.Kind == ExchangeKind.Actual && e.Url == _request.Url && e.Method == _getMethod);
        if (anonymous is null || gets.Count < 2)
        {
            NotDone(AuditRules.MissingVary);
            return;
        }

        foreach (var echo in gets)
        {
            var origin = RequestOrigin(echo);
            if (origin is null || !Echoes(echo, origin)) continue;
            var other = gets.Find(e => Header(e, AllowOrigin) != Header(echo, AllowOrigin));
            if (other is null) continue;
            // A response no cache may store (no-store) cannot be handed to another origin, Vary or not.
            var missing = gets.Find(e => !VariesByOrigin(e) && !HasCacheDirective(e, "no-store"));
            if (missing is null) return;
            HttpExchange[] evidence = missing == echo ? [other, echo] : missing == other ? [echo, other] : [echo, other, missing];
            Report(AuditRules.MissingVary, origin, Credentials(echo),
                $"The response to {origin} echoes it in Access-Control-Allow-Origin, the response to {Describe(other)} does not, "
                + $"and the response to {Describe(missing)} has no Vary: Origin.", evidence);
            return;
        }
    }

    /// <summary>cache-poisoning: a fresh URL is fetched from a trusted origin, then from another origin twice (same URL, fresh URL).</summary>
    private async Task CachePoisoningAsync(TrustedOrigin? origin)
    {
        if (origin is null) return;
        var trustedOrigin = origin.Representative;
        var first = await GetAsync(CacheBusted(1), trustedOrigin).ConfigureAwait(false);
        if (first is null)
        {
            NotDone(AuditRules.CachePoisoning);
            return;
        }
        if (!Echoes(first, trustedOrigin)) return;

        var attacker = TrustedOrigin.UnrelatedOrigin;
        var replayed = await GetAsync(CacheBusted(1), attacker).ConfigureAwait(false);
        var fresh = await GetAsync(CacheBusted(2), attacker).ConfigureAwait(false);
        if (replayed is null || fresh is null)
        {
            NotDone(AuditRules.CachePoisoning);
            return;
        }

        // The same URL answers the attacker with the trusted origin, a fresh URL does not: the first answer was stored.
        if (Header(replayed, AllowOrigin) == trustedOrigin && Header(fresh, AllowOrigin) != trustedOrigin)
        {
            Report(AuditRules.CachePoisoning, attacker, Credentials(first),
                $"{replayed.Url.PathAndQuery} was fetched from {trustedOrigin}, then from {attacker}, which got Access-Control-Allow-Origin: "
                    + $"{trustedOrigin}; "
                + $"a fresh URL fetched from {attacker} gets {Header(fresh, AllowOrigin) ?? "no Access-Control-Allow-Origin"}.",
                first, fresh, replayed);
        }
    }

    /// <summary>error-responses-lack-cors: a path under the URL that does not exist, from an origin the URL allows.</summary>
    private async Task ErrorResponseAsync(TrustedOrigin? origin, HttpExchange? baseline)
    {
        if (origin is null || baseline is null) return;
        var builder = new UriBuilder(_request.Url) { Query = string.Empty };
        builder.Path = builder.Path.TrimEnd('/') + "/corskit-audit-missing-" + _nonce;
        var error = await GetAsync(builder.Uri, origin.Representative).ConfigureAwait(false);
        if (error is null)
        {
            NotDone(AuditRules.ErrorResponsesLackCors);
            return;
        }
        if (error.Status >= 400 && Header(error, AllowOrigin) is null)
        {
            Report(AuditRules.ErrorResponsesLackCors, origin.Representative, Credentials(baseline),
                $"{_request.Url.AbsolutePath} allows {origin.Representative}, but the {error.Status} for {builder.Uri.AbsolutePath} carries no "
                    + $"Access-Control-Allow-Origin.",
                baseline, error);
        }
    }

    private async Task PreflightHeadersAsync(TrustedOrigin origin)
    {
        var probeHeader = "x-corskit-audit-" + _nonce;
        var names = _request.Headers.Append(probeHeader).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var preflight = await PreflightAsync(origin.Representative, _request.Method, string.Join(',', names)).ConfigureAwait(false);
        ReportReflection(
            AuditRules.PreflightReflectsHeaders, preflight, origin.Representative, "Access-Control-Allow-Headers", probeHeader,
            StringComparer.OrdinalIgnoreCase);
    }

    private async Task PreflightMethodsAsync(TrustedOrigin origin)
    {
        var probeMethod = "CORSKIT-AUDIT-" + _nonce.ToUpperInvariant();
        var headers = _request.Headers.Count == 0 ? null : string.Join(',', _request.Headers.Order(StringComparer.Ordinal));
        var preflight = await PreflightAsync(origin.Representative, probeMethod, headers).ConfigureAwait(false);
        ReportReflection(
            AuditRules.PreflightReflectsMethods, preflight, origin.Representative, "Access-Control-Allow-Methods", probeMethod,
            StringComparer.Ordinal);
    }

    /// <summary>A preflight that lists a name nobody could have configured (it is random) echoes the request.</summary>
    private void ReportReflection(AuditRule rule, HttpExchange? preflight, string origin, string listHeader, string probe, StringComparer comparer)
    {
        if (preflight is null)
        {
            NotDone(rule);
            return;
        }
        var allowOrigin = Header(preflight, AllowOrigin);
        if (preflight.Status is < 200 or > 299 || (allowOrigin != origin && allowOrigin != "*")) return;
        if (!FetchRules.TryParseTokenList(Header(preflight, listHeader), out var listed) || !listed.Contains(probe, comparer)) return;
        Report(rule, origin, Credentials(preflight), $"The preflight from {origin} asked for {probe}, a made-up name, and {listHeader} lists "
            + $"it.", preflight);
    }

    /// <summary>wildcard-with-credentials: any response seen so far that says both.</summary>
    private void CheckWildcardWithCredentials()
    {
        HttpExchange? exchange;
        lock (_lock) exchange = _exchanges.Find(e => Header(e, AllowOrigin) == "*" && Credentials(e) && RequestOrigin(e) is not null);
        if (exchange is null) return;
        Report(AuditRules.WildcardWithCredentials, RequestOrigin(exchange)!, credentials: true,
            $"The response to {Describe(exchange)} has Access-Control-Allow-Origin: * and Access-Control-Allow-Credentials: true.", exchange);
    }

    private Uri? WebSocketUrl()
    {
        var url = _request.Url;
        if (_request.IsWebSocketUrl)
        {
            return new UriBuilder(url) { Scheme = url.Scheme == "wss" ? "https" : "http", Port = url.IsDefaultPort ? -1 : url.Port }.Uri;
        }
        return _request.WebSocketPath is { } path ? new Uri(url, path) : null;
    }

    /// <summary>websocket-any-origin: the handshake from an unrelated origin is accepted (101).</summary>
    private async Task AuditWebSocketAsync(Uri url)
    {
        var trusted = _request.Trusted[0].Representative;
        var attacker = TrustedOrigin.UnrelatedOrigin;
        var handshakes = await Task.WhenAll(HandshakeAsync(url, trusted), HandshakeAsync(url, attacker)).ConfigureAwait(false);
        var (fromTrusted, fromAttacker) = (handshakes[0], handshakes[1]);
        if (fromAttacker is null)
        {
            NotDone(AuditRules.WebSocketAnyOrigin);
            return;
        }
        if (fromTrusted is not null && fromTrusted.Status != 101)
        {
            _notes.Add($"The WebSocket handshake at {url.AbsolutePath} from the trusted origin {trusted} got status {fromTrusted.Status}, not 101: "
                + "check the path and --origin.");
        }
        if (fromAttacker.Status == 101)
        {
            // Browsers send cookies with every handshake; CORS does not apply to WebSockets.
            Report(AuditRules.WebSocketAnyOrigin, attacker, credentials: true,
                $"The WebSocket handshake at {url.AbsolutePath} with Origin {attacker} was accepted (101 Switching Protocols).", fromAttacker);
        }
    }

    private Task<HttpExchange?> HandshakeAsync(Uri url, string origin) => SendAsync(ExchangeKind.Actual, "GET", url,
    [
        new("Connection", "Upgrade"),
        new("Upgrade", "websocket"),
        new("Sec-WebSocket-Version", "13"),
        new("Sec-WebSocket-Key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))),
        new("Origin", origin),
    ]);

    /// <summary>
    /// An origin probe: the request itself for GET and HEAD, else the preflight that would precede it. An attack origin
    /// the site declared it trusts (another --origin, or under a wildcard one) is not sent: letting it in is meant.
    /// </summary>
    private async Task<Probe?> ProbeAsync(string? origin, bool trusted = false)
    {
        if (origin is null || (!trusted && _request.Trusted.Any(t => t.Covers(origin)))) return null;
        var exchange = _preflightMode
            ? await PreflightAsync(origin, _request.Method, RequestedHeaders()).ConfigureAwait(false)
            : await GetAsync(_request.Url, origin).ConfigureAwait(false);
        return new Probe(origin, exchange);
    }

    private string? RequestedHeaders() => _request.Headers.Count == 0 ? null : string.Join(',', _request.Headers.Order(StringComparer.Ordinal));

    private Task<HttpExchange?> GetAsync(Uri url, string? origin) => SendAsync(ExchangeKind.Actual, _getMethod, url,
        origin is null ? [] : [new("Origin", origin), new("Sec-Fetch-Mode", "cors")]);

    private Task<HttpExchange?> PreflightAsync(string origin, string method, string? requestHeaders)
    {
        List<KeyValuePair<string, string>> headers = [new("Origin", origin), new("Access-Control-Request-Method", method)];
        if (requestHeaders is not null) headers.Add(new("Access-Control-Request-Headers", requestHeaders));
        headers.Add(new("Sec-Fetch-Mode", "cors"));
        return SendAsync(ExchangeKind.Preflight, "OPTIONS", _request.Url, headers);
    }

    private async Task<HttpExchange?> SendAsync(ExchangeKind kind, string method, Uri url, List<KeyValuePair<string, string>> headers)
    {
        var exchange = await _client.SendAsync(kind, method, url, headers, _cancellationToken).ConfigureAwait(false);
        if (exchange is not null)
        {
            lock (_lock) _exchanges.Add(exchange);
        }
        return exchange;
    }

    private Uri CacheBusted(int n)
    {
        var builder = new UriBuilder(_request.Url);
        var parameter = $"corskit-audit={_nonce}-{n}";
        builder.Query = builder.Query.Length > 1 ? builder.Query[1..] + "&" + parameter : parameter;
        return builder.Uri;
    }

    /// <summary>
    /// Whether the browser would let <paramref name="probe"/>'s origin read the answer: Access-Control-Allow-Origin is
    /// exactly that origin, and for a preflight the status is OK and the method and headers asked for are granted.
    /// </summary>
    private bool Accepted(Probe? probe)
    {
        if (probe?.Exchange is not { } exchange || !Echoes(exchange, probe.Origin)) return false;
        if (exchange.Kind != ExchangeKind.Preflight) return true;
        if (exchange.Status is < 200 or > 299) return false;
        var credentials = Credentials(exchange);
        if (!FetchRules.TryParseTokenList(Header(exchange, "Access-Control-Allow-Methods"), out var methods)
            || !FetchRules.TryParseTokenList(Header(exchange, "Access-Control-Allow-Headers"), out var headers))
        {
            return false;
        }
        var method = _request.Method;
        var methodGranted = FetchRules.IsSafelistedMethod(method) || methods.Contains(method, StringComparer.Ordinal)
            || (!credentials && methods.Contains("*", StringComparer.Ordinal));
        var anyHeader = !credentials && headers.Contains("*", StringComparer.Ordinal);
        return methodGranted && _request.Headers.All(h => anyHeader || headers.Contains(h, StringComparer.OrdinalIgnoreCase));
    }

    private static bool Skipped(Probe? probe) => probe is { Exchange: null };

    private bool ReportIfAccepted(AuditRule rule, Probe? probe, string why)
    {
        if (Skipped(probe)) NotDone(rule);
        if (!Accepted(probe)) return false;
        Report(rule, probe!, why);
        return true;
    }

    private void Report(AuditRule rule, Probe probe, string why)
    {
        var exchange = probe.Exchange!;
        var credentials = Credentials(exchange);
        var asked = exchange.Kind == ExchangeKind.Preflight
            ? $"The preflight for {_request.Method} with Origin: {probe.Origin}"
            : $"The {exchange.Method} with Origin: {probe.Origin}";
        var granted = exchange.Kind == ExchangeKind.Preflight ? ", and the method and headers asked for are granted" : string.Empty;
        Report(rule, probe.Origin, credentials,
            $"{asked} was answered with Access-Control-Allow-Origin: {probe.Origin}"
            + (credentials ? " and Access-Control-Allow-Credentials: true" : string.Empty) + granted + $"; {why}.", exchange);
    }

    private void Report(AuditRule rule, string origin, bool credentials, string proof, params HttpExchange[] evidence)
    {
        if (rule.SeverityFor(credentials) is not { } severity) return;
        lock (_lock)
        {
            if (_findings.Exists(f => f.Rule == rule && f.Origin == origin)) return;
            var fix = AuditFixes.For(rule, _request, credentials || SiteUsesCredentials());
            _findings.Add(new AuditFinding(rule, severity, credentials, origin, proof, evidence, fix));
        }
    }

    /// <summary>Whether any answer to a trusted origin allowed credentials: the fix keeps them then.</summary>
    private bool SiteUsesCredentials() =>
        _exchanges.Exists(e => RequestOrigin(e) is { } origin && _request.Trusted.Any(t => t.Representative == origin) && Credentials(e));

    private void NotDone(AuditRule rule)
    {
        lock (_lock) _notChecked.Add(new NotChecked(rule.Id, $"the budget of {_request.Limits.MaxRequests} requests (--max-requests) ran out"));
    }

    private static bool Echoes(HttpExchange? exchange, string origin) => exchange is not null && Header(exchange, AllowOrigin) == origin;

    private static bool Credentials(HttpExchange exchange) => Header(exchange, AllowCredentials) == "true";

    private static bool VariesByOrigin(HttpExchange exchange) =>
        (Header(exchange, "Vary") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries)
            .Any(name => name == "*" || name.Equals("Origin", StringComparison.OrdinalIgnoreCase));

    private static bool HasCacheDirective(HttpExchange exchange, string directive) =>
        (Header(exchange, "Cache-Control") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries)
            .Any(item => item.Equals(directive, StringComparison.OrdinalIgnoreCase));

    private static string? RequestOrigin(HttpExchange exchange) => CorsCheckEngine.Header(exchange.RequestHeaders, "Origin");

    private static string? Header(HttpExchange exchange, string name) => CorsCheckEngine.Header(exchange.ResponseHeaders, name);

    private static string Describe(HttpExchange exchange) => RequestOrigin(exchange) is { } origin ? origin : "a request without Origin";

    /// <summary>One attack origin and what the server answered to it (null: not sent, the budget ran out).</summary>
    private sealed record Probe(string Origin, HttpExchange? Exchange);
}
