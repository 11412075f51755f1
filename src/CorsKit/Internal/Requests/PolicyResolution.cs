namespace CorsKit.Internal;

/// <summary>
/// The policy-resolution order (docs/endpoint-policies.md), shared by the middleware and the output-cache policy:
/// 1. the endpoint disables CorsKit: no policy, preflights refused;
/// 2. the endpoint names a policy or carries an inline one: that policy;
/// 3. the policy named in UseCorsKit(name);
/// 4. the default policy;
/// 5. none: the request passes through untouched.
/// The endpoint's metadata is the last <see cref="ICorsKitMetadata"/> on it, so an action beats its controller and an
/// endpoint beats its group.
/// </summary>
internal static class PolicyResolution
{
    /// <summary>
    /// Steps 1 and 2. True when the endpoint decides: <paramref name="served"/> is its policy, or null when it disables
    /// CorsKit. A name no policy has counts as disabled (<paramref name="unknownName"/> is set): never fall back to a
    /// more permissive policy. False when the metadata names nothing (the pipeline decides).
    /// </summary>
    public static bool TryFromEndpoint(ICorsKitMetadata metadata, PolicyGeneration generation, out ServedPolicy? served, out string? unknownName)
    {
        unknownName = null;
        served = null;
        if (metadata.IsDisabled) return true;
        if (metadata.Policy is { } inline)
        {
            served = generation.ServeInline(inline);
            return true;
        }

        if (metadata.PolicyName is not { } name) return false;
        if (!generation.Policies.TryGetValue(name, out served)) unknownName = name;
        return true;
    }

    /// <summary>Steps 3 to 5, for an endpoint that names no policy.</summary>
    public static ServedPolicy? FromPipeline(PolicyGeneration generation, string? pipelinePolicyName) =>
        pipelinePolicyName is not null && generation.Policies.TryGetValue(pipelinePolicyName, out var named) ? named : generation.Default;
}
