using System.Text.RegularExpressions;

namespace CorsKit.SecurityTests.Model;

/// <summary>A header the model expects: one exact value, or a comma-separated list compared as a set.</summary>
internal sealed record ExpectedHeader(string? Exact, IReadOnlyCollection<string>? Tokens, bool IgnoreCase)
{
    public static ExpectedHeader Value(string value) => new(value, null, false);

    public static ExpectedHeader List(IEnumerable<string> tokens, bool ignoreCase) => new(null, tokens.ToArray(), ignoreCase);
}

/// <summary>What the model says the response to one request must be.</summary>
internal sealed record Expectation(
    bool IsPreflight,
    bool Allowed,
    int? Status,
    IReadOnlyDictionary<string, ExpectedHeader> Cors,
    IReadOnlyCollection<string> Vary);

/// <summary>
/// The reference model of CorsKit's contract, deliberately naive: lists, string comparisons and backtracking regexes,
/// written from the Fetch Standard and CorsKit's documented semantics (docs/security.md), never from its code.
/// </summary>
internal sealed class CorsModel
{
    public const int MaxMethodLength = 64;
    public const int MaxRequestHeadersLength = 2048;
    public const int MaxRequestHeadersElements = 64;

    private static readonly string[] PreflightVary = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"];

    private readonly PolicySpec _policy;
    private readonly Regex[] _regexes;

    public CorsModel(PolicySpec policy)
    {
        _policy = policy;
        _regexes = policy.OriginRegexes.Select(r => new Regex(@"\A(?:" + r + @")\z", RegexOptions.CultureInvariant)).ToArray();
    }

    public bool AnyOrigin => _policy.Origins.Contains("*");

    public bool AnyMethod => _policy.Methods.Contains("*");

    public bool AnyHeader => _policy.RequestHeaders.Contains("*");

    /// <summary>An origin is allowed when a browser could send it and an entry, a regex or the predicate accepts it.</summary>
    public bool AllowsOrigin(string origin)
    {
        if (!OriginRules.IsSerializedOrigin(origin)) return false;
        if (AnyOrigin) return true;
        if (_policy.Origins.Any(entry => EntryMatches(entry, origin))) return true;
        if (_regexes.Any(regex => regex.IsMatch(origin))) return true;
        if (_policy.LaxMatchers.Any(pattern => Regex.IsMatch(origin, $"^(?:{pattern})$", RegexOptions.CultureInvariant))) return true;
        return (_policy.Predicate == PredicateKind.ContainsTrusted && origin.Contains("trusted", StringComparison.Ordinal))
            || (_policy.Predicate == PredicateKind.IPv6Host && origin.Contains("://[", StringComparison.Ordinal));
    }

    /// <summary>
    /// One Origin header line holding an allowed origin; a repeated header is refused even if each is allowed. An
    /// any-origin policy allows every Origin header, whatever it holds (docs/security.md: '*' reflects nothing, and the
    /// answer must not depend on Origin).
    /// </summary>
    public bool AllowsOriginHeader(string[]? origin) => AnyOrigin ? origin is not null : origin is { Length: 1 } && AllowsOrigin(origin[0]);

    /// <summary>
    /// Entries: <c>scheme://host[:port]</c> (byte equality), <c>scheme://host:*</c> (that host, any port or none) and
    /// <c>scheme://*.suffix[:port|:*]</c> (one or more labels before the suffix).
    /// </summary>
    private static bool EntryMatches(string entry, string origin)
    {
        var schemeEnd = entry.IndexOf("://", StringComparison.Ordinal);
        var scheme = entry[..schemeEnd];
        var rest = entry[(schemeEnd + 3)..];
        var anyPort = rest.EndsWith(":*", StringComparison.Ordinal);
        if (anyPort) rest = rest[..^2];
        var subdomains = rest.StartsWith("*.", StringComparison.Ordinal);
        if (subdomains) rest = rest[2..];

        var portColon = rest.LastIndexOf(':');
        var host = portColon > rest.LastIndexOf(']') ? rest[..portColon] : rest;
        var port = portColon > rest.LastIndexOf(']') ? rest[(portColon + 1)..] : null;

        var actual = OriginRules.Split(origin);
        if (actual.Scheme != scheme) return false;
        if (!anyPort && actual.Port != port) return false;
        return subdomains ? actual.Host.EndsWith("." + host, StringComparison.Ordinal) : actual.Host == host;
    }

    /// <summary>One Access-Control-Request-Method line, a token of at most 64 characters, never CONNECT/TRACE/TRACK.</summary>
    public bool AllowsMethod(string[] requestMethod)
    {
        if (requestMethod.Length != 1) return false;
        var method = requestMethod[0];
        if (method.Length > MaxMethodLength || !OriginRules.IsToken(method)) return false;
        if (method.ToUpperInvariant() is "CONNECT" or "TRACE" or "TRACK") return false;
        return method is "GET" or "HEAD" or "POST" || AnyMethod || _policy.Methods.Contains(method, StringComparer.Ordinal);
    }

