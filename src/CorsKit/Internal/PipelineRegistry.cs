namespace CorsKit.Internal;

/// <summary>Where UseCorsKit() was placed, recorded when it is called and checked once the app has started.</summary>
internal sealed record PipelineRegistration(IDictionary<string, object?> Properties, bool RoutingBefore, bool IsWebApplication);

/// <summary>The UseCorsKit() calls of this app.</summary>
internal sealed class PipelineRegistry
{
    private readonly List<PipelineRegistration> _registrations = [];
    private readonly Lock _lock = new();

    public void Register(PipelineRegistration registration)
    {
        lock (_lock) _registrations.Add(registration);
    }

    public IReadOnlyList<PipelineRegistration> Registrations
    {
        get
        {
            lock (_lock) return [.. _registrations];
        }
    }
}
