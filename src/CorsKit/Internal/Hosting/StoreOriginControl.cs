namespace CorsKit.Internal;

/// <summary><see cref="ICorsKitStoreOrigins"/> over the <see cref="PolicyStore"/>, which compiles and swaps.</summary>
internal sealed class StoreOriginControl : ICorsKitStoreOrigins
{
    private readonly PolicyStore _store;

    public StoreOriginControl(PolicyStore store) => _store = store;

    public int Count => _store.StoreOriginCount;

    public CorsKitStoreOriginsResult Replace(IEnumerable<CorsKitStoreOrigin> rows, string source)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return _store.ReplaceStoreOrigins(rows, source);
    }

    public CorsKitConfigurationError? Validate(CorsKitStoreOrigin row, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        return _store.ValidateStoreOrigin(row, source);
    }
}
