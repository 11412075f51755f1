using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace CorsKit.Internal;

/// <summary>
/// One consistent, immutable generation of all configured policies, as this app serves them, with the settings that
/// apply to all of them. <see cref="PolicyStore"/> swaps generations whole on reload.
/// </summary>
internal sealed class PolicyGeneration
{
    private readonly ActualResponder _responder;

    // Inline endpoint policies are built with their endpoints, not with the generation: each is bound to this
    // generation's settings the first time a request meets it.
    private readonly ConcurrentDictionary<CorsKitPolicy, ServedPolicy> _inline = new(ReferenceEqualityComparer.Instance);

    private PolicyGeneration(
        FrozenDictionary<string, ServedPolicy> policies, ServedPolicy? defaultPolicy, IReadOnlyList<string> warnings, GenerationSettings settings,
        ActualResponder responder)
    {
        Policies = policies;
        Default = defaultPolicy;
        Warnings = warnings;
        Settings = settings;
        _responder = responder;
    }

    /// <summary>The policies by name, compared as <see cref="CorsKitOptions.PolicyNameComparer"/> compares them.</summary>
    public FrozenDictionary<string, ServedPolicy> Policies { get; }

    public ServedPolicy? Default { get; }

    public IReadOnlyList<string> Warnings { get; }

    public GenerationSettings Settings { get; }

    /// <summary>An endpoint's inline policy, served with this generation's settings.</summary>
    public ServedPolicy ServeInline(CorsKitPolicy policy) =>
        _inline.GetOrAdd(policy, static (p, generation) => new ServedPolicy(p, generation.Settings, generation._responder), this);

    /// <summary>The named policies, then the inline endpoint policies requests have met so far.</summary>
    public IEnumerable<ServedPolicy> AllServed() => Policies.Values.Concat(_inline.Values);

    /// <summary>
    /// This generation with <paramref name="store"/>'s origins beside each policy's own: a new generation (policies
    /// without store origins are served as they are), so that one swap changes every policy at once.
    /// </summary>
    public PolicyGeneration WithStoreOrigins(StoreOriginSet store)
    {
        var policies = Policies.ToDictionary(
            p => p.Key,
            p => store.Matchers.TryGetValue(p.Key, out var origins)
                ? new ServedPolicy(p.Value.Policy.WithStoreOrigins(origins), Settings, _responder)
                : p.Value,
            CorsKitOptions.PolicyNameComparer);
        var defaultPolicy = Default is null ? null : policies[Default.Policy.Name];
        return new PolicyGeneration(policies.ToFrozenDictionary(CorsKitOptions.PolicyNameComparer), defaultPolicy, Warnings, Settings, _responder);
    }

    /// <summary>Compiles every policy, collecting every error of every policy.</summary>
    public static PolicyGeneration Compile(
        CorsKitOptions options, IEnumerable<string> requiredPolicyNames, PolicyServices services, ActualResponder responder)
    {
        var errors = new List<CorsKitConfigurationError>(options.BindingErrors);
        var settings = new GenerationSettings(options.DebugMode, options.RefusalLogLevel);
        var policies = new Dictionary<string, ServedPolicy>(CorsKitOptions.PolicyNameComparer);
        var warnings = new List<string>();
        foreach (var (name, builder) in options.PolicyBuilders.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var policy = PolicyCompiler.Compile(name, builder, errors, services);
            if (policy is null) continue;
            policies.Add(name, new ServedPolicy(policy, settings, responder));
            warnings.AddRange(policy.Warnings);
        }

        ServedPolicy? defaultPolicy = null;
        if (options.DefaultPolicyName is { } defaultName && !options.PolicyBuilders.ContainsKey(defaultName))
        {
            errors.Add(new CorsKitConfigurationError(null, ConfigurationKeys.DefaultPolicy, defaultName, "No policy has this name.",
                Known(options)));
        }
        else if (options.DefaultPolicyName is { } name)
        {
            policies.TryGetValue(name, out defaultPolicy);
        }

        foreach (var required in requiredPolicyNames)
        {
            if (!options.PolicyBuilders.ContainsKey(required))
            {
                errors.Add(new CorsKitConfigurationError(null, ConfigurationKeys.UseCorsKitPolicyName, required, "No policy has this "
                    + "name.", Known(options)));
            }
        }

        if (errors.Count > 0) throw new CorsKitConfigurationException(errors);
        return new PolicyGeneration(policies.ToFrozenDictionary(CorsKitOptions.PolicyNameComparer), defaultPolicy, warnings, settings, responder);
    }

    private static string Known(CorsKitOptions options) => KnownNamesFix(
        options.PolicyBuilders.Keys, "Add a policy with AddPolicy(name, ...) or under CorsKit:Policies in configuration.", ".");

    /// <summary>The fix for an unknown policy name: the known names in order, or <paramref name="whenNone"/>.</summary>
    internal static string KnownNamesFix(IEnumerable<string> names, string whenNone, string end) => !names.Any()
        ? whenNone
        : $"Use one of: {string.Join(", ", names.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))}{end}";
}
