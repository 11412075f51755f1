namespace CorsKit.Internal;

/// <summary>
/// Whether the app built a response cache middleware (<c>UseResponseCaching</c> or <c>UseOutputCache</c>). Each reads
/// its options when the pipeline is built, before the first request, and CorsKit's configure step for those options
/// (<see cref="OutputCacheSetup"/>, <see cref="ResponseCachingSetup"/>) records it. Until then, requests never pay for
/// looking for a cache ahead of CorsKit (two feature lookups).
/// </summary>
internal sealed class ResponseCacheUse
{
    private volatile bool _inUse;

    public bool InUse => _inUse;

    public void Record() => _inUse = true;
}
