namespace CorsKit.Internal;

/// <summary>
/// <see cref="ICorsKitOriginCache"/> over the policies serving now (named ones, and the inline endpoint policies that
/// requests have met). A reload builds policies with empty caches, so only the current generation holds answers
/// worth forgetting. Cached responses that carried such answers are made unreachable too.
/// </summary>
internal sealed class OriginCacheControl : ICorsKitOriginCache
{
    private readonly PolicyStore _store;
    private readonly CachedResponseVersion _cachedResponses;

    public OriginCacheControl(PolicyStore store, CachedResponseVersion cachedResponses)
    {
        _store = store;
        _cachedResponses = cachedResponses;
    }

    public void Invalidate(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        foreach (var served in _store.Current.AllServed()) served.Policy.CachedResolver?.Invalidate(origin);
        _cachedResponses.Invalidate();
    }

    public void Clear()
    {
        foreach (var served in _store.Current.AllServed()) served.Policy.CachedResolver?.Clear();
        _cachedResponses.Invalidate();
    }
}
