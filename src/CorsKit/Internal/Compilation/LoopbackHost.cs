namespace CorsKit.Internal;

/// <summary>
/// Hosts that always name the user's own machine: <c>localhost</c> and its subdomains (RFC 6761, and browsers treat
/// them as potentially trustworthy), <c>127.0.0.0/8</c> and <c>[::1]</c>. Traffic to them never crosses a network, so
/// plain http to them cannot be tampered with on the way.
/// </summary>
internal static class LoopbackHost
{
    /// <summary>True for a lower-case host (IPv6 in brackets) that is loopback.</summary>
    public static bool Is(string host) =>
        host == "localhost"
        || host.EndsWith(".localhost", StringComparison.Ordinal)
        || host == "[::1]"
        || (host.StartsWith("127.", StringComparison.Ordinal) && OriginSyntax.IsDnsOrIPv4Host(host, out var isIPv4) && isIPv4);
}
