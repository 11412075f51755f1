namespace CorsKit.Internal;

/// <summary>
/// <see cref="ICorsKitOriginCache"/> over the policies serving now. A reload builds policies with empty caches, so
/// only the current generation holds answers worth forgetting.
/// </summary>
internal sealed class OriginCacheControl : ICorsKitOriginCache
{
    private readonly PolicyStore _store;

    public OriginCacheControl(PolicyStore store) => _store = store;

    public void Invalidate(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        foreach (var policy in _store.Current.Policies.Values) policy.OriginResolver?.Invalidate(origin);
        _store.InvalidateCachedResponses();
    }

    public void Clear()
    {
        foreach (var policy in _store.Current.Policies.Values) policy.OriginResolver?.Clear();
        _store.InvalidateCachedResponses();
    }
}
