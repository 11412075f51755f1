namespace CorsKit;

/// <summary>
/// The cached answers of every policy's <see cref="ICorsKitOriginResolver"/>. Registered by <c>AddCorsKit</c>; call it
/// after changing the store the resolver reads, so the change takes effect at once rather than when the cached answer
/// expires.
/// </summary>
public interface ICorsKitOriginCache
{
    /// <summary>Forgets the cached answer for <paramref name="origin"/> in every policy; the next request asks the resolver.</summary>
    void Invalidate(string origin);

    /// <summary>Forgets every cached answer in every policy.</summary>
    void Clear();
}
