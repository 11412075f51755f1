namespace CorsKit;

/// <summary>What <see cref="ICorsKitStoreOrigins.Replace"/> made of a snapshot.</summary>
public sealed class CorsKitStoreOriginsResult
{
    internal CorsKitStoreOriginsResult(int rows, int accepted, IReadOnlyList<CorsKitConfigurationError> skipped)
    {
        Rows = rows;
        Accepted = accepted;
        Skipped = skipped;
    }

    /// <summary>How many rows the snapshot held.</summary>
    public int Rows { get; }

    /// <summary>How many rows serve (validated, for a policy that exists).</summary>
    public int Accepted { get; }

    /// <summary>Every skipped row, with the reason and the fix, in the order read.</summary>
    public IReadOnlyList<CorsKitConfigurationError> Skipped { get; }
}