    /// <summary>
    /// Access-Control-Request-Headers over all its lines: at most 2048 characters and 64 comma-separated elements
    /// (empty ones counted, then ignored); each other element, trimmed of spaces and tabs, a token the policy allows.
    /// </summary>
    public bool AllowsRequestHeaders(string[] lines, out List<string> names)
    {
        names = [];
        if (lines.Sum(line => line.Length) > MaxRequestHeadersLength) return false;
        var elements = lines.SelectMany(line => line.Split(',')).Select(element => element.Trim(' ', '\t')).ToList();
        if (elements.Count > MaxRequestHeadersElements) return false;
        names = elements.Where(element => element.Length > 0).ToList();
        return names.All(OriginRules.IsToken) && names.All(AllowsHeaderName);
    }

    private bool AllowsHeaderName(string name) =>
        _policy.RequestHeaders.Any(h => h != "*" && h.Equals(name, StringComparison.OrdinalIgnoreCase))
        || (AnyHeader && !name.Equals("authorization", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A preflight is OPTIONS (compared case-insensitively, as ASP.NET Core compares methods) with an Origin and an
    /// Access-Control-Request-Method header.
    /// </summary>
    public static bool IsPreflight(RequestShape request) =>
        request.Method.Equals("OPTIONS", StringComparison.OrdinalIgnoreCase) && request.Origin is not null && request.RequestMethod is not null;

    public Expectation Expect(RequestShape request) => IsPreflight(request) ? ExpectPreflight(request) : ExpectActual(request);

    private Expectation ExpectPreflight(RequestShape request)
    {
        var names = new List<string>();
        var allowed = AllowsOriginHeader(request.Origin)
            && AllowsMethod(request.RequestMethod!)
            && (request.RequestHeaders is null || AllowsRequestHeaders(request.RequestHeaders, out names));

        var cors = new Dictionary<string, ExpectedHeader>(StringComparer.OrdinalIgnoreCase);
        if (!allowed) return new Expectation(true, false, 403, cors, PreflightVary);

        cors["Access-Control-Allow-Origin"] = ExpectedHeader.Value(AnyOrigin ? "*" : request.Origin![0]);
        if (_policy.Credentials) cors["Access-Control-Allow-Credentials"] = ExpectedHeader.Value("true");

        // With credentials a browser reads '*' literally, so "any" must name what was asked for.
        if (AnyMethod) cors["Access-Control-Allow-Methods"] = ExpectedHeader.Value(_policy.Credentials ? request.RequestMethod![0] : "*");
        else if (_policy.Methods.Count > 0) cors["Access-Control-Allow-Methods"] = ExpectedHeader.List(_policy.Methods, ignoreCase: false);

        if (names.Count > 0)
        {
            var listed = _policy.RequestHeaders.Where(h => h != "*").Select(h => h.ToLowerInvariant());
            cors["Access-Control-Allow-Headers"] = AnyHeader && _policy.Credentials
                ? ExpectedHeader.List(names, ignoreCase: true)
                : ExpectedHeader.List(AnyHeader ? listed.Append("*") : listed, ignoreCase: true);
        }

        if (_policy.MaxAgeSeconds is { } seconds) cors["Access-Control-Max-Age"] = ExpectedHeader.Value(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new Expectation(true, true, 204, cors, PreflightVary);
    }

    private Expectation ExpectActual(RequestShape request)
    {
        var cors = new Dictionary<string, ExpectedHeader>(StringComparer.OrdinalIgnoreCase);
        var appVary = (request.AppVary ?? []).SelectMany(v => v.Split(',')).Select(t => t.Trim()).Where(t => t.Length > 0).ToList();
        var exposed = _policy.ExposedHeaders.Select(h => h.ToLowerInvariant()).ToList();

        if (AnyOrigin)
        {
            // '*' on every response: the answer does not depend on Origin, so nothing is added to Vary.
            cors["Access-Control-Allow-Origin"] = ExpectedHeader.Value("*");
            if (exposed.Count > 0) cors["Access-Control-Expose-Headers"] = ExpectedHeader.List(exposed, ignoreCase: true);
            return new Expectation(false, true, 200, cors, appVary);
        }

        var vary = appVary.Contains("*") ? appVary : appVary.Append("Origin").ToList();
        if (!AllowsOriginHeader(request.Origin)) return new Expectation(false, false, 200, cors, vary);

        cors["Access-Control-Allow-Origin"] = ExpectedHeader.Value(request.Origin![0]);
        if (_policy.Credentials) cors["Access-Control-Allow-Credentials"] = ExpectedHeader.Value("true");
        if (exposed.Count > 0) cors["Access-Control-Expose-Headers"] = ExpectedHeader.List(exposed, ignoreCase: true);
        return new Expectation(false, true, 200, cors, vary);
    }
}
