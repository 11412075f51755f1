using System.Globalization;
using System.Net;

namespace CorsKit.SecurityTests.Attacks;

/// <summary>One class of hostile Origin value from CORS scanners (CORScanner, Corsy) and PortSwigger's research.</summary>
internal sealed record AttackClass(string Name, Func<Reference, IEnumerable<string>> Derive)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every attack class, each deriving many origins from an allowed reference origin. A class yields nothing where it
/// does not apply (IPv6 spellings of a DNS name, other ports where any port is allowed, subdomains where they are).
/// </summary>
internal static class AttackClasses
{
    public static readonly AttackClass ReflectedForeign = new("reflected-foreign", r =>
    [
        "https://evil.net", "http://evil.net", "wss://evil.net", "https://attacker.example", "https://evil.net:8443",
        r.With("evil.net"), r.With("evil.net", ":4443"), r.With("allowed-cdn.evil.net"),
        "http://127.0.0.2:8080", "http://[::2]:8080", "http://localhost.evil.net:3000",
    ]);

    public static readonly AttackClass PrefixMatch = new("prefix-match", r =>
        new[] { ".evil.net", "evil.net", ".evil", "-evil.net", "_evil.net", ".co", ".com", "a", ".localhost" }
            .Select(tail => r.With(r.Host + tail))
            .Append(r.With(r.Host + ".evil.net", string.Empty)));

    public static readonly AttackClass SuffixMatch = new("suffix-match", r =>
        new[] { "evil", "evil-", "evil_", "1", "x", "www", "-", "attacker" }
            .SelectMany(head => r.ProtectedStart > 0
                ? new[] { r.With(r.Free + head + r.Pinned), r.With(head + r.Pinned) }
                : new[] { r.With(head + r.Pinned) }));

    public static readonly AttackClass PartialHost = new("partial-host", r =>
    {
        if (r.IsIPv6) return [r.With(r.Host[1..]), r.With(r.Host[..^1]), r.With(r.Host[1..^1])];
        var pinned = r.Pinned;
        var labels = pinned.Split('.');
        var parts = new List<string> { pinned[1..], pinned[..^1], labels[0], labels[^1] };
        if (labels.Length > 1) parts.Add(string.Join('.', labels[1..]));
        if (labels.Length > 1) parts.Add(string.Join('.', labels[..^1]));
        var origins = parts.Where(p => p.Length > 0 && p != pinned).Select(p => r.With(r.Free + p)).ToList();
        if (r.ProtectedStart > 0) origins.Add(r.With(pinned)); // the bare suffix is not one of its subdomains
        return origins;
    });

    public static readonly AttackClass UnescapedDot = new("unescaped-dot", r =>
    {
        var pinned = r.Pinned;
        var origins = new List<string>();
        for (var i = 0; i < pinned.Length; i++)
        {
            if (pinned[i] != '.') continue;
            foreach (var replacement in "x-_0")
            {
                origins.Add(r.With(r.Free + pinned[..i] + replacement + pinned[(i + 1)..]));
            }
        }
        return origins;
    });

    /// <summary>Characters browsers or parsers have let through after a host (Corsy, PortSwigger), raw and percent-encoded.</summary>
    public static readonly AttackClass SpecialCharacters = new("special-characters", r =>
        "_-\"{}+^`!~;|&'()*,$=%\\/@#?<>[]".Select(c => r.With(r.Host + c + ".evil.net"))
            .Concat(new[] { "%60", "%2e", "%2E", "%40", "%2f", "%5c", "%00", "%0d%0a", "%09", "%20", "%ff", "%5f", "%25" }
                .SelectMany(encoded => new[] { r.With(r.Host + encoded + ".evil.net"), r.With(r.Host + encoded) })));

    public static readonly AttackClass NullOrigin = new("null-and-opaque", r =>
    [
        "null", "NULL", "Null", "null ", " null", "\"null\"", "nul", "null\0", "null,null", "null " + r.Origin,
        "file://", "file:///etc/passwd", "data:", "about:blank", "blob:" + r.Origin, "filesystem:" + r.Origin + "/temporary/",
    ]);

