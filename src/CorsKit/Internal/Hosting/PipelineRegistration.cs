namespace CorsKit.Internal;

/// <summary>
/// One UseCorsKit() call: the pipeline's properties when it was made, whether routing came before it, whether the app
/// is a WebApplication, and the policy it names (null for <c>UseCorsKit()</c>).
/// </summary>
internal sealed record PipelineRegistration(IDictionary<string, object?> Properties, bool RoutingBefore, bool IsWebApplication, string? PolicyName);
