using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Internal;

/// <summary>
/// The version of CorsKit's answers that cached responses carry. It changes whenever a cached response's CORS answer
/// may have gone stale: a reload, or a resolver answer forgotten through <see cref="ICorsKitOriginCache"/>.
/// Output-cache keys carry it (<see cref="OutputCacheOriginPolicy"/>), so a change makes old entries unreachable; they
/// are also evicted (tag <see cref="OutputCacheOriginPolicy.Tag"/>) to free their memory.
/// </summary>
internal sealed partial class CachedResponseVersion
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private volatile string _current = "0";
    private int _number;

    public CachedResponseVersion(IServiceProvider services, ILogger<CachedResponseVersion> logger)
    {
        _services = services;
        _logger = logger;
    }

    public string Current => _current;

    public void Invalidate()
    {
        _current = Interlocked.Increment(ref _number).ToString(CultureInfo.InvariantCulture);
        if (_services.GetService<IOutputCacheStore>() is { } outputCache) _ = EvictAsync(outputCache);
    }

    private async Task EvictAsync(IOutputCacheStore outputCache)
    {
        try
        {
            await outputCache.EvictByTagAsync(OutputCacheOriginPolicy.Tag, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The new version already keeps stale entries from being served; eviction only frees their memory.
            Log.EvictionFailed(_logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 103, EventName = "OutputCacheEvictionFailed", Level = LogLevel.Warning,
            Message = "CorsKit could not evict output-cache entries tagged 'corskit' after a policy change; they are no longer served "
                + "(their key carries the old policy version) and expire on their own.")]
        public static partial void EvictionFailed(ILogger logger, Exception exception);
    }
}
