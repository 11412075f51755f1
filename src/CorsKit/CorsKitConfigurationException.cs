namespace CorsKit;

/// <summary>
/// Thrown when CorsKit policies are invalid. The message lists every error of every policy, each with the fix;
/// <see cref="Errors"/> holds them one by one.
/// </summary>
public sealed class CorsKitConfigurationException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    public CorsKitConfigurationException(IReadOnlyList<CorsKitConfigurationError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a single message (for serializers and tooling).</summary>
    public CorsKitConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public CorsKitConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Creates the exception with no message.</summary>
    public CorsKitConfigurationException()
    {
        Errors = [];
    }

    /// <summary>Every problem found, in the order found.</summary>
    public IReadOnlyList<CorsKitConfigurationError> Errors { get; }

    private static string BuildMessage(IReadOnlyList<CorsKitConfigurationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var builder = new System.Text.StringBuilder();
        builder.Append("CorsKit configuration is invalid (")
            .Append(errors.Count)
            .Append(errors.Count == 1 ? " error):" : " errors):");
        foreach (var error in errors)
        {
            builder.AppendLine().Append(" - ").Append(error.ToString());
        }
        return builder.ToString();
    }
}
