namespace CorsKit;

/// <summary>
/// Describes a CORS policy. Calls accumulate; <see cref="Build(string)"/> validates everything at once and returns an
/// immutable <see cref="CorsKitPolicy"/>, or throws a <see cref="CorsKitConfigurationException"/> listing every error.
/// </summary>
public sealed class CorsKitPolicyBuilder
{
    private readonly List<string> _origins = [];
    private readonly List<string> _originRegexes = [];
    private readonly List<Func<string, bool>> _originPredicates = [];
    private readonly List<string> _methods = [];
    private readonly List<string> _requestHeaders = [];
    private readonly List<string> _exposedHeaders = [];
    private readonly List<CorsKitConfigurationError> _bindingErrors = [];
    private readonly List<Internal.ResolverRegistration> _resolvers = [];

    /// <summary>
    /// Allows origins. Each entry is an exact origin (<c>https://app.example.com</c>), a subdomain pattern
    /// (<c>https://*.example.com</c>: one or more labels before <c>example.com</c>, default port), a port pattern
    /// (<c>http://localhost:*</c>: any port or none), both (<c>https://*.example.com:*</c>), or <c>*</c> for any
    /// origin. Entries must be canonical (lower case, no path, no trailing slash, no default port).
    /// </summary>
    public CorsKitPolicyBuilder AllowOrigins(params string[] origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        _origins.AddRange(origins);
        return this;
    }

    /// <summary>Allows any origin (<c>Access-Control-Allow-Origin: *</c>). Cannot be combined with credentials.</summary>
    public CorsKitPolicyBuilder AllowAnyOrigin() => AllowOrigins("*");

    /// <summary>
    /// Allows origins matching regular expressions. Each is matched against the whole origin (implicitly anchored),
    /// case-sensitively, with <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>.
    /// </summary>
    public CorsKitPolicyBuilder AllowOriginRegexes(params string[] patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        _originRegexes.AddRange(patterns);
        return this;
    }

    /// <summary>
    /// Allows origins for which <paramref name="predicate"/> returns true. It is called only with well-formed origins
    /// (never <c>null</c>, never with control bytes) that the static allowlist did not match; an exception refuses.
    /// </summary>
    public CorsKitPolicyBuilder AllowOriginWhen(Func<string, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _originPredicates.Add(predicate);
        return this;
    }

    /// <summary>
    /// Asks <typeparamref name="TResolver"/> about origins the static allowlist does not match (for example tenants'
    /// origins kept in a database). Register <typeparamref name="TResolver"/> in the service collection (it may be
    /// scoped); it is resolved from the request's services. Answers are cached per policy, and a resolver that throws
    /// or times out refuses the origin. Code only: a resolver cannot be named in configuration. One per policy.
    /// </summary>
    /// <param name="configure">Cache size, lifetimes of allowed and refused answers, and timeout.</param>
    public CorsKitPolicyBuilder AllowOriginsFrom<TResolver>(Action<CorsKitResolverOptions>? configure = null)
        where TResolver : class, ICorsKitOriginResolver
    {
        var options = new CorsKitResolverOptions();
        configure?.Invoke(options);
        _resolvers.Add(new Internal.ResolverRegistration(typeof(TResolver), options));
        return this;
    }

    /// <summary>
    /// DANGEROUS. With credentials, lets plain-http origins other than loopback through validation. Anyone on the
    /// network path of such an origin (public Wi-Fi, a proxy) can inject script into it and read responses made with
    /// the user's cookies. Configuration: <c>"DangerouslyAllowInsecureHttpOriginsWithCredentials": true</c>.
    /// Default: false. Each use is logged as a warning at start-up.
    /// </summary>
    public CorsKitPolicyBuilder DangerouslyAllowInsecureHttpOriginsWithCredentials(bool allow = true)
    {
        InsecureHttpOriginsWithCredentialsAllowed = allow;
        return this;
    }

    /// <summary>
    /// DANGEROUS. With credentials, lets subdomain patterns of a public suffix (<c>https://*.github.io</c>,
    /// <c>https://*.co.uk</c>) through validation. Sites under a public suffix belong to different owners, and every
    /// one of them could read responses made with the user's cookies. Configuration:
    /// <c>"DangerouslyAllowPublicSuffixWildcardsWithCredentials": true</c>. Default: false. Each use is logged as a
    /// warning at start-up.
    /// </summary>
    public CorsKitPolicyBuilder DangerouslyAllowPublicSuffixWildcardsWithCredentials(bool allow = true)
    {
        PublicSuffixWildcardsWithCredentialsAllowed = allow;
        return this;
    }