    public static readonly AttackClass AnySubdomain = new("subdomain-of-exact", r => r.SubdomainsAllowed
        ? []
        : new[] { "www", "evil", "a.b", "xn--80ak6aa92e", "_dmarc", "0a", "a-b", "localhost" }
            .Select(label => r.With(label + "." + r.Host))
            .Append(r.With(r.Host + "." + r.Host)));

    public static readonly AttackClass SchemeChange = new("other-scheme", r =>
        new[] { "http", "https", "ws", "wss", "ftp", "file", "chrome-extension", "httpss", "shttp", r.Scheme + "s", r.Scheme[..^1], "h" + r.Scheme }
            .Where(s => s != r.Scheme)
            .Select(s => s + "://" + r.Host + r.PortSuffix));

    public static readonly AttackClass OtherPort = new("other-port", r =>
    {
        if (r.AnyPort) return [];
        var ports = new List<int> { 1, 81, 444, 3000, 8080, 8443, 65535 };
        if (r.Port is { } port) ports.AddRange([port - 1, port + 1]);
        var defaultPort = r.Scheme == "https" ? 443 : r.Scheme == "http" ? 80 : -1;
        ports.AddRange(r.Scheme == "https" ? [80] : r.Scheme == "http" ? [443] : []);
        var origins = ports.Where(p => p != r.Port && p != defaultPort).Select(p => r.With(r.Host, ":" + p.ToString(CultureInfo.InvariantCulture))).ToList();
        if (r.Port is not null) origins.Add(r.With(r.Host, string.Empty));
        return origins;
    });

    public static readonly AttackClass UpperCase = new("upper-case", r =>
    {
        var origin = r.Origin;
        var hostStart = r.Scheme.Length + 3;
        var letters = Enumerable.Range(hostStart, r.Host.Length).Where(i => char.IsAsciiLetter(origin[i])).ToList();
        var variants = new List<string>
        {
            origin.ToUpperInvariant(),
            r.Scheme.ToUpperInvariant() + origin[r.Scheme.Length..],
            Toggle(origin, 0),
            r.With(r.Host.ToUpperInvariant()),
            r.With(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(r.Host)),
        };
        if (letters.Count > 0) variants.AddRange([Toggle(origin, letters[0]), Toggle(origin, letters[^1]), Toggle(origin, letters[letters.Count / 2])]);
        return variants.Where(v => v != origin);
    });

    public static readonly AttackClass TrailingJunk = new("path-query-fragment", r =>
        new[] { "/", "//", "/path", "/.", "/..", "?", "?q=1", "#", "#frag", "/?#", ":", ":/", "/:443", "\\", ";", "/%2e%2e", "/" + r.Origin }
            .Select(tail => r.Origin + tail)
            .Append(r.With(r.Host + ".")));

    public static readonly AttackClass UserInfo = new("userinfo", r =>
    [
        r.Origin + "@evil.net", r.With(r.Host + "@evil.net", string.Empty), r.With("user@" + r.Host), r.With("user:pass@" + r.Host),
        r.With("evil.net@" + r.Host), r.With("@" + r.Host), r.With(r.Host + "%40evil.net"), r.With("evil.net\\@" + r.Host),
        r.With("evil.net#@" + r.Host), r.With("evil.net?@" + r.Host), r.Origin + ":@evil.net",
    ]);

    /// <summary>Look-alike letters, raw (never sent by a browser) and in the punycode form a browser would send.</summary>
    public static readonly AttackClass IdnHomograph = new("idn-homograph", r =>
    {
        if (r.IsIPv6) return [];
        var confusables = new Dictionary<char, char>
        {
            ['a'] = '\u0430', ['e'] = '\u0435', ['o'] = '\u043e', ['p'] = '\u0440', ['c'] = '\u0441', ['x'] = '\u0445',
            ['y'] = '\u0443', ['i'] = '\u0456', ['l'] = '\u04cf', ['w'] = '\u051d', ['h'] = '\u04bb',
        };
        var pinned = r.Pinned;
        var origins = new List<string>();
        for (var i = 0; i < pinned.Length; i++)
        {
            if (!confusables.TryGetValue(pinned[i], out var lookalike)) continue;
            var host = r.Free + pinned[..i] + lookalike + pinned[(i + 1)..];
            origins.Add(r.With(host));
            if (Punycode(host) is { } ascii && ascii != r.Host) origins.Add(r.With(ascii));
        }

        origins.Add(r.With(r.Free + "xn--" + pinned));
        origins.Add(r.With(r.Free + "\uff41" + pinned[1..]));
        origins.Add(r.With(r.Free + pinned.Replace('.', '\u3002')));
        origins.Add(r.With(r.Free + pinned.Replace("l", "1", StringComparison.Ordinal)));
        origins.Add(r.With(r.Free + pinned.Replace("m", "rn", StringComparison.Ordinal)));
        return origins.Where(o => o != r.Origin);
    });

