namespace CorsKit;

/// <summary>
/// Disables CorsKit for an MVC controller or action: responses get no CORS headers and preflights are refused.
/// An action's <see cref="CorsKitPolicyAttribute"/> beats its controller's <see cref="DisableCorsKitAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class DisableCorsKitAttribute : Attribute, ICorsKitMetadata
{
    bool ICorsKitMetadata.IsDisabled => true;

    string? ICorsKitMetadata.PolicyName => null;

    CorsKitPolicy? ICorsKitMetadata.Policy => null;
}
