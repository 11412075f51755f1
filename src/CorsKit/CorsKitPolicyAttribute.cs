namespace CorsKit;

/// <summary>
/// Applies a named CorsKit policy to an MVC controller or action. An action's attribute beats its controller's.
/// Derived controllers inherit the attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class CorsKitPolicyAttribute : Attribute, ICorsKitMetadata
{
    /// <summary>Applies the policy named <paramref name="policyName"/>.</summary>
    public CorsKitPolicyAttribute(string policyName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policyName);
        PolicyName = policyName;
    }

    /// <inheritdoc />
    public string PolicyName { get; }

    bool ICorsKitMetadata.IsDisabled => false;

    string? ICorsKitMetadata.PolicyName => PolicyName;

    CorsKitPolicy? ICorsKitMetadata.Policy => null;
}
