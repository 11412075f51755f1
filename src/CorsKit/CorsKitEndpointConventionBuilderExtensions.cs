using CorsKit;
using CorsKit.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Per-endpoint and per-group CorsKit policies for minimal APIs, route groups and controllers.</summary>
public static class CorsKitEndpointConventionBuilderExtensions
{
    /// <summary>Applies the named CorsKit policy to the endpoint(s). The name is checked at start-up.</summary>
    public static TBuilder RequireCorsKit<TBuilder>(this TBuilder builder, string policyName)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        var metadata = CorsKitEndpointMetadata.ForName(policyName);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }

    /// <summary>
    /// Applies an inline CorsKit policy to the endpoint(s). It is validated like any other policy, here and now: an
    /// invalid policy throws <see cref="CorsKitConfigurationException"/> while the app is being configured. Each endpoint
    /// gets its own copy, named after it (<c>inline: PUT /orders/{id}</c>) in logs, metrics and the explain API; a policy
    /// many endpoints share is better added by name, so they share one resolver cache too.
    /// </summary>
    public static TBuilder RequireCorsKit<TBuilder>(this TBuilder builder, Action<CorsKitPolicyBuilder> configurePolicy)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configurePolicy);
        var policyBuilder = new CorsKitPolicyBuilder();
        configurePolicy(policyBuilder);
        _ = policyBuilder.Build(InlinePolicyName.Unbound);
        builder.Add(endpoint => endpoint.Metadata.Add(CorsKitEndpointMetadata.ForPolicy(policyBuilder.Build(InlinePolicyName.For(endpoint)))));
        return builder;
    }

    /// <summary>Disables CorsKit for the endpoint(s): no CORS headers, and preflights are refused.</summary>
    public static TBuilder DisableCorsKit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(CorsKitEndpointMetadata.Disabled));
        return builder;
    }
}
