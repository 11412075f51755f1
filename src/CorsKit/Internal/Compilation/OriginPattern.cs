using System.Globalization;
using System.Text;

namespace CorsKit.Internal;

/// <summary>
/// One configured origin entry, parsed and checked at build time: an exact origin, <c>scheme://*.suffix</c>,
/// <c>scheme://host:*</c>, or both wildcards together. Build-time only; may allocate freely.
/// </summary>
internal sealed class OriginPattern
{
    private OriginPattern(string scheme, string host, bool subdomains, PortRule portRule, int port)
    {
        Scheme = scheme;
        Host = host;
        MatchesSubdomains = subdomains;
        PortRule = portRule;
        Port = port;
    }

    public string Scheme { get; }

    /// <summary>The host, or for a subdomain pattern the suffix after <c>*.</c>.</summary>
    public string Host { get; }

    public bool MatchesSubdomains { get; }

    public PortRule PortRule { get; }

    public int Port { get; }

    /// <summary>What follows "scheme://label." in a matching origin: the suffix and, for an explicit port, ":port".</summary>
    public string SuffixKey => PortRule == PortRule.Specific
        ? $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}"
        : Host;

    public bool IsExact => !MatchesSubdomains && PortRule != PortRule.Any;

    /// <summary>
    /// Parses one configured origin. Returns null and adds errors when it is not a canonical origin or a supported
    /// pattern. <c>*</c> (any origin) is handled by the caller.
    /// </summary>
    public static OriginPattern? Parse(string? value, string option, PolicyProblems problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Error(option, value, "An origin is empty.", "Remove the empty entry or write an origin such as 'https://app.example.com'.");
            return null;
        }

        if (value.Trim().Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            problems.Error(option, value, "The 'null' origin is sent by sandboxed iframes, file: pages and redirected requests; allowing it is as "
                + "dangerous as allowing every origin.",
                "Remove 'null'. Serve the page from a real origin and list that origin.");
            return null;
        }

        var trimmed = value.Trim();
        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            problems.Error(option, value, "An origin needs a scheme: "
                + "'scheme://host[:port]'.", $"Write it as 'https://{trimmed.TrimEnd('/').ToLowerInvariant()}'.");
            return null;
        }

        var rawScheme = trimmed[..schemeEnd];
        if (rawScheme.Contains('*', StringComparison.Ordinal))
        {
            problems.Error(option, value, "A wildcard in the scheme is not supported: an origin's scheme must be "
                + "named.", "List each scheme explicitly, e.g. 'https://*.example.com'.");
            return null;
        }

        var scheme = rawScheme.ToLowerInvariant();
        if (!OriginSyntax.IsScheme(scheme))
        {
            problems.Error(option, value, "The scheme is not valid.", "Use a scheme such as 'https' or 'http'.");
            return null;
        }

        if (scheme == "file")
        {
            problems.Error(option, value, "file: pages have an opaque origin and send 'Origin: null'; a file: origin can never match.",
                "Serve the page over http(s) from a real origin and list that origin.");
            return null;
        }

        var notCanonical = new List<string>();
        if (value.Trim().Length != value.Length) notCanonical.Add("surrounding whitespace");
        if (!string.Equals(rawScheme, scheme, StringComparison.Ordinal)) notCanonical.Add("upper-case scheme");

        var rest = trimmed[(schemeEnd + 3)..];
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            notCanonical.Add("user information ('user@') is never part of an origin");
            rest = rest[(at + 1)..];
        }

        var cut = rest.IndexOfAny(['/', '?', '#']);
        if (cut >= 0)
        {
            var tail = rest[cut..];
            notCanonical.Add(tail == "/" ? "trailing slash" : tail[0] switch
            {
                '?' => "query",
                '#' => "fragment",
                _ => "path",
            });
            rest = rest[..cut];
        }

        string hostPart;
        string? portPart = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                problems.Error(option, value, "The IPv6 address is missing its closing ']'.", "Write it as 'http://[::1]:8080'.");
                return null;
            }
            hostPart = rest[..(close + 1)];
            var afterHost = rest[(close + 1)..];
            if (afterHost.Length > 0)
            {
                if (afterHost[0] != ':')
                {
                    problems.Error(option, value, "Unexpected characters after the host.", "Write the origin as 'scheme://host[:port]'.");
                    return null;
                }
                portPart = afterHost[1..];
            }
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            hostPart = colon >= 0 ? rest[..colon] : rest;
            portPart = colon >= 0 ? rest[(colon + 1)..] : null;
        }

        // Port
        var portRule = PortRule.Default;
        var port = 0;
        if (portPart is not null)
        {
            if (portPart == "*")
            {
                portRule = PortRule.Any;
            }
            else if (portPart.Length > 0 && portPart.All(char.IsAsciiDigit) && portPart.Length <= 10
                     && long.Parse(portPart, CultureInfo.InvariantCulture) is var number && number is >= 1 and <= 65535)
            {
                port = (int)number;
                if (portPart[0] == '0') notCanonical.Add("leading zero in the port");
                if (OriginSyntax.IsDefaultPort(scheme, port))
                {
                    notCanonical.Add($"default port {port} (browsers never send it)");
                }
                else
                {
                    portRule = PortRule.Specific;
                }
            }
            else
            {
                problems.Error(option, value, "The port is not a number from 1 to "
                    + "65535.", "Use a port from 1 to 65535, ':*' for any port, or no port for the scheme's default.");
                return null;
            }
        }

        // Host
        var subdomains = false;
        var host = hostPart;
        if (host.Contains('*', StringComparison.Ordinal))
        {
            if (!host.StartsWith("*.", StringComparison.Ordinal) || host.IndexOf('*', 1) >= 0)
            {
                problems.Error(option, value, "Unsupported wildcard: '*' may only stand for whole leading labels, as in 'https://*.example.com'.",
                    "Use 'scheme://*.example.com' (one or more subdomains), list the hosts one by one, or use an anchored regex in OriginRegexes.");
                return null;
            }
            subdomains = true;
            host = host[2..];
        }

        if (host.Length == 0)
        {
            problems.Error(option, value, "The origin has no host.", "Write the origin as 'scheme://host[:port]'.");
            return null;
        }

        var lowerHost = host.ToLowerInvariant();
        if (!string.Equals(lowerHost, host, StringComparison.Ordinal)) notCanonical.Add("upper-case host");

        if (lowerHost.Any(c => c > 0x7f))
        {
            string ascii;
            try
            {
                ascii = new IdnMapping().GetAscii(lowerHost);
            }
            catch (ArgumentException)
            {
                problems.Error(option, value, "The host is not a valid internationalised domain "
                    + "name.", "Write the host in its punycode (xn--) form.");
                return null;
            }
            notCanonical.Add($"non-ASCII host (browsers send the punycode form '{ascii}')");
            lowerHost = ascii;
        }

        var isIp = false;
        if (lowerHost.StartsWith('['))
        {
            isIp = true;
            if (!System.Net.IPAddress.TryParse(lowerHost.AsSpan(1, lowerHost.Length - 2), out var address)
                || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                problems.Error(option, value, "The IPv6 address is not valid.", "Write it as browsers serialize it, e.g. 'http://[::1]:8080'.");
                return null;
            }
            // IPAddress.ToString() writes IPv4-mapped addresses as a dotted quad; browsers never do.
            var canonical = "[" + OriginSyntax.SerializeIPv6(address) + "]";
            if (!string.Equals(canonical, lowerHost, StringComparison.Ordinal))
            {
                notCanonical.Add("IPv6 address not in its compressed form");
                lowerHost = canonical;
            }
        }
        else if (!OriginSyntax.IsDnsOrIPv4Host(lowerHost, out isIp))
        {
            problems.Error(option, value, "The host is not a valid host name or IPv4 address (letters, digits, '-' and '_' in dot-separated labels "
                + "of 1-63 characters, or four decimal numbers without leading zeros).",
                "Write the host as a browser would send it, e.g. 'app.example.com' or '127.0.0.1'.");
            return null;
        }

        if (subdomains && isIp)
        {
            problems.Error(option, value, "Wildcards on IP addresses are not supported: IP addresses have no "
                + "subdomains.", "List each address explicitly.");
            return null;
        }

        var pattern = new OriginPattern(scheme, lowerHost, subdomains, portRule, port);
        if (notCanonical.Count > 0)
        {
            var suggestion = pattern.Display;
            problems.Error(option, value, $"The origin is not in canonical form ({string.Join("; ", notCanonical)}), so a browser's Origin header "
                + $"would never equal it.",
                $"Write '{suggestion}'.");
            return null;
        }

        return pattern;
    }

    /// <summary>The pattern as written in canonical form.</summary>
    public string Display
    {
        get
        {
            var builder = new StringBuilder();
            builder.Append(Scheme).Append("://");
            if (MatchesSubdomains) builder.Append("*.");
            builder.Append(Host);
            if (PortRule == PortRule.Specific) builder.Append(':').Append(Port.ToString(CultureInfo.InvariantCulture));
            if (PortRule == PortRule.Any) builder.Append(":*");
            return builder.ToString();
        }
    }
}
