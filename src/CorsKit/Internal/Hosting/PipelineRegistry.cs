namespace CorsKit.Internal;

/// <summary>
/// Where UseCorsKit() was placed, recorded when it is called and checked once the app has started, and the policy it
/// names (null for <c>UseCorsKit()</c>).
/// </summary>
internal sealed record PipelineRegistration(IDictionary<string, object?> Properties, bool RoutingBefore, bool IsWebApplication, string? PolicyName = null);

/// <summary>The UseCorsKit() calls of this app.</summary>
internal sealed class PipelineRegistry
{
    private readonly Lock _lock = new();
    private volatile PipelineRegistration[] _registrations = [];

    public void Register(PipelineRegistration registration)
    {
        lock (_lock) _registrations = [.. _registrations, registration];
    }

    /// <summary>A snapshot; read on the request path by the output-cache policy, so it is not copied per call.</summary>
    public IReadOnlyList<PipelineRegistration> Registrations => _registrations;
}
