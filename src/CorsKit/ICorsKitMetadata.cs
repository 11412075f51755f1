using Microsoft.AspNetCore.Cors.Infrastructure;

namespace CorsKit;

/// <summary>
/// Endpoint metadata that selects or disables a CorsKit policy. Implemented by <see cref="CorsKitPolicyAttribute"/>,
/// <see cref="DisableCorsKitAttribute"/> and the <c>RequireCorsKit</c>/<c>DisableCorsKit</c> endpoint conventions.
/// The last one on an endpoint wins, so an action's attribute beats its controller's and an endpoint's convention beats
/// its group's.
/// </summary>
/// <remarks>
/// It extends ASP.NET Core's <see cref="ICorsMetadata"/> marker on purpose: routing then lets CORS preflights reach the
/// endpoint (<c>HttpMethodMetadata.AcceptCorsPreflight</c>), so CorsKit sees the endpoint's policy instead of a 405, and
/// endpoint routing refuses to run such an endpoint if no CORS middleware saw the request.
/// </remarks>
public interface ICorsKitMetadata : ICorsMetadata
{
    /// <summary>True when CorsKit is disabled for the endpoint: no CORS headers, and preflights are refused.</summary>
    bool IsDisabled { get; }

    /// <summary>The name of a configured policy, or null.</summary>
    string? PolicyName { get; }

    /// <summary>An inline policy built for this endpoint, or null.</summary>
    CorsKitPolicy? Policy { get; }
}
