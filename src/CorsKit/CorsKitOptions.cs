namespace CorsKit;

/// <summary>
/// CorsKit's named policies and default policy. Configure it with
/// <c>services.AddCorsKit(options =&gt; ...)</c>, <c>services.AddCorsKit(configuration.GetSection("CorsKit"))</c>,
/// or both: calls for the same policy name add to the same policy. Policy names are compared ignoring case, as
/// configuration keys are (configuration merges <c>Policies:web</c> and <c>Policies:WEB</c> into one key).
/// </summary>
public sealed class CorsKitOptions
{
    /// <summary>The name <see cref="AddDefaultPolicy"/> gives its policy.</summary>
    internal const string DefaultPolicyNameForAddDefaultPolicy = "default";

    /// <summary>How policy names are compared everywhere: as configuration compares keys.</summary>
    internal static readonly StringComparer PolicyNameComparer = StringComparer.OrdinalIgnoreCase;

    private readonly Dictionary<string, CorsKitPolicyBuilder> _policies = new(PolicyNameComparer);

    /// <summary>
    /// The policy <c>app.UseCorsKit()</c> applies when neither the endpoint nor <c>UseCorsKit(name)</c> names one.
    /// Default: none, so such requests get no CORS headers. Matched to a policy name ignoring case.
    /// </summary>
    public string? DefaultPolicyName { get; set; }

    /// <summary>
    /// Debug mode, for development only. Every refused request gets an <c>X-CorsKit-Reason</c> response header that says
    /// why in plain words, and a preflight refused for its method or headers (from an allowed origin) is answered with
    /// the allowed lists so that the browser's console names the exact method or header that is missing. It grants
    /// nothing normal mode would not. Default: false. Typical use:
    /// <c>options.DebugMode = builder.Environment.IsDevelopment();</c>
    /// </summary>
    public bool DebugMode { get; set; }

    /// <summary>
    /// The level at which refusals are logged. Default: <see cref="Microsoft.Extensions.Logging.LogLevel.Information"/>
    /// (browsers and bots cause refusals all day, so not Warning). Allowed requests are logged at Debug.
    /// </summary>
    public Microsoft.Extensions.Logging.LogLevel RefusalLogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>Adds a named policy, or adds to it if the name exists (in any case: <c>"web"</c> and <c>"WEB"</c> are one policy).</summary>
    public CorsKitOptions AddPolicy(string name, Action<CorsKitPolicyBuilder> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        configure(GetOrCreate(name));
        return this;
    }

    /// <summary>Adds a policy named <c>"default"</c> (or adds to it) and makes it the default policy.</summary>
    public CorsKitOptions AddDefaultPolicy(Action<CorsKitPolicyBuilder> configure)
    {
        AddPolicy(DefaultPolicyNameForAddDefaultPolicy, configure);
        DefaultPolicyName = DefaultPolicyNameForAddDefaultPolicy;
        return this;
    }

    /// <summary>The names of the policies added so far.</summary>
    public IReadOnlyCollection<string> PolicyNames => _policies.Keys;

    internal IReadOnlyDictionary<string, CorsKitPolicyBuilder> PolicyBuilders => _policies;

    internal List<CorsKitConfigurationError> BindingErrors { get; } = [];

    internal CorsKitPolicyBuilder GetOrCreate(string name) => GetOrCreate(name, out _);

    /// <summary>The policy's builder, and its name as first added (which errors and the compiled policy use).</summary>
    internal CorsKitPolicyBuilder GetOrCreate(string name, out string storedName)
    {
        if (!_policies.TryGetValue(name, out var builder))
        {
            builder = new CorsKitPolicyBuilder();
            _policies.Add(name, builder);
            storedName = name;
            return builder;
        }

        storedName = _policies.Keys.First(k => PolicyNameComparer.Equals(k, name));
        return builder;
    }
}
