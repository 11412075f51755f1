namespace CorsKit.Internal;

/// <summary>
/// The one place configuration key names are spelled. Errors name options by these keys too (code users see the same
/// names as configuration users), so the reader, the compiler and its checks all use them.
/// </summary>
internal static class ConfigurationKeys
{
    // Top level, under the CorsKit section.
    public const string DefaultPolicy = "DefaultPolicy";
    public const string Policies = "Policies";
    public const string DebugMode = "DebugMode";
    public const string RefusalLogLevel = "RefusalLogLevel";

    // Per policy, under Policies:<name>.
    public const string Origins = "Origins";
    public const string OriginRegexes = "OriginRegexes";
    public const string Methods = "Methods";
    public const string RequestHeaders = "RequestHeaders";
    public const string ExposedHeaders = "ExposedHeaders";
    public const string AllowCredentials = "AllowCredentials";
    public const string MaxAgeSeconds = "MaxAgeSeconds";
    public const string InsecureHttpOptOut = "DangerouslyAllowInsecureHttpOriginsWithCredentials";
    public const string PublicSuffixOptOut = "DangerouslyAllowPublicSuffixWildcardsWithCredentials";
    public const string AnyOriginForWebSockets = "AllowAnyOriginForWebSockets";

    // Code-only options, named in errors as if they were keys.
    public const string OriginResolver = "OriginResolver";
    public const string ResolverCacheSize = OriginResolver + ".CacheSize";
    public const string ResolverPositiveTtl = OriginResolver + ".PositiveTtl";
    public const string ResolverNegativeTtl = OriginResolver + ".NegativeTtl";
    public const string ResolverTimeout = OriginResolver + ".Timeout";
    public const string UseCorsKitPolicyName = "UseCorsKit(policyName)";
}