    public static readonly AttackClass DefaultPortSpellings = new("default-port-and-port-spellings", r =>
    {
        var origins = new List<string>();
        string[] defaults = r.Scheme is "https" or "wss" ? [":443", ":0443", ":00443"] : r.Scheme is "http" or "ws" ? [":80", ":080", ":0080"] : [];
        origins.AddRange(defaults.Select(p => r.With(r.Host, p)));
        var port = r.Port?.ToString(CultureInfo.InvariantCulture) ?? "8080";
        origins.AddRange(new[] { ":0" + port, ":+" + port, ": " + port, ":" + port + ".0", ":" + port + ":" + port, ":65536", ":0", ":-1", ":99999", ":1e3", ":0x50", ":" }
            .Select(p => r.With(r.Host, p)));
        return origins;
    });

    public static readonly AttackClass IPv6Spellings = new("ipv6-spellings", r =>
    {
        if (!r.IsIPv6) return [];
        var bytes = IPAddress.Parse(r.Host[1..^1]).GetAddressBytes();
        var pieces = Enumerable.Range(0, 8).Select(i => (bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToArray();
        var full = string.Join(':', pieces.Select(p => p.ToString("x", CultureInfo.InvariantCulture)));
        var padded = string.Join(':', pieces.Select(p => p.ToString("x4", CultureInfo.InvariantCulture)));
        var lastTwo = $"{bytes[12]}.{bytes[13]}.{bytes[14]}.{bytes[15]}";
        var inner = r.Host[1..^1];
        return new[]
        {
            "[" + full + "]", "[" + padded + "]", "[" + padded.ToUpperInvariant() + "]", "[" + inner.ToUpperInvariant() + "]",
            "[" + string.Join(':', pieces.Take(6).Select(p => p.ToString("x", CultureInfo.InvariantCulture))) + ":" + lastTwo + "]",
            "[::" + lastTwo + "]", "[::ffff:" + lastTwo + "]", "[0" + inner + "]", "[" + inner + "%25lo]", "[" + inner + "%lo]",
            inner, "[" + r.Host + "]", r.Host + "]", "[" + inner, "[ " + inner + "]", "[" + inner + " ]", "[" + inner.Replace("::", ":0:", StringComparison.Ordinal) + "]",
        }.Where(h => h != r.Host).Select(h => r.With(h));
    });

    public static readonly AttackClass IPv4Spellings = new("ipv4-spellings", r =>
    {
        if (!r.IsIPv4) return [];
        var b = r.Host.Split('.').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var dword = ((long)b[0] << 24) | ((long)b[1] << 16) | ((long)b[2] << 8) | (long)b[3];
        var hosts = new[]
        {
            dword.ToString(CultureInfo.InvariantCulture), "0x" + dword.ToString("x", CultureInfo.InvariantCulture), "0" + Convert.ToString(dword, 8),
            string.Join('.', b.Select(p => "0" + Convert.ToString(p, 8))), string.Join('.', b.Select(p => "0x" + p.ToString("x", CultureInfo.InvariantCulture))),
            $"{b[0]}.{(b[1] << 16) | (b[2] << 8) | b[3]}", $"{b[0]}.{b[1]}.{(b[2] << 8) | b[3]}",
            string.Join('.', b.Select(p => p.ToString("000", CultureInfo.InvariantCulture))), $"{b[0]}.{b[1]}.{b[2]}.0{b[3]}",
            r.Host + ".", "[::ffff:" + r.Host + "]", "[::ffff:" + ((b[0] << 8) | b[1]).ToString("x", CultureInfo.InvariantCulture) + ":" + ((b[2] << 8) | b[3]).ToString("x", CultureInfo.InvariantCulture) + "]",
            $"{b[0]}.{b[1]}.{b[2]}.{b[3] + 256}",
        };
        return hosts.Select(h => r.With(h));
    });

    /// <summary>Each whitespace or control character at a rotating position: start, end, after "://", before the port.</summary>
    public static readonly AttackClass WhitespaceAndControl = new("whitespace-and-control", r =>
    {
        var origin = r.Origin;
        int[] positions = [0, origin.Length, r.Scheme.Length + 3, r.Scheme.Length + 3 + r.Host.Length];
        var characters = " \t\v\f\0\u0001\u001b\u007f\u0085\u00a0\u2028\u3000\ufeff\u200b";
        var origins = new List<string>();
        for (var i = 0; i < characters.Length; i++)
        {
            var everywhere = characters[i] is ' ' or '\t' or '\0';
            foreach (var position in everywhere ? positions : [positions[i % positions.Length]])
            {
                origins.Add(origin.Insert(position, characters[i].ToString()));
            }
        }
        return origins;
    });

    /// <summary>Header injection, including characters whose low byte is CR or LF (a Latin-1 truncation trick).</summary>
    public static readonly AttackClass CrLfInjection = new("crlf-injection", r =>
    [
        r.Origin + "\r\nSet-Cookie: a=b", r.Origin + "\r\n", r.Origin + "\r", r.Origin + "\n", r.Origin + "\r\nAccess-Control-Allow-Origin: *",
        r.Origin + "\nX-Injected: 1", "\r\n" + r.Origin, r.Scheme + "://\r\n" + r.Host + r.PortSuffix, r.With(r.Host + "\r\n.evil.net"),
        r.Origin + "%0d%0aSet-Cookie:a=b", r.Origin + "\u010d\u010aSet-Cookie: a=b", r.Origin + "\u560d\u560aSet-Cookie: a=b",
        r.Origin + "\r\n\r\n<script>alert(1)</script>",
    ]);

    /// <summary>Over the label (63), host (253) and Origin (512) limits, and far beyond.</summary>
    public static readonly AttackClass OverLong = new("over-long", r =>
    {
        var origins = new List<string> { r.With(new string('a', 64) + "." + r.Host) };
        origins.Add(r.With(Labels(254 - r.Host.Length) + r.Host));
        foreach (var length in new[] { 513, 1024, 8192, 65536 })
        {
            var padding = length - r.Origin.Length;
            origins.Add(r.With(Labels(padding) + r.Host));
        }
        origins.Add(r.Origin + new string('a', 600));
        origins.Add(r.Origin + "/" + new string('a', 100_000));
        return origins;
    });

    public static readonly AttackClass OriginList = new("origin-list", r =>
    [
        r.Origin + " https://evil.net", "https://evil.net " + r.Origin, r.Origin + ",https://evil.net", r.Origin + ", https://evil.net",
        "https://evil.net," + r.Origin, r.Origin + " " + r.Origin, r.Origin + "," + r.Origin, r.Origin + "\t" + r.Origin,
    ]);

    public static readonly IReadOnlyList<AttackClass> All =
    [
        ReflectedForeign, PrefixMatch, SuffixMatch, PartialHost, UnescapedDot, SpecialCharacters, NullOrigin, AnySubdomain,
        SchemeChange, OtherPort, UpperCase, TrailingJunk, UserInfo, IdnHomograph, DefaultPortSpellings, IPv6Spellings,
        IPv4Spellings, WhitespaceAndControl, CrLfInjection, OverLong, OriginList,
    ];

    private static string Toggle(string value, int index) =>
        value[..index] + (char.IsAsciiLetterUpper(value[index]) ? char.ToLowerInvariant(value[index]) : char.ToUpperInvariant(value[index])) + value[(index + 1)..];

    /// <summary>Dot-terminated labels of up to 63 'a's, exactly <paramref name="length"/> characters long.</summary>
    private static string Labels(int length)
    {
        var builder = new System.Text.StringBuilder(length);
        var remaining = length;
        while (remaining > 1)
        {
            var take = Math.Min(64, remaining);
            if (remaining - take == 1) take--; // never leave one character, which cannot form a label and its dot
            builder.Append('a', take - 1).Append('.');
            remaining -= take;
        }
        return builder.ToString();
    }

    private static string? Punycode(string host)
    {
        try
        {
            return new IdnMapping().GetAscii(host);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
