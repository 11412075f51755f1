using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// Answers ASP.NET Core 11's automatic CSRF protection with the CorsKit policy that governs the request, as a Microsoft
/// <see cref="CorsPolicy"/> that trusts exactly the origins CorsKit allows with credentials (none for an any-origin
/// policy, a policy without credentials or a disabled endpoint).
/// <para>
/// The protection runs right after routing, before <c>UseCorsKit()</c> sees the request, so the policy is resolved here
/// in the middleware's order (<see cref="PolicyResolution"/>) from the endpoint's metadata and the recorded
/// <c>UseCorsKit(name)</c> calls. When those calls name different policies, the request's branch is not known yet:
/// only an origin every one of them allows with credentials is trusted.
/// </para>
/// </summary>
internal sealed partial class CsrfPolicySource
{
    private static readonly Task<CorsPolicy?> NoTrust = Task.FromResult<CorsPolicy?>(null);

    private readonly PolicyStore _store;
    private readonly PipelinePlacement _pipeline;
    private readonly ILogger _logger;

    // Per built policy, the answer for origins its static allowlist allows; it re-checks the origin it is asked about.
    private readonly ConditionalWeakTable<CorsKitPolicy, Task<CorsPolicy?>> _allowlistAnswers = new();

    public CsrfPolicySource(PolicyStore store, PipelinePlacement pipeline, DecisionLog log)
    {
        _store = store;
        _pipeline = pipeline;
        _logger = log.Logger;
    }

    /// <summary>
    /// True when CorsKit governs the request: its endpoint carries CorsKit metadata, or it names no Microsoft policy
    /// (<paramref name="microsoftPolicyName"/>, from <c>[EnableCors(name)]</c>) and the app calls <c>UseCorsKit</c>.
    /// Then <paramref name="answer"/> is CorsKit's verdict, never Microsoft's.
    /// </summary>
    public bool TryAnswer(HttpContext context, string? microsoftPolicyName, out Task<CorsPolicy?> answer)
    {
        answer = NoTrust;
        var generation = _store.Current;
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<ICorsKitMetadata>();
        if (metadata is not null && PolicyResolution.TryFromEndpoint(metadata, generation, out var endpointPolicy, out _))
        {
            answer = Judge(context, endpointPolicy?.Policy, disabled: endpointPolicy is null);
            return true;
        }

        var registrations = _pipeline.Registrations;
        if (metadata is null && (microsoftPolicyName is not null || registrations.Count == 0)) return false;

        var first = PolicyResolution.FromPipeline(generation, registrations.Count == 0 ? null : registrations[0].PolicyName)?.Policy;
        for (var i = 1; i < registrations.Count; i++)
        {
            if (!ReferenceEquals(PolicyResolution.FromPipeline(generation, registrations[i].PolicyName)?.Policy, first))
            {
                var candidates = registrations.Select(r => PolicyResolution.FromPipeline(generation, r.PolicyName)?.Policy).Distinct().ToList();
                answer = JudgeEveryAsync(context, candidates);
                return true;
            }
        }

        answer = Judge(context, first, disabled: false);
        return true;
    }

    private Task<CorsPolicy?> Judge(HttpContext context, CorsKitPolicy? policy, bool disabled)
    {
        var origin = context.Request.Headers.Origin;
        if (CsrfTrust.RefusesEveryOrigin(policy, disabled, out var reason))
        {
            Report(context, reason, policy, origin, CorsKitReason.Allowed);
            return NoTrust;
        }

        var verdict = policy.OriginRules.Check(origin);

        // As in the middleware: only a well-formed origin the allowlist did not match reaches the resolver.
        if (verdict == CorsKitReason.OriginNotAllowed && policy.CachedResolver is { } resolver)
        {
            return JudgeResolvedAsync(context, policy, resolver, origin);
        }

        Report(context, CsrfTrust.FromOrigin(verdict), policy, origin, verdict);
        return verdict == CorsKitReason.Allowed ? _allowlistAnswers.GetValue(policy, TrustAllowlist) : NoTrust;
    }

    private async Task<CorsPolicy?> JudgeResolvedAsync(HttpContext context, CorsKitPolicy policy, CachedOriginResolver resolver, StringValues origin)
    {
        // The resolver's own cache: the middleware's check of this request later finds the answer there.
        var verdict = await resolver.CheckAsync(origin[0]!, context, _logger).ConfigureAwait(false);
        Report(context, CsrfTrust.FromOrigin(verdict), policy, origin, verdict);
        return verdict == CorsKitReason.Allowed ? TrustExactly(origin[0]!) : null;
    }

