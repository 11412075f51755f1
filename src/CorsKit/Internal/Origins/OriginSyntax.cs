namespace CorsKit.Internal;

/// <summary>
/// Recognises a serialized origin exactly as a browser sends it: <c>scheme "://" host [ ":" port ]</c>, lower case,
/// no default port, nothing after the port. Anything else (paths, userinfo, upper case, spaces, control bytes,
/// non-ASCII, over-long values) is not an origin a browser could send and is refused. Allocation-free.
/// </summary>
internal static class OriginSyntax
{
    /// <summary>Offsets into a well-formed origin.</summary>
    internal readonly struct Parts
    {
        public Parts(int schemeLength, int hostStart, int hostEnd, bool hostIsIp)
        {
            SchemeLength = schemeLength;
            HostStart = hostStart;
            HostEnd = hostEnd;
            HostIsIp = hostIsIp;
        }

        /// <summary>Length of the scheme, without "://".</summary>
        public int SchemeLength { get; }

        /// <summary>Index of the first character of the host.</summary>
        public int HostStart { get; }

        /// <summary>Index just past the host; a port, if any, follows as ":digits".</summary>
        public int HostEnd { get; }

        /// <summary>True for IPv4 and bracketed IPv6 hosts, which subdomain patterns never match.</summary>
        public bool HostIsIp { get; }
    }

    public static bool TryParse(ReadOnlySpan<char> origin, out Parts parts)
    {
        parts = default;
        if (origin.Length == 0 || origin.Length > RequestLimits.MaxOriginLength) return false;

        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), lower case in serialized form
        var i = 0;
        if (!IsLowerAlpha(origin[0])) return false;
        while (i < origin.Length && IsSchemeChar(origin[i])) i++;
        var schemeLength = i;
        if (!origin[i..].StartsWith("://", StringComparison.Ordinal)) return false;
        var hostStart = i + 3;
        if (hostStart >= origin.Length) return false;

        int hostEnd;
        bool isIp;
        if (origin[hostStart] == '[')
        {
            var close = origin[hostStart..].IndexOf(']');
            if (close < 0) return false;
            hostEnd = hostStart + close + 1;
            if (!IsIPv6Literal(origin[(hostStart + 1)..(hostEnd - 1)])) return false;
            isIp = true;
        }
        else
        {
            var colon = origin[hostStart..].IndexOf(':');
            hostEnd = colon < 0 ? origin.Length : hostStart + colon;
            if (!IsDnsOrIPv4Host(origin[hostStart..hostEnd], out isIp)) return false;
        }

        if (hostEnd < origin.Length)
        {
            if (origin[hostEnd] != ':') return false;
            if (!IsCanonicalPort(origin[(hostEnd + 1)..], out var port)) return false;
            if (IsDefaultPort(origin[..schemeLength], port)) return false;
        }

