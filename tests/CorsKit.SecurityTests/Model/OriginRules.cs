using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CorsKit.SecurityTests.Model;

/// <summary>
/// The reference model's idea of "an Origin value a browser could send", written from the URL Standard's origin
/// serialization and CorsKit's documented contract, not from CorsKit's parser: <c>scheme "://" host [":" port]</c>,
/// lower case, at most 512 characters, no default port, the host a DNS name (labels of a-z 0-9 - _, 1-63 long, no
/// leading or trailing hyphen, at most 253 long, last label not numeric), a dotted-decimal IPv4 address, or an IPv6
/// address in brackets exactly as the URL Standard serializes it.
/// </summary>
internal static partial class OriginRules
{
    public const int MaxOriginLength = 512;

    [GeneratedRegex(@"\A(?<scheme>[a-z][a-z0-9+.\-]*)://(?<host>\[[0-9a-f:]+\]|[a-z0-9._\-]+)(?::(?<port>[1-9][0-9]{0,4}))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public static bool IsSerializedOrigin(string? value)
    {
        if (value is null || value.Length > MaxOriginLength) return false;
        var match = Shape().Match(value);
        if (!match.Success) return false;

        var scheme = match.Groups["scheme"].Value;
        var host = match.Groups["host"].Value;
        if (match.Groups["port"].Success)
        {
            var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (port > 65535 || port == DefaultPort(scheme)) return false;
        }

        return host[0] == '[' ? IsSerializedIPv6(host[1..^1]) : IsDomainOrIPv4(host);
    }

    /// <summary>Splits an origin the model already knows is well formed.</summary>
    public static (string Scheme, string Host, string? Port) Split(string origin)
    {
        var schemeEnd = origin.IndexOf("://", StringComparison.Ordinal);
        var scheme = origin[..schemeEnd];
        var rest = origin[(schemeEnd + 3)..];
        var hostEnd = rest[0] == '[' ? rest.IndexOf(']') + 1 : rest.Contains(':') ? rest.IndexOf(':') : rest.Length;
        var host = rest[..hostEnd];
        var port = hostEnd < rest.Length ? rest[(hostEnd + 1)..] : null;
        return (scheme, host, port);
    }

    public static int? DefaultPort(string scheme) => scheme switch
    {
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        _ => null,
    };

    private static bool IsDomainOrIPv4(string host)
    {
        if (host.Length > 253) return false;
        var labels = host.Split('.');
        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
        }

        // The URL parser reads a host whose last label is a number as an IPv4 address; only the canonical dotted
        // quad survives serialization unchanged.
        return !labels[^1].All(char.IsAsciiDigit) || IsDottedQuad(labels);
    }

    private static bool IsDottedQuad(string[] labels) =>
        labels.Length == 4 && labels.All(label =>
            label.All(char.IsAsciiDigit) && label.Length <= 3 && (label.Length == 1 || label[0] != '0')
            && int.Parse(label, System.Globalization.CultureInfo.InvariantCulture) <= 255);

    private static bool IsSerializedIPv6(string text) =>
        IPAddress.TryParse(text, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6
        && address.ScopeId == 0
        && SerializeIPv6(address.GetAddressBytes()) == text;

    /// <summary>
    /// The URL Standard's IPv6 serializer, restated with strings: the eight pieces in lower-case hex without leading
    /// zeros, then the first longest run of two or more "0" pieces replaced by "::". Never a dotted quad.
    /// </summary>
    public static string SerializeIPv6(byte[] bytes)
    {
        var pieces = Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        var full = ":" + string.Join(':', pieces) + ":";

        // OrderByDescending is stable: among runs of equal length the first stays first.
        var longest = ZeroRuns().Matches(full).OrderByDescending(run => run.Length).FirstOrDefault();
        if (longest is null) return full[1..^1];

        // The colons added around the pieces stay only where they now form the "::".
        var compressed = full[..longest.Index] + full[(longest.Index + longest.Length)..];
        if (!compressed.StartsWith("::", StringComparison.Ordinal)) compressed = compressed[1..];
        if (!compressed.EndsWith("::", StringComparison.Ordinal)) compressed = compressed[..^1];
        return compressed;
    }

    [GeneratedRegex("(?<=:)0(?::0)+(?=:)", RegexOptions.CultureInvariant)]
    private static partial Regex ZeroRuns();

    /// <summary>RFC 9110 token: the grammar of method and header names.</summary>
    public static bool IsToken(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
