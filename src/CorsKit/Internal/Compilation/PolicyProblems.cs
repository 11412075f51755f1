namespace CorsKit.Internal;

/// <summary>
/// Where the compilation of one policy reports what it finds: errors (the policy does not serve) and warnings (it
/// serves, and the start-up log says what is questionable). Every check writes through it, so each message names the
/// policy, the option and the value the same way.
/// </summary>
internal sealed class PolicyProblems
{
    private readonly List<CorsKitConfigurationError> _errors;
    private readonly List<string> _warnings;

    /// <param name="policy">The policy's name.</param>
    /// <param name="errors">The errors of the whole configuration, added to.</param>
    /// <param name="warnings">This policy's warnings, added to.</param>
    public PolicyProblems(string policy, List<CorsKitConfigurationError> errors, List<string> warnings)
    {
        Policy = policy;
        _errors = errors;
        _warnings = warnings;
    }

    public string Policy { get; }

    /// <summary>How many errors have been reported so far (to tell whether a check added any).</summary>
    public int ErrorCount => _errors.Count;

    public void Error(string option, string? value, string problem, string fix) =>
        _errors.Add(new CorsKitConfigurationError(Policy, option, value, problem, fix));

    public void Add(IEnumerable<CorsKitConfigurationError> errors) => _errors.AddRange(errors);

    public void Warn(string option, string value, string warning) => _warnings.Add($"policy '{Policy}', {option} {value}: {warning}");
}
