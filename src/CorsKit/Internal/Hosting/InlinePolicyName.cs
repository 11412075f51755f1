using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace CorsKit.Internal;

/// <summary>
/// The name of an inline endpoint policy: <c>inline: {methods} {route pattern}</c> for a routed endpoint, or
/// <c>inline: {display name}</c> otherwise (an MVC action without attribute routes), so logs and metrics tell apart
/// the inline policies of different endpoints.
/// </summary>
internal static class InlinePolicyName
{
    /// <summary>The name errors use while the policy is validated, before any endpoint is known.</summary>
    public const string Unbound = "inline";

    public static string For(EndpointBuilder endpoint)
    {
        if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } pattern })
        {
            var methods = endpoint.Metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().LastOrDefault()?.HttpMethods;
            var route = pattern.StartsWith('/') ? pattern : "/" + pattern;
            return methods is { Count: > 0 } ? $"{Unbound}: {string.Join(",", methods)} {route}" : $"{Unbound}: {route}";
        }

        return endpoint.DisplayName is { Length: > 0 } display ? $"{Unbound}: {display}" : Unbound;
    }
}
