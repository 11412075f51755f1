using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// <see cref="ICorsKitExplainer"/>: decides and writes through the middleware's own answer types
/// (<see cref="PreflightAnswer"/>, <see cref="ActualAnswer"/>), into a detached header dictionary, with the settings of
/// the generation serving now.
/// </summary>
internal sealed class PolicyExplainer : ICorsKitExplainer
{
    private readonly PolicyStore _store;

    public PolicyExplainer(PolicyStore store) => _store = store;

    public CorsKitExplanation Explain(string? policyName, CorsKitRequestFacts request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var generation = _store.Current;
        ServedPolicy? served;
        if (policyName is null)
        {
            served = generation.Default;
            if (served is null)
            {
                return new CorsKitExplanation(false, CorsKitReason.NoPolicy, string.Empty,
                    "No default policy is configured, so CorsKit adds no CORS headers (the browser blocks cross-origin reads).", null, [],
                    CsrfExplanation.For(null, request));
            }
        }
        else if (!generation.Policies.TryGetValue(policyName, out served))
        {
            throw new ArgumentException(
                $"No CorsKit policy is named '{policyName}'. Known: {string.Join(", ", generation.Policies.Keys.Order(StringComparer.Ordinal))}.",
                nameof(policyName));
        }

        return Explain(served.Policy, request);
    }

    public CorsKitExplanation Explain(CorsKitPolicy policy, CorsKitRequestFacts request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        var debug = _store.Current.Settings.DebugMode;
        var headers = new HeaderDictionary();
        var origin = request.Origin is null ? StringValues.Empty : new StringValues(request.Origin);
        var method = new StringValues(request.Method);
        var requestHeaders = request.RequestHeaders.Count == 0 ? StringValues.Empty : new StringValues(string.Join(",", request.RequestHeaders));

        if (request.IsWebSocket) return ExplainWebSocket(policy, request, origin, debug);

        CorsKitReason reason;
        int? status = null;
        if (request.IsPreflight)
        {
            if (origin.Count == 0)
            {
                return new CorsKitExplanation(false, CorsKitReason.NotCors, policy.Name,
                    "A preflight always carries an Origin header; without one this is an ordinary OPTIONS request for the app.", null, []);
            }

            var answer = PreflightAnswer.Decide(policy, policy.OriginRules.Check(origin), origin, method, requestHeaders, debug);
            reason = answer.Reason;
            status = answer.WriteTo(headers);
        }
        else
        {
            var answer = ActualAnswer.Decide(policy, origin, null, debug);
            reason = answer.Reason;
            answer.WriteTo(headers);
        }

        var allowed = reason == CorsKitReason.Allowed;
        var message = ReasonText.Describe(reason, policy, origin, method, requestHeaders) + ".";
        if (reason == CorsKitReason.OriginNotAllowed && policy.OriginResolverType is { } resolver)
        {
            // Offline there is no request to resolve the resolver from: say so rather than report a refusal as final.
            message += $" The policy also asks its origin resolver ({resolver.Name}) at run time, which this explanation does not consult.";
        }
        if (allowed && request.Credentials && !policy.AllowsCredentials)
        {
            allowed = false;
            message = $"CorsKit policy '{policy.Name}' allows the origin but not credentials: the browser blocks a credentialed request because "
                + "Access-Control-Allow-Credentials is not 'true'. Call AllowCredentials() (\"AllowCredentials\": true) or send the request without "
                + "credentials.";
        }

        return new CorsKitExplanation(allowed, reason, policy.Name, message, status, ToList(headers), CsrfExplanation.For(policy, request));
    }

    /// <summary>
    /// A WebSocket handshake, through <see cref="WebSocketAnswer"/>. Offline there is no Host, so the page's own origin
    /// (always allowed by the middleware) is judged like any other.
    /// </summary>
    private static CorsKitExplanation ExplainWebSocket(CorsKitPolicy policy, CorsKitRequestFacts request, StringValues origin, bool debug)
    {
        if (request.IsPreflight)
        {
            throw new ArgumentException(
                "A request is a preflight or a WebSocket handshake, not both: set IsPreflight or IsWebSocket.", nameof(request));
        }

        var headers = new HeaderDictionary();
        if (origin.Count == 0)
        {
            // Not a browser's handshake: it takes the path of any request without Origin (Vary included).
            ActualAnswer.Decide(policy, origin, null, debug).WriteTo(headers);
            return new CorsKitExplanation(true, CorsKitReason.NotCors, policy.Name,
                "A WebSocket handshake without an Origin header does not come from a browser page; CorsKit lets it through to the app, "
                    + "which must authenticate it.", null, ToList(headers));
        }

        var verdict = policy.AllowsAnyOriginForWebSockets ? CorsKitReason.Allowed : policy.OriginRules.Check(origin);
        var answer = WebSocketAnswer.Decide(policy, verdict, origin, debug);
        var status = answer.WriteTo(headers);
        string message;
        if (verdict != CorsKitReason.Allowed)
        {
            message = ReasonText.WebSocketRefusal(verdict, policy, origin) + ". CorsKit answers 403 before the app sees the handshake.";
            if (verdict == CorsKitReason.OriginNotAllowed && policy.OriginResolverType is { } resolver)
            {
                message += $" The policy also asks its origin resolver ({resolver.Name}) at run time, which this explanation does not consult.";
            }
        }
        else if (policy.AllowsAnyOriginForWebSockets)
        {
            message = $"CorsKit policy '{policy.Name}' lets a page of any origin open a WebSocket"
                + (policy.AllowsAnyOrigin ? " (it allows any origin)." : " (AllowAnyOriginForWebSockets).") + " The app answers the handshake.";
        }
        else
        {
            message = $"WebSocket handshake from '{SafeLog.Value(origin)}' allowed by CorsKit policy '{policy.Name}'; the app answers it.";
        }

        return new CorsKitExplanation(verdict == CorsKitReason.Allowed, verdict, policy.Name, message, status == 0 ? null : status, ToList(headers));
    }

    private static List<KeyValuePair<string, string>> ToList(HeaderDictionary headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in headers)
        {
            foreach (var value in values) list.Add(new KeyValuePair<string, string>(name, value ?? string.Empty));
        }

        return list;
    }
}
