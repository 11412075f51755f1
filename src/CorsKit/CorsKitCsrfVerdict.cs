namespace CorsKit;

/// <summary>
/// Why ASP.NET Core 11's automatic CSRF protection does or does not trust an unsafe cross-site request (a form POST from
/// another site) on the strength of CorsKit's policy. Stable: logs use these names.
/// </summary>
public enum CorsKitCsrfReason
{
    /// <summary>The policy allows the origin with credentials and is not an any-origin policy: the request is trusted.</summary>
    Trusted = 0,

    /// <summary>No CorsKit policy applies to the request.</summary>
    NoPolicy = 1,

    /// <summary>The endpoint disables CorsKit.</summary>
    EndpointDisabled = 2,

    /// <summary>
    /// The policy allows any origin. That lets every page read responses; it never lets every page act for the user.
    /// </summary>
    AnyOrigin = 3,

    /// <summary>The policy does not allow credentials, so it says nothing about acting with the user's cookies.</summary>
    NoCredentials = 4,

    /// <summary>The policy does not allow the origin (or the origin is malformed or <c>null</c>, or its resolver failed).</summary>
    OriginNotAllowed = 5,

    /// <summary>
    /// The endpoint names no policy and the pipeline has several <c>UseCorsKit(name)</c> calls whose policies do not all
    /// allow the origin with credentials. ASP.NET Core decides before the request reaches any of them, so CorsKit
    /// trusts only what every one of them allows.
    /// </summary>
    PipelinePoliciesDisagree = 6,
}

/// <summary>
/// What ASP.NET Core 11's automatic CSRF protection concludes from CorsKit's policy for an unsafe request with an
/// Origin. When not trusted, a cross-site request (one that is not <c>Sec-Fetch-Site: same-origin</c>, or whose Origin
/// is not the request's own host) is refused by form-processing endpoints with 400.
/// </summary>
public sealed class CorsKitCsrfVerdict
{
    internal CorsKitCsrfVerdict(CorsKitCsrfReason reason, string message)
    {
        Reason = reason;
        Message = message;
    }

    /// <summary>True when the CSRF protection trusts the request's origin.</summary>
    public bool Trusted => Reason == CorsKitCsrfReason.Trusted;

    /// <summary>Why.</summary>
    public CorsKitCsrfReason Reason { get; }

    /// <summary>The verdict in plain words, with the fix when it is not trusted.</summary>
    public string Message { get; }
}
