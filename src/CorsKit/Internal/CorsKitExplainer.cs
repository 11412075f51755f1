using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>Runs the middleware's decisions (PreflightDecision, ActualResponse) against a detached header dictionary.</summary>
internal sealed class CorsKitExplainer : ICorsKitExplainer
{
    private readonly PolicyStore _store;

    public CorsKitExplainer(PolicyStore store) => _store = store;

    public CorsKitExplanation Explain(string? policyName, CorsKitRequestFacts request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var set = _store.Current;
        CorsKitPolicy? policy;
        if (policyName is null)
        {
            policy = set.Default;
            if (policy is null)
            {
                return new CorsKitExplanation(false, CorsKitReason.NoPolicy, string.Empty,
                    "No default policy is configured, so CorsKit adds no CORS headers (the browser blocks cross-origin reads).", null, [],
                    Csrf.CsrfExplanation.For(null, request));
            }
        }
        else if (!set.Policies.TryGetValue(policyName, out policy))
        {
            throw new ArgumentException(
                $"No CorsKit policy is named '{policyName}'. Known: {string.Join(", ", set.Policies.Keys.Order(StringComparer.Ordinal))}.", nameof(policyName));
        }

        return Explain(policy, request);
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

        CorsKitReason reason;
        int? status = null;
        if (request.IsPreflight)
        {
            reason = origin.Count == 0 ? CorsKitReason.NotCors : PreflightDecision.Evaluate(policy, origin, method, requestHeaders);
            if (reason == CorsKitReason.NotCors)
            {
                return new CorsKitExplanation(false, reason, policy.Name, "A preflight always carries an Origin header; without one this is an ordinary OPTIONS request for the app.", null, []);
            }

            status = PreflightDecision.Write(headers, policy, reason, origin, method, requestHeaders, debug);
        }
        else
        {
            reason = ActualResponse.Evaluate(policy, origin);
            ActualResponse.Write(headers, policy, reason, origin, debug);
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
            message = $"CorsKit policy '{policy.Name}' allows the origin but not credentials: the browser blocks a credentialed request because Access-Control-Allow-Credentials is not 'true'. Call AllowCredentials() (\"AllowCredentials\": true) or send the request without credentials.";
        }

        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in headers)
        {
            foreach (var value in values) list.Add(new KeyValuePair<string, string>(name, value ?? string.Empty));
        }

        return new CorsKitExplanation(allowed, reason, policy.Name, message, status, list, Csrf.CsrfExplanation.For(policy, request));
    }
}
