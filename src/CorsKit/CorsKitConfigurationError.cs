namespace CorsKit;

/// <summary>One problem found in a CorsKit policy or in the CorsKit configuration as a whole.</summary>
/// <param name="Policy">The policy's name, or <c>null</c> for a problem outside any policy.</param>
/// <param name="Option">The option at fault, as named in configuration (for example <c>Origins</c>).</param>
/// <param name="Value">The offending value, if there is one.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Fix">What to do instead.</param>
public sealed record CorsKitConfigurationError(string? Policy, string Option, string? Value, string Problem, string Fix)
{
    /// <summary>One line naming policy, option, value, problem and fix.</summary>
    public override string ToString()
    {
        var where = Policy is null ? "CorsKit" : $"policy '{Policy}'";
        var value = Value is null ? string.Empty : $" value '{Escape(Value)}'";
        return $"{where}, {Option}{value}: {Problem} Fix: {Fix}";
    }

    private static string Escape(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c < 0x20 || c == 0x7f) builder.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
