namespace CorsKit.Internal;

/// <summary>The metadata added by the RequireCorsKit/DisableCorsKit conventions.</summary>
internal sealed class CorsKitEndpointMetadata : ICorsKitMetadata
{
    public static readonly CorsKitEndpointMetadata Disabled = new(true, null, null);

    private CorsKitEndpointMetadata(bool isDisabled, string? policyName, CorsKitPolicy? policy)
    {
        IsDisabled = isDisabled;
        PolicyName = policyName;
        Policy = policy;
    }

    public bool IsDisabled { get; }

    public string? PolicyName { get; }

    public CorsKitPolicy? Policy { get; }

    public static CorsKitEndpointMetadata ForName(string name) => new(false, name, null);

    public static CorsKitEndpointMetadata ForPolicy(CorsKitPolicy policy) => new(false, null, policy);

    public override string ToString() => IsDisabled ? "CorsKit disabled" : $"CorsKit policy '{PolicyName ?? Policy?.Name}'";
}