    /// <summary>
    /// Allows methods beyond GET, HEAD and POST (which never need a preflight's permission and are always allowed).
    /// Methods are case-sensitive, as browsers send them: <c>PATCH</c> is not <c>patch</c>. <c>*</c> means any.
    /// </summary>
    public CorsKitPolicyBuilder AllowMethods(params string[] methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        _methods.AddRange(methods);
        return this;
    }

    /// <summary>Allows any method (except CONNECT, TRACE and TRACK, which browsers never send).</summary>
    public CorsKitPolicyBuilder AllowAnyMethod() => AllowMethods("*");

    /// <summary>
    /// Allows request headers by name (case-insensitive). <c>*</c> means any header except <c>Authorization</c>,
    /// which browsers require to be listed by name; list it as well to allow it.
    /// </summary>
    public CorsKitPolicyBuilder AllowRequestHeaders(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _requestHeaders.AddRange(headers);
        return this;
    }

    /// <summary>Allows any request header except <c>Authorization</c> (see <see cref="AllowRequestHeaders"/>).</summary>
    public CorsKitPolicyBuilder AllowAnyRequestHeader() => AllowRequestHeaders("*");

    /// <summary>
    /// Lets script read these response headers (<c>Access-Control-Expose-Headers</c>). <c>*</c> exposes all, and
    /// only without credentials.
    /// </summary>
    public CorsKitPolicyBuilder ExposeHeaders(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _exposedHeaders.AddRange(headers);
        return this;
    }

    /// <summary>
    /// Allows credentialed requests (cookies, HTTP authentication, client certificates):
    /// <c>Access-Control-Allow-Credentials: true</c>. Default: false.
    /// </summary>
    public CorsKitPolicyBuilder AllowCredentials(bool allow = true)
    {
        Credentials = allow;
        return this;
    }

    /// <summary>
    /// How long browsers may cache a preflight answer (<c>Access-Control-Max-Age</c>), 0 to 86400 seconds. Default:
    /// not sent, so browsers use 5 seconds. Chromium caps the value at 7200 seconds.
    /// </summary>
    public CorsKitPolicyBuilder SetPreflightMaxAge(TimeSpan maxAge)
    {
        MaxAgeSeconds = (long)Math.Floor(maxAge.TotalSeconds);
        return this;
    }

    /// <summary>
    /// Lets a page of any origin open a WebSocket to the endpoints this policy governs (a public feed, say). By default
    /// a WebSocket handshake whose Origin the policy does not allow is refused with 403, because browsers apply no CORS
    /// check to WebSockets: without it any site could open one with the user's cookies (cross-site WebSocket hijacking).
    /// Configuration: <c>"AllowAnyOriginForWebSockets": true</c>. Default: false.
    /// </summary>
    public CorsKitPolicyBuilder AllowAnyOriginForWebSockets(bool allow = true)
    {
        AnyOriginForWebSockets = allow;
        return this;
    }

    internal bool Credentials { get; private set; }

    internal bool AnyOriginForWebSockets { get; private set; }

    internal long? MaxAgeSeconds { get; private set; }

    internal bool InsecureHttpOriginsWithCredentialsAllowed { get; private set; }

    internal bool PublicSuffixWildcardsWithCredentialsAllowed { get; private set; }

    internal IReadOnlyList<Internal.ResolverRegistration> Resolvers => _resolvers;

    internal IReadOnlyList<string> Origins => _origins;

    internal IReadOnlyList<string> OriginRegexes => _originRegexes;

    internal IReadOnlyList<Func<string, bool>> OriginPredicates => _originPredicates;

    internal IReadOnlyList<string> Methods => _methods;

    internal IReadOnlyList<string> RequestHeaders => _requestHeaders;

    internal IReadOnlyList<string> ExposedHeaders => _exposedHeaders;

    internal IReadOnlyList<CorsKitConfigurationError> BindingErrors => _bindingErrors;

    internal void SetMaxAgeSeconds(long seconds) => MaxAgeSeconds = seconds;

    internal void AddBindingError(CorsKitConfigurationError error) => _bindingErrors.Add(error);

    /// <summary>Validates the policy and builds it, named <c>inline</c>.</summary>
    /// <exception cref="CorsKitConfigurationException">The policy is invalid; the message lists every error.</exception>
    public CorsKitPolicy Build() => Build("inline");

    /// <summary>Validates the policy and builds it.</summary>
    /// <param name="name">The policy's name, used in errors, logs and metrics.</param>
    /// <exception cref="CorsKitConfigurationException">The policy is invalid; the message lists every error.</exception>
    public CorsKitPolicy Build(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var errors = new List<CorsKitConfigurationError>();
        var policy = Internal.PolicyCompiler.Compile(name, this, errors);
        if (policy is null) throw new CorsKitConfigurationException(errors);
        return policy;
    }
}
