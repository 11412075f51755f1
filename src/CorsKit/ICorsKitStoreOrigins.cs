namespace CorsKit;

/// <summary>
/// Origins kept outside configuration, in a store such as a database table, that named policies allow on top of the
/// origins they list themselves. Registered by <c>AddCorsKit</c>; a store package (CorsKit.PostgreSql) reads its rows
/// and hands each complete snapshot to <see cref="Replace"/>.
/// </summary>
/// <remarks>
/// Every row is validated by the rules configured origins follow, with the same messages (exact origins and
/// <c>*.</c>/<c>:*</c> patterns; no regexes, no <c>*</c>; the credential rules of the row's policy). A row that fails,
/// or names a policy that does not exist, is skipped and logged once: it never blocks the other rows and never makes
/// anything allowed. The accepted rows are compiled into hash sets beside each policy's own, and the policies are
/// swapped atomically: a request sees the previous snapshot or the new one, never a mix, and the cost of a request does
/// not depend on the number of rows. A configuration reload keeps the last snapshot (checked again against the new policies).
/// </remarks>
public interface ICorsKitStoreOrigins
{
    /// <summary>
    /// Replaces every store origin with <paramref name="rows"/>, a complete snapshot of the store, and serves them from
    /// the next request on.
    /// </summary>
    /// <param name="rows">Every row of the store; the collection is read once, here.</param>
    /// <param name="source">What the rows are called in errors and logs, e.g. <c>corskit.corskit_origins</c>.</param>
    /// <returns>How many rows serve, and why each other row was skipped.</returns>
    CorsKitStoreOriginsResult Replace(IEnumerable<CorsKitStoreOrigin> rows, string source);

    /// <summary>
    /// Checks one row as <see cref="Replace"/> would against the policies serving now, without changing anything.
    /// </summary>
    /// <returns>Null when the row would serve; otherwise why it would be skipped.</returns>
    CorsKitConfigurationError? Validate(CorsKitStoreOrigin row, string source);

    /// <summary>How many store rows serve now (rows accepted by the last <see cref="Replace"/>).</summary>
    int Count { get; }
}
