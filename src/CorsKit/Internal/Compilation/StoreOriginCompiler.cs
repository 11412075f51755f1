using System.Collections.Frozen;

namespace CorsKit.Internal;

/// <summary>
/// Validates store rows (<see cref="ICorsKitStoreOrigins"/>) against the policies of a generation and compiles the
/// accepted ones into one <see cref="OriginMatcher"/> per policy: exact origins in a hash set (the row's own string),
/// patterns grouped by scheme and suffix. Each row is checked by <see cref="OriginPattern.Parse"/> and
/// <see cref="CredentialedOrigins"/>, the rules of configured origins, so the messages are the same. Build time only.
/// </summary>
internal static class StoreOriginCompiler
{
    public static StoreOriginSet Compile(IEnumerable<CorsKitStoreOrigin> rows, string source, FrozenDictionary<string, ServedPolicy> policies)
    {
        var errors = new List<CorsKitConfigurationError>();
        var byPolicy = new Dictionary<CorsKitPolicy, Accepted>(ReferenceEqualityComparer.Instance);
        var count = 0;
        var accepted = 0;
        foreach (var row in rows)
        {
            count++;
            if (Check(row, source, policies, errors, out var policy) is not { } pattern) continue;
            if (!byPolicy.TryGetValue(policy!, out var lists)) byPolicy[policy!] = lists = new Accepted();
            if (pattern.IsExact) lists.Exact.Add(row.Origin);
            else lists.Patterns.Add(pattern);
            accepted++;
        }

        var matchers = byPolicy.ToFrozenDictionary(
            p => p.Key.Name, p => new OriginMatcher(false, p.Value.Exact, p.Value.Patterns, null, []), CorsKitOptions.PolicyNameComparer);
        return new StoreOriginSet(matchers, new CorsKitStoreOriginsResult(count, accepted, errors));
    }

    /// <summary>The row as a pattern of its policy, or null after adding why it is skipped to <paramref name="errors"/>.</summary>
    public static OriginPattern? Check(
        CorsKitStoreOrigin row, string source, FrozenDictionary<string, ServedPolicy> policies, List<CorsKitConfigurationError> errors,
        out CorsKitPolicy? policy)
    {
        policy = null;
        if (string.IsNullOrEmpty(row.Policy) || !policies.TryGetValue(row.Policy, out var served))
        {
            errors.Add(new CorsKitConfigurationError(row.Policy, source, row.Origin, "No policy has this name, so the row is skipped.",
                PolicyGeneration.KnownNamesFix(
                    policies.Keys, "Add the policy with AddPolicy(name, ...) or under CorsKit:Policies, or delete the row.",
                    ", or delete the row.")));
            return null;
        }

        policy = served.Policy;
        var problems = new PolicyProblems(policy.Name, errors, []);
        if (policy.AllowsAnyOrigin)
        {
            problems.Error(source, row.Origin, "The policy allows any origin ('*'), so a store row would add nothing.",
                "Delete the row, or list the policy's own origins instead of '*'.");
            return null;
        }

        if (row.Origin == "*")
        {
            problems.Error(source, row.Origin, "'*' (any origin) cannot come from the store: one row would open the policy to every site.",
                "Store each origin, e.g. 'https://app.example.com', or a pattern such as 'https://*.example.com'.");
            return null;
        }

        var before = problems.ErrorCount;
        var pattern = OriginPattern.Parse(row.Origin, source, problems);
        if (pattern is null) return null;
        if (policy.CredentialRules.Credentials) CredentialedOrigins.Check(policy.CredentialRules, [pattern], [], problems, source);
        return problems.ErrorCount > before ? null : pattern;
    }

    private sealed class Accepted
    {
        public List<string> Exact { get; } = [];

        public List<OriginPattern> Patterns { get; } = [];
    }
}
