namespace CorsKit;

/// <summary>One row of an origin store: <paramref name="Origin"/> is allowed by the policy named <paramref name="Policy"/>.</summary>
/// <param name="Policy">The name of a configured policy.</param>
/// <param name="Origin">An origin or origin pattern, written as configured origins are (e.g. <c>https://app.example.com</c>).</param>
public readonly record struct CorsKitStoreOrigin(string Policy, string Origin);
