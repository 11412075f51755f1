namespace CorsKit.Internal;

/// <summary>How a configured origin constrains the port.</summary>
internal enum PortRule
{
    /// <summary>No port in the origin: the scheme's default port.</summary>
    Default,

    /// <summary>One explicit port.</summary>
    Specific,

    /// <summary><c>:*</c> — any port, or none.</summary>
    Any,
}