        parts = new Parts(schemeLength, hostStart, hostEnd, isIp);
        return true;
    }

    /// <summary>Port without leading zeros, 1..65535.</summary>
    public static bool IsCanonicalPort(ReadOnlySpan<char> digits, out int port)
    {
        port = 0;
        if (digits.Length == 0 || digits.Length > 5 || digits[0] == '0') return false;
        foreach (var c in digits)
        {
            if (c < '0' || c > '9') return false;
            port = (port * 10) + (c - '0');
        }
        return port <= 65535;
    }

    public static bool IsDefaultPort(ReadOnlySpan<char> scheme, int port) =>
        (port == 443 && (scheme.SequenceEqual("https") || scheme.SequenceEqual("wss"))) ||
        (port == 80 && (scheme.SequenceEqual("http") || scheme.SequenceEqual("ws")));

    /// <summary>
    /// Lower-case DNS name (labels of a-z, 0-9, '-', '_', 1-63 long, no empty label, at most 253 long) or a
    /// dotted-decimal IPv4 address. A name whose last label is numeric is only accepted as a canonical IPv4
    /// address, as the URL parser would treat it as one.
    /// </summary>
    public static bool IsDnsOrIPv4Host(ReadOnlySpan<char> host, out bool isIPv4)
    {
        isIPv4 = false;
        if (host.Length == 0 || host.Length > RequestLimits.MaxHostLength) return false;

        // One pass: character classes, label bounds, and whether the label being read is all digits.
        var labelStart = 0;
        var labelNumeric = true;
        for (var i = 0; i < host.Length; i++)
        {
            var c = host[i];
            if (c == '.')
            {
                if (!IsValidLabel(host, labelStart, i)) return false;
                labelStart = i + 1;
                labelNumeric = true;
            }
            else if (IsLowerAlpha(c) || c == '-' || c == '_')
            {
                labelNumeric = false;
            }
            else if (c is < '0' or > '9')
            {
                return false;
            }
        }

        if (!IsValidLabel(host, labelStart, host.Length)) return false;
        if (labelNumeric)
        {
            isIPv4 = true;
            return IsCanonicalIPv4(host);
        }
        return true;
    }

    private static bool IsValidLabel(ReadOnlySpan<char> host, int start, int end) =>
        end - start is > 0 and <= RequestLimits.MaxLabelLength && host[start] != '-' && host[end - 1] != '-';

    private static bool IsCanonicalIPv4(ReadOnlySpan<char> host)
    {
        var parts = 0;
        var start = 0;
        for (var i = 0; i <= host.Length; i++)
        {
            if (i < host.Length && host[i] != '.') continue;
            var part = host[start..i];
            if (part.Length == 0 || part.Length > 3 || (part.Length > 1 && part[0] == '0')) return false;
            var value = 0;
            foreach (var c in part)
            {
                if (c < '0' || c > '9') return false;
                value = (value * 10) + (c - '0');
            }
            if (value > 255) return false;
            parts++;
            start = i + 1;
        }
        return parts == 4;
    }

    /// <summary>
    /// Only the URL Standard's IPv6 serialization, the one form a browser sends: lower-case hex pieces without leading
    /// zeros, the first longest run of two or more zero pieces written "::", never a dotted quad. Other spellings of
    /// the same address would otherwise reach regexes and predicates.
    /// </summary>
    private static bool IsIPv6Literal(ReadOnlySpan<char> inner)
    {
        if (inner.Length < 2 || inner.Length > 39) return false;
        Span<int> written = stackalloc int[8];
        var count = 0;
        var compressAt = -1;
        var i = 0;
        if (inner.StartsWith("::", StringComparison.Ordinal))
        {
            compressAt = 0;
            i = 2;
        }

        while (i < inner.Length)
        {
            if (count == 8) return false;
            var start = i;
            var value = 0;
            while (i < inner.Length && i - start < 4 && HexValue(inner[i]) is var digit and >= 0)
            {
                value = (value * 16) + digit;
                i++;
            }
            if (i == start || (i - start > 1 && inner[start] == '0')) return false;
            written[count++] = value;
            if (i == inner.Length) break;
            if (inner[i] != ':' || ++i == inner.Length) return false;
            if (inner[i] == ':')
            {
                if (compressAt >= 0) return false;
                compressAt = count;
                i++;
            }
        }

        var zeros = 8 - count;
        if (compressAt < 0 ? zeros != 0 : zeros < 2) return false;

        // The "::" must stand exactly where the serializer would put it.
        Span<int> pieces = stackalloc int[8];
        if (compressAt < 0)
        {
            written.CopyTo(pieces);
        }
        else
        {
            written[..compressAt].CopyTo(pieces);
            pieces.Slice(compressAt, zeros).Clear();
            written[compressAt..count].CopyTo(pieces[(compressAt + zeros)..]);
        }

        var (bestStart, bestLength) = LongestZeroRun(pieces);
        return compressAt < 0 ? bestStart < 0 : bestStart == compressAt && bestLength == zeros;
    }

    /// <summary>The first longest run of two or more zero pieces, which the serializer writes "::"; (-1, 0) if none.</summary>
    private static (int Start, int Length) LongestZeroRun(ReadOnlySpan<int> pieces)
    {
        int bestStart = -1, bestLength = 0;
        for (var start = 0; start < pieces.Length; start++)
        {
            var length = 0;
            while (start + length < pieces.Length && pieces[start + length] == 0) length++;
            if (length >= 2 && length > bestLength)
            {
                bestStart = start;
                bestLength = length;
            }
        }
        return (bestStart, bestLength);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    /// <summary>The URL Standard's serialization of an IPv6 address (build time: suggestions for configured origins).</summary>
    public static string SerializeIPv6(System.Net.IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Span<int> pieces = stackalloc int[8];
        for (var p = 0; p < 8; p++) pieces[p] = (bytes[2 * p] << 8) | bytes[(2 * p) + 1];

        var (bestStart, bestLength) = LongestZeroRun(pieces);
        var text = new System.Text.StringBuilder(39);
        for (var p = 0; p < 8; p++)
        {
            if (p == bestStart)
            {
                text.Append(p == 0 ? "::" : ":");
                p += bestLength - 1;
                continue;
            }
            text.Append(pieces[p].ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            if (p < 7) text.Append(':');
        }
        return text.ToString();
    }

    /// <summary>True when the whole of <paramref name="scheme"/> is URL scheme syntax, in lower case.</summary>
    internal static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (scheme.IsEmpty || !IsLowerAlpha(scheme[0])) return false;
        foreach (var c in scheme)
        {
            if (!IsSchemeChar(c)) return false;
        }
        return true;
    }

    private static bool IsLowerAlpha(char c) => c >= 'a' && c <= 'z';

    private static bool IsSchemeChar(char c) =>
        IsLowerAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}
