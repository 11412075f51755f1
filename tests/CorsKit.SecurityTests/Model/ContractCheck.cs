using CorsKit.SecurityTests.Infrastructure;
using Microsoft.Extensions.Primitives;

namespace CorsKit.SecurityTests.Model;

/// <summary>
/// Compares a real response with the model's expectation, and checks the invariants that must hold whatever the
/// model says. Returns one line per violation; empty means the pair agrees.
/// </summary>
internal static class ContractCheck
{
    public static List<string> Violations(CorsModel model, bool credentials, RequestShape request, ResponseSnapshot actual) =>
        Violations(model, credentials, request, actual, out _);

    public static List<string> Violations(CorsModel model, bool credentials, RequestShape request, ResponseSnapshot actual, out Expectation expected)
    {
        var problems = new List<string>();
        expected = model.Expect(request);
        if (actual.Error is not null)
        {
            problems.Add($"threw {actual.Error.GetType().Name}: {actual.Error.Message}");
            return problems;
        }

        CheckInvariants(model, request, actual, problems);
        CheckAgainstModel(expected, actual, problems);
        if (expected.IsPreflight && expected.Allowed && IsBrowserShaped(request))
        {
            var fetch = FetchWouldAcceptPreflight(request, actual, credentials);
            if (fetch is not null) problems.Add("a browser would reject this allowed preflight: " + fetch);
        }
        return problems;
    }

    private static void CheckInvariants(CorsModel model, RequestShape request, ResponseSnapshot actual, List<string> problems)
    {
        var allowOrigin = actual["Access-Control-Allow-Origin"];
        if (allowOrigin.Count > 1) problems.Add("Access-Control-Allow-Origin sent more than once");
        if (allowOrigin.Count == 1)
        {
            var value = allowOrigin[0];
            if (value == "*")
            {
                if (!model.AnyOrigin) problems.Add("ACAO '*' from a policy that does not allow any origin");
            }
            else
            {
                if (request.Origin is not { Length: 1 } || value != request.Origin[0]) problems.Add($"ACAO {Printable.Quote(value ?? "")} is neither '*' nor the request's own origin");
                if (!model.AllowsOriginHeader(request.Origin)) problems.Add($"ACAO set for an origin the model refuses: {Printable.Quote(value ?? "")}");
            }
        }

        var credentials = actual["Access-Control-Allow-Credentials"];
        if (credentials.Count != 0 && (credentials.Count != 1 || credentials[0] != "true" || allowOrigin.Count != 1 || allowOrigin[0] == "*"))
        {
            problems.Add("Access-Control-Allow-Credentials without a single concrete ACAO, or not exactly 'true'");
        }

        foreach (var (name, values) in actual.Headers)
        {
            foreach (var value in values)
            {
                if (value is null) continue;
                if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0) problems.Add($"header {name} contains CR, LF or NUL: {Printable.Quote(value)}");
                else if (value.Any(c => (c < ' ' && c != '\t') || c > '~')) problems.Add($"header {name} contains a control or non-ASCII character: {Printable.Quote(value)}");
            }
        }

        var isPreflight = CorsModel.IsPreflight(request);
        if ((isPreflight || !model.AnyOrigin) && !actual.VaryTokens.Any(t => t is "*" || t.Equals("Origin", StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add("the answer depends on Origin but Vary does not name it");
        }

        if (isPreflight && actual.ReachedApp) problems.Add("a preflight reached the app");
        if (!isPreflight && !actual.ReachedApp) problems.Add("a request that is not a preflight did not reach the app");
    }

    private static void CheckAgainstModel(Expectation expected, ResponseSnapshot actual, List<string> problems)
    {
        if (expected.Status is { } status && actual.Status != status) problems.Add($"status {actual.Status}, model expects {status}");

        var names = expected.Cors.Keys
            .Concat(actual.Headers.Keys.Where(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var values = actual[name];
            if (!expected.Cors.TryGetValue(name, out var header))
            {
                problems.Add($"{name}: {Printable.Quote(values.ToString())}, model expects none");
                continue;
            }

            if (values.Count == 0)
            {
                problems.Add($"{name} missing, model expects {Describe(header)}");
            }
            else if (header.Exact is not null)
            {
                if (values.Count != 1 || values[0] != header.Exact) problems.Add($"{name}: {Printable.Quote(values.ToString())}, model expects {Describe(header)}");
            }
            else
            {
                var comparer = header.IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
                if (!Tokens(values).ToHashSet(comparer).SetEquals(header.Tokens!)) problems.Add($"{name}: {Printable.Quote(values.ToString())}, model expects {Describe(header)}");
            }
        }

        var vary = actual.VaryTokens.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!vary.SetEquals(expected.Vary)) problems.Add($"Vary: [{string.Join(", ", vary)}], model expects [{string.Join(", ", expected.Vary)}]");
    }

    private static string Describe(ExpectedHeader header) =>
        header.Exact is not null ? Printable.Quote(header.Exact) : "{" + string.Join(", ", header.Tokens!) + "}";

    private static IEnumerable<string> Tokens(StringValues values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>A request a browser could have sent: one origin, one method token, header names as tokens.</summary>
    private static bool IsBrowserShaped(RequestShape request) =>
        request.Method == "OPTIONS" && request.Origin is { Length: 1 } && request.RequestMethod is { Length: 1 }
        && (request.RequestHeaders ?? []).SelectMany(l => l.Split(',')).All(e => OriginRules.IsToken(e.Trim(' ', '\t')));

    /// <summary>
    /// The checks a browser runs on a preflight response (Fetch "CORS-preflight fetch" and "CORS check"), with
    /// credentials mode "include" when the policy allows credentials. Returns why it fails, or null.
    /// </summary>
    private static string? FetchWouldAcceptPreflight(RequestShape request, ResponseSnapshot response, bool credentials)
    {
        if (response.Status is < 200 or > 299) return $"status {response.Status}";
        var allowOrigin = response["Access-Control-Allow-Origin"];
        if (allowOrigin.Count != 1) return "not exactly one ACAO";
        if (allowOrigin[0] == "*" ? credentials : allowOrigin[0] != request.Origin![0]) return "ACAO does not match";
        if (credentials && response["Access-Control-Allow-Credentials"] != "true") return "ACAC is not 'true'";

        var methods = Tokens(response["Access-Control-Allow-Methods"]).ToList();
        var headers = Tokens(response["Access-Control-Allow-Headers"]).ToList();
        if (!methods.All(OriginRules.IsToken) || !headers.All(OriginRules.IsToken)) return "an allow list does not parse";

        var method = request.RequestMethod![0];
        var methodAllowed = method is "GET" or "HEAD" or "POST" || methods.Contains(method) || (methods.Contains("*") && !credentials);
        if (!methodAllowed) return $"method {method} not covered by '{string.Join(",", methods)}'";

        foreach (var name in Tokens(new StringValues(request.RequestHeaders ?? [])))
        {
            var listed = headers.Contains(name, StringComparer.OrdinalIgnoreCase);
            var wildcard = headers.Contains("*") && !credentials && !name.Equals("authorization", StringComparison.OrdinalIgnoreCase);
            if (!listed && !wildcard) return $"header {name} not covered by '{string.Join(",", headers)}'";
        }
        return null;
    }
}
