namespace CorsKit;

/// <summary>One problem found in a CorsKit policy or in the CorsKit configuration as a whole.</summary>
public sealed class CorsKitConfigurationError
{
    internal CorsKitConfigurationError(string? policy, string option, string? value, string problem, string fix)
    {
        Policy = policy;
        Option = option;
        Value = value;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The policy's name, or <c>null</c> for a problem outside any policy.</summary>
    public string? Policy { get; }

    /// <summary>The option at fault, as named in configuration (for example <c>Origins</c>).</summary>
    public string Option { get; }

    /// <summary>The offending value, if there is one.</summary>
    public string? Value { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>What to do instead.</summary>
    public string Fix { get; }

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
