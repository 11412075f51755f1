using System.Collections.Frozen;

namespace CorsKit.Internal;

/// <summary>One compiled snapshot of store origins: a matcher per policy that has accepted rows, and what the load found.</summary>
internal sealed class StoreOriginSet
{
    public StoreOriginSet(FrozenDictionary<string, OriginMatcher> matchers, CorsKitStoreOriginsResult result)
    {
        Matchers = matchers;
        Result = result;
    }

    public static StoreOriginSet Empty { get; } = new(FrozenDictionary<string, OriginMatcher>.Empty, new CorsKitStoreOriginsResult(0, 0, []));

    /// <summary>The store origins of each policy, by the policy's name.</summary>
    public FrozenDictionary<string, OriginMatcher> Matchers { get; }

    public CorsKitStoreOriginsResult Result { get; }
}
