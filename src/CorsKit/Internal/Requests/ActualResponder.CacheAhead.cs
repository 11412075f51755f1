using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCaching;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The path for an actual request when a response cache runs ahead of CorsKit (<c>UseResponseCaching</c> or
/// <c>UseOutputCache</c> before <c>UseCorsKit</c>) and may store the response. A stored response is served later
/// without passing through CorsKit, so it must already carry the right CORS headers and be keyed by what they depend on:
/// <list type="bullet">
/// <item>the headers are written before the first byte of the body reaches the cache (<see cref="HeadersFirstBodyFeature"/>),
/// not only at response start, so the cache stores them and <c>UseResponseCaching</c> sees <c>Vary: Origin</c>;</item>
/// <item>for the output cache, which ignores <c>Vary</c>, <see cref="OutputCacheOriginPolicy"/> put the Origin and the
/// answers' version into the key; if something removed them, the response is not stored.</item>
/// </list>
/// Allocates a small feature per such request; requests with no cache ahead never come here.
/// </summary>
internal sealed partial class ActualResponder
{
    private int _outputCacheWarningsLeft = 1;

    /// <summary>True when a response cache runs ahead of CorsKit and may store this request's response.</summary>
    private bool CacheAheadMayStore(HttpContext context, out OutputCacheContext? outputCache)
    {
        outputCache = null;
        if (!_caches.InUse) return false;
        var features = context.Features;
        outputCache = features.Get<IOutputCacheFeature>()?.Context is { EnableOutputCaching: true, AllowCacheStorage: true } output ? output : null;
        return outputCache is not null || features.Get<IResponseCachingFeature>() is not null;
    }

    // resolved: the resolver gave the verdict; the stored response must then live no longer than CorsKit reuses that
    // verdict, or a revoked tenant would keep reading cached responses.
    private async Task RespondWithCacheAheadAsync(
        HttpContext context, ServedPolicy served, CorsKitReason? originVerdict, StringValues origin, OutputCacheContext? outputCache, bool resolved,
        RequestDelegate next)
    {
        var policy = served.Policy;
        if (outputCache is not null) GuardOutputCacheEntry(outputCache, policy, origin, resolved ? originVerdict : null);

        var features = context.Features;
        var prior = features.Get<IHttpResponseBodyFeature>()!;
        var body = new HeadersFirstBodyFeature(prior, context, served, originVerdict, origin);
        features.Set<IHttpResponseBodyFeature>(body);
        try
        {
            await next(context).ConfigureAwait(false);

            // A response without a body: the cache reads the headers when this returns.
            body.WriteHeaders();
        }
        finally
        {
            features.Set(prior);
        }
    }

    private void GuardOutputCacheEntry(OutputCacheContext outputCache, CorsKitPolicy policy, StringValues origin, CorsKitReason? resolverVerdict)
    {
        if (resolverVerdict is { } verdict && policy.CachedResolver is { } resolver)
        {
            var reuse = resolver.ReuseFor(verdict);
            if (outputCache.ResponseExpirationTimeSpan is not { } expiry || expiry > reuse) outputCache.ResponseExpirationTimeSpan = reuse;
        }

        if (!OutputCacheOriginPolicy.IsVaried(outputCache, origin, _cachedResponses.Current, originDependent: !policy.AllowsAnyOrigin))
        {
            // The key does not carry what the answer depends on (a custom policy cleared CorsKit's vary-by values, or
            // the policies changed while the request ran): serving it later could hand this answer to another origin.
            outputCache.AllowCacheStorage = false;
            if (Interlocked.Decrement(ref _outputCacheWarningsLeft) >= 0) Log.OutputCacheNotVaried(_log.Logger, policy.Name);
        }
    }
}
