using System.Collections.Frozen;

namespace CorsKit.Internal;

/// <summary>One consistent, immutable generation of all policies. Swapped whole on reload.</summary>
internal sealed class PolicySet
{
    public PolicySet(FrozenDictionary<string, CorsKitPolicy> policies, CorsKitPolicy? defaultPolicy, IReadOnlyList<string> warnings, PolicySettings settings)
    {
        Settings = settings;
        Policies = policies;
        Default = defaultPolicy;
        Warnings = warnings;
    }

    /// <summary>The policies by name, compared as <see cref="CorsKitOptions.PolicyNameComparer"/> compares them.</summary>
    public FrozenDictionary<string, CorsKitPolicy> Policies { get; }

    public CorsKitPolicy? Default { get; }

    public IReadOnlyList<string> Warnings { get; }

    public PolicySettings Settings { get; }

    /// <summary>Compiles every policy, collecting every error of every policy.</summary>
    public static PolicySet Compile(CorsKitOptions options, IEnumerable<string> requiredPolicyNames, PolicyServices? services = null)
    {
        var errors = new List<CorsKitConfigurationError>(options.BindingErrors);
        var policies = new Dictionary<string, CorsKitPolicy>(CorsKitOptions.PolicyNameComparer);
        var warnings = new List<string>();
        foreach (var (name, builder) in options.PolicyBuilders.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var policy = PolicyCompiler.Compile(name, builder, errors, services);
            if (policy is null) continue;
            policies.Add(name, policy);
            warnings.AddRange(policy.Warnings);
        }

        CorsKitPolicy? defaultPolicy = null;
        if (options.DefaultPolicyName is { } defaultName && !options.PolicyBuilders.ContainsKey(defaultName))
        {
            errors.Add(new CorsKitConfigurationError(null, "DefaultPolicy", defaultName, "No policy has this name.",
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
                errors.Add(new CorsKitConfigurationError(null, "UseCorsKit(policyName)", required, "No policy has this name.", Known(options)));
            }
        }

        if (errors.Count > 0) throw new CorsKitConfigurationException(errors);
        return new PolicySet(policies.ToFrozenDictionary(CorsKitOptions.PolicyNameComparer), defaultPolicy, warnings, new PolicySettings(options.DebugMode, options.RefusalLogLevel));
    }

    private static string Known(CorsKitOptions options) => KnownNamesFix(
        options.PolicyBuilders.Keys, "Add a policy with AddPolicy(name, ...) or under CorsKit:Policies in configuration.", ".");

    /// <summary>The fix for an unknown policy name: the known names in order, or <paramref name="whenNone"/>.</summary>
    internal static string KnownNamesFix(IEnumerable<string> names, string whenNone, string end) => !names.Any()
        ? whenNone
        : $"Use one of: {string.Join(", ", names.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))}{end}";
}

/// <summary>Settings that apply to all policies of a generation.</summary>
internal sealed record PolicySettings(bool DebugMode, Microsoft.Extensions.Logging.LogLevel RefusalLogLevel);