    private async Task<CorsPolicy?> JudgeEveryAsync(HttpContext context, List<CorsKitPolicy?> candidates)
    {
        var origin = context.Request.Headers.Origin;
        CorsKitCsrfReason? firstRefusal = null;
        var firstVerdict = CorsKitReason.Allowed;
        CorsKitPolicy? firstRefusing = null;
        var anyTrusts = false;
        foreach (var policy in candidates)
        {
            var verdict = CorsKitReason.Allowed;
            if (!CsrfTrust.RefusesEveryOrigin(policy, disabled: false, out var reason))
            {
                verdict = policy.OriginRules.Check(origin);
                if (verdict == CorsKitReason.OriginNotAllowed && policy.CachedResolver is { } resolver)
                {
                    verdict = await resolver.CheckAsync(origin[0]!, context, _logger).ConfigureAwait(false);
                }
                reason = CsrfTrust.FromOrigin(verdict);
            }

            if (reason == CorsKitCsrfReason.Trusted) anyTrusts = true;
            else if (firstRefusal is null) (firstRefusal, firstVerdict, firstRefusing) = (reason, verdict, policy);
        }

        if (firstRefusal is null)
        {
            Report(context, CsrfTrust.FromOrigin(CorsKitReason.Allowed), candidates[0], origin, CorsKitReason.Allowed);
            return TrustExactly(origin[0]!);
        }

        if (anyTrusts)
        {
            Report(context, CorsKitCsrfReason.PipelinePoliciesDisagree, firstRefusing, origin, firstVerdict,
                string.Join(", ", candidates.Select(p => p is null ? "(none)" : $"'{p.Name}'")));
        }
        else
        {
            Report(context, firstRefusal.Value, firstRefusing, origin, firstVerdict);
        }

        return null;
    }

    private static Task<CorsPolicy?> TrustAllowlist(CorsKitPolicy policy) => Task.FromResult<CorsPolicy?>(new CorsPolicy
    {
        SupportsCredentials = true,
        IsOriginAllowed = origin => policy.OriginRules.Check(new StringValues(origin)) == CorsKitReason.Allowed,
    });

    private static CorsPolicy TrustExactly(string allowed) => new()
    {
        SupportsCredentials = true,
        IsOriginAllowed = origin => string.Equals(origin, allowed, StringComparison.Ordinal),
    };

    private void Report(
        HttpContext context,
        CorsKitCsrfReason reason,
        CorsKitPolicy? policy,
        StringValues origin,
        CorsKitReason originVerdict,
        string? policies = null)
    {
        var text = new VerdictText(reason, policy, origin, originVerdict, policies);
        if (reason == CorsKitCsrfReason.Trusted)
        {
            Log.CsrfTrusted(_logger, text);
            return;
        }

        // Without Sec-Fetch-Site the protection still allows an Origin that is the request's own host: not a refusal.
        var request = context.Request;
        var ownOrigin = !request.Headers.ContainsKey("Sec-Fetch-Site") && origin.Count == 1
            && string.Equals(origin[0], $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
        var level = ownOrigin ? LogLevel.Debug : _store.Current.Settings.RefusalLogLevel;
        Log.CsrfNotTrusted(_logger, level, reason, request.Method, request.Path.Value ?? "/", text);
    }

    /// <summary>The verdict's sentence, built only if the line is written.</summary>
    private readonly struct VerdictText(
        CorsKitCsrfReason reason, CorsKitPolicy? policy, StringValues origin, CorsKitReason originVerdict, string? policies)
    {
        public override string ToString() => CsrfTrust.Describe(reason, policy, origin, originVerdict, policies);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, EventName = "CsrfTrusted", Level = LogLevel.Debug, Message = "{Verdict}.")]
        public static partial void CsrfTrusted(ILogger logger, VerdictText verdict);

        [LoggerMessage(EventId = 301, EventName = "CsrfNotTrusted",
            Message = "{Method} {Path} ({Reason}): {Verdict}. Unless the request is same-origin, endpoints that process forms answer it with 400.")]
        public static partial void CsrfNotTrusted(
            ILogger logger, LogLevel level, CorsKitCsrfReason reason, string method, string path, VerdictText verdict);
    }
}
