namespace CorsKit;

/// <summary>How a policy calls and caches its <see cref="ICorsKitOriginResolver"/>.</summary>
public sealed class CorsKitResolverOptions
{
    /// <summary>
    /// The most answers (allowed and refused together) kept per policy; the least recently used go first. 0 disables the
    /// cache. Default: 1000.
    /// </summary>
    public int CacheSize { get; set; } = 1000;

    /// <summary>How long an "allowed" answer is reused. <see cref="TimeSpan.Zero"/> does not cache them. Default: 5 minutes.</summary>
    public TimeSpan PositiveTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a "refused" answer is reused, which bounds how long a newly registered origin can stay refused unless
    /// <see cref="ICorsKitOriginCache.Invalidate(string)"/> is called. <see cref="TimeSpan.Zero"/> does not cache them.
    /// Default: 30 seconds.
    /// </summary>
    public TimeSpan NegativeTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call may take before the origin is refused (and the call's token cancelled). Default: 2 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}
