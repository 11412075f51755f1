using System.Globalization;

namespace CorsKit.Cli.Audit;

/// <summary>
/// An origin the site means to trust (<c>https://app.example.com</c>, or <c>https://*.example.com</c> for every
/// subdomain), and the attack origins derived from it: each one is what a common matching mistake lets in.
/// </summary>
internal sealed class TrustedOrigin
{
    /// <summary>A domain nobody can own (RFC 2606): attack origins are built under it, and never fetched.</summary>
    public const string AttackerDomain = "attacker.test";

    /// <summary>An origin unrelated to every trusted one.</summary>
    public const string UnrelatedOrigin = "https://" + AttackerDomain;

    /// <summary>The label of the made-up subdomains the audit sends.</summary>
    private const string AuditLabel = "corskit-audit";

    /// <summary>Characters after which lenient host parsers stop reading (some browsers send hosts with them).</summary>
    private static readonly string[] SpecialCharacters = ["_", "`", "%60"];

    private readonly string _portSuffix;
    private readonly string[] _labels;

    private TrustedOrigin(string scheme, string host, int port, bool defaultPort, bool subdomains, UriHostNameType hostType)
    {
        Scheme = scheme;
        Host = host;
        Subdomains = subdomains;
        _portSuffix = defaultPort ? string.Empty : string.Create(CultureInfo.InvariantCulture, $":{port}");
        IsName = hostType is UriHostNameType.Dns or UriHostNameType.Basic;
        IsIPv6 = hostType == UriHostNameType.IPv6;
        _labels = IsName ? host.Split('.') : [];
    }

    public string Scheme { get; }

    /// <summary>The host; for a subdomain wildcard, the domain under the <c>*.</c>.</summary>
    public string Host { get; }

    /// <summary>Whether every subdomain of <see cref="Host"/> is meant to be trusted (<c>https://*.example.com</c>).</summary>
    public bool Subdomains { get; }

    private bool IsName { get; }

    private bool IsIPv6 { get; }

    /// <summary>As the user wrote it.</summary>
    public string Display => Subdomains ? Origin("*." + Host) : Origin(Host);

    /// <summary>The concrete origin sent as the trusted one: for a wildcard, a subdomain of it.</summary>
    public string Representative => Origin(RepresentativeHost);

    private string RepresentativeHost => Subdomains ? $"{AuditLabel}.{Host}" : Host;

    /// <summary>
    /// The domain one level up, where a wildcard mistake would sit: <c>example.com</c> for <c>app.example.com</c>,
    /// the host itself for <c>example.com</c> and for a wildcard's domain.
    /// </summary>
    public string Domain => !Subdomains && _labels.Length >= 3 ? Host[(Host.IndexOf('.', StringComparison.Ordinal) + 1)..] : Host;

    private bool HasDomain => IsName && _labels.Length >= 2;

    /// <summary>Parses an origin as a browser sends it, or a subdomain wildcard; null with an error otherwise.</summary>
    public static TrustedOrigin? Parse(string text, out string? error)
    {
        error = null;
        if (text == "null")
        {
            error = "--origin null: 'null' cannot be trusted, because any page can send it (sandboxed iframes, data: documents). The audit tries it "
                + "as an attack origin.";
            return null;
        }

        var subdomains = false;
        var concrete = text;
        var wildcard = text.IndexOf("://*.", StringComparison.Ordinal);
        if (wildcard > 0)
        {
            subdomains = true;
            concrete = string.Concat(text.AsSpan(0, wildcard + 3), AuditLabel, text.AsSpan(wildcard + 4));
        }

        if (!Uri.TryCreate(concrete, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length != 0)
        {
            error = $"--origin '{text}' is not an origin: write it as a browser sends it, e.g. https://app.example.com (or https://*.example.com for "
                + $"every subdomain).";
            return null;
        }

        var canonical = uri.GetLeftPart(UriPartial.Authority);
        if (!string.Equals(canonical, concrete, StringComparison.Ordinal))
        {
            var meant = subdomains ? canonical.Replace($"://{AuditLabel}.", "://*.", StringComparison.Ordinal) : canonical;
            error = $"--origin '{text}' is not an origin as a browser sends it (scheme://host[:port], lower case, no path, no trailing slash): did "
                + $"you mean '{meant}'?";
            return null;
        }

        if (subdomains && uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.Basic))
        {
            error = $"--origin '{text}': a subdomain wildcard needs a domain name, not an address.";
            return null;
        }

        var host = subdomains ? uri.Host[(AuditLabel.Length + 1)..] : uri.Host;
        return new TrustedOrigin(uri.Scheme, host, uri.Port, uri.IsDefaultPort, subdomains, uri.HostNameType);
    }

    /// <summary>The origin of the audited URL itself, trusted when no --origin is given (ws: counts as http, wss: as https).</summary>
    public static TrustedOrigin FromUrl(Uri url)
    {
        var scheme = url.Scheme is "wss" or "https" ? "https" : "http";
        var defaultPort = url.IsDefaultPort || (scheme == "https" ? url.Port == 443 : url.Port == 80);
        return new TrustedOrigin(scheme, url.IdnHost, url.Port, defaultPort, subdomains: false, url.HostNameType);
    }

    /// <summary>Whether the site declared it meant to trust <paramref name="origin"/>.</summary>
    public bool Covers(string origin) =>
        string.Equals(origin, Representative, StringComparison.Ordinal)
        || (Subdomains && origin.StartsWith(Scheme + "://", StringComparison.Ordinal)
            && origin.EndsWith("." + Host + _portSuffix, StringComparison.Ordinal));

    /// <summary>A made-up subdomain of <see cref="Domain"/> (any-subdomain trust); none when subdomains are meant.</summary>
    public string? Subdomain => HasDomain && !Subdomains ? Origin($"{AuditLabel}.{Domain}") : null;

    /// <summary>A registrable name that ends with the domain: <c>https://evilexample.com</c> (string suffix checks).</summary>
    public string? DomainSuffix => HasDomain ? Origin("evil" + Domain) : null;

    /// <summary>
    /// A sibling that ends with the whole host, <c>https://evilapp.example.com</c>; none when that is the domain suffix
    /// already.
    /// </summary>
    public string? HostSuffix => HasDomain && !Subdomains && _labels.Length >= 3 ? Origin("evil" + Host) : null;

    /// <summary>The trusted origin followed by an attacker's domain (string prefix checks, unanchored regexes).</summary>
    public string? Prefix => IsIPv6 ? null : Origin($"{RepresentativeHost}.{AttackerDomain}");

    /// <summary>The dot before the domain replaced by a letter (regexes with unescaped dots): <c>https://appxexample.com</c>.</summary>
    public string? UnescapedDot
    {
        get
        {
            if (Subdomains) return Origin($"{AuditLabel}x{Host}");
            if (!IsName || _labels.Length < 3) return null;
            var dot = Host.IndexOf('.', StringComparison.Ordinal);
            return Origin(string.Concat(Host.AsSpan(0, dot), "x", Host.AsSpan(dot + 1)));
        }
    }

    /// <summary>The plain-http twin of an https origin.</summary>
    public string? HttpTwin => Scheme == "https" ? $"http://{RepresentativeHost}{_portSuffix}" : null;

    /// <summary>The trusted host followed by a character lenient parsers stop at, then an attacker's domain.</summary>
    public IEnumerable<string> SpecialCharacterOrigins =>
        IsIPv6 ? [] : SpecialCharacters.Select(c => Origin($"{RepresentativeHost}{c}.{AttackerDomain}"));

    private string Origin(string host) => $"{Scheme}://{host}{_portSuffix}";
}
