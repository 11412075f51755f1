namespace CorsKit.Internal;

/// <summary>One <c>AllowOriginsFrom&lt;T&gt;()</c> call on a policy builder.</summary>
internal sealed record ResolverRegistration(Type ResolverType, CorsKitResolverOptions Options);
