namespace CorsKit.Internal;

/// <summary>
/// What a policy's credentials setting demands of its origins (<see cref="CredentialedOrigins"/>): whether credentials
/// are allowed, and the two opt-outs. Kept on the compiled policy so that store origins are checked by the same rules.
/// </summary>
internal sealed record CredentialRules(bool Credentials, bool InsecureHttpAllowed, bool PublicSuffixWildcardsAllowed)
{
    public static CredentialRules Of(CorsKitPolicyBuilder builder) => new(
        builder.Credentials, builder.InsecureHttpOriginsWithCredentialsAllowed, builder.PublicSuffixWildcardsWithCredentialsAllowed);
}
