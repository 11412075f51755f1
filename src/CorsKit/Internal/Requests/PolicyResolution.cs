namespace CorsKit.Internal;

/// <summary>
/// The policy-resolution order (docs/endpoint-policies.md), shared by the middleware and the output-cache policy:
/// 1. the endpoint disables CorsKit: no policy, preflights refused;
/// 2. the endpoint names a policy or carries an inline one: that policy;
/// 3. the policy named in UseCorsKit(name);
/// 4. the default policy;
/// 5. none: the request passes through untouched.
/// </summary>
internal static class PolicyResolution
{
    /// <summary>
    /// Steps 1 and 2. True when the endpoint decides: <paramref name="policy"/> is its policy, or null when it disables
    /// CorsKit. A name no policy has counts as disabled (<paramref name="unknownName"/> is set): never fall back to a
    /// more permissive policy. False when the metadata names nothing (the pipeline decides).
    /// </summary>
    public static bool TryFromEndpoint(ICorsKitMetadata metadata, PolicySet set, out CorsKitPolicy? policy, out string? unknownName)
    {
        unknownName = null;
        policy = null;
        if (metadata.IsDisabled) return true;
        if (metadata.Policy is { } inline)
        {
            policy = inline;
            return true;
        }

        if (metadata.PolicyName is not { } name) return false;
        if (!set.Policies.TryGetValue(name, out policy)) unknownName = name;
        return true;
    }

    /// <summary>Steps 3 to 5, for an endpoint that names no policy.</summary>
    public static CorsKitPolicy? FromPipeline(PolicySet set, string? pipelinePolicyName) =>
        pipelinePolicyName is not null && set.Policies.TryGetValue(pipelinePolicyName, out var named) ? named : set.Default;
}
