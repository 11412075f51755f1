using System.Globalization;

namespace CorsKit.SecurityTests.Attacks;

/// <summary>
/// An origin a policy allows, from which attack origins are derived. <see cref="ProtectedStart"/> is where the part of
/// the host the policy pins begins: 0 for an exact host, the suffix for <c>*.suffix</c>, where labels in front are
/// free. Mutations aim at the pinned part.
/// </summary>
internal sealed record Reference(string Scheme, string Host, int? Port, bool SubdomainsAllowed = false, bool AnyPort = false, int ProtectedStart = 0)
{
    public string Origin => Scheme + "://" + Host + PortSuffix;

    public string PortSuffix => Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty;

    public bool IsIPv6 => Host.StartsWith('[');

    public bool IsIPv4 => Host.All(c => char.IsAsciiDigit(c) || c == '.');

    public bool IsDomain => !IsIPv4 && !IsIPv6;

    /// <summary>The labels a subdomain pattern leaves free (with their trailing dot), or empty.</summary>
    public string Free => Host[..ProtectedStart];

    /// <summary>The part of the host the policy pins.</summary>
    public string Pinned => Host[ProtectedStart..];

    public string With(string host, string? portSuffix = null) => Scheme + "://" + host + (portSuffix ?? PortSuffix);

    public override string ToString() => Origin;
}
