using System.Globalization;
using CorsKit.Internal;

namespace CorsKit.Cli.Check;

/// <summary>
/// The browser side of the Fetch Standard: which requests need a preflight, which response headers script may read.
/// Where the engines and the standard differ, <see cref="BrowserRules"/> decides for the browser the check is for.
/// </summary>
internal static class FetchRules
{
    private static readonly string[] SafelistedResponseHeaders =
        ["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"];

    /// <summary>Headers that describe a request body; a redirect that drops the body drops them too.</summary>
    private static readonly string[] RequestBodyHeaders = ["content-encoding", "content-language", "content-location", "content-type"];

    public const int MaxSafelistedValueLength = 128;

    public const int MaxSafelistedTotalLength = 1024;

    /// <summary>Fetch "normalize a method": only these six are upper-cased; <c>patch</c> stays <c>patch</c>.</summary>
    public static string NormalizeMethod(string method) =>
        HttpSyntax.IsNormalizedMethodName(method, out var upper) ? upper : method;

    public static bool IsSafelistedMethod(string method) => HttpSyntax.IsSafelistedMethod(method);

    public static bool IsForbiddenMethod(string method) => ForbiddenMethods.Contains(method);

    public static bool IsForbiddenRequestHeader(string name) => ForbiddenHeaders.IsForbiddenRequestHeader(name);

    public static bool IsToken(string value) => HttpSyntax.IsToken(value);

    public static bool IsRequestBodyHeader(string name) => RequestBodyHeaders.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Fetch "CORS-unsafe request-header names": lower-cased, sorted, without duplicates. The headers are the ones
    /// the browser sends, one entry per name (Chromium joins repeated names with ", " before it checks them).
    /// </summary>
    public static List<string> UnsafeHeaderNames(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var unsafeNames = new SortedSet<string>(StringComparer.Ordinal);
        var potentiallyUnsafe = new List<string>();
        var safelistedLength = 0;
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (IsSafelistedRequestHeader(lower, value))
            {
                potentiallyUnsafe.Add(lower);
                safelistedLength += value.Length;
            }
            else
            {
                unsafeNames.Add(lower);
            }
        }

        if (safelistedLength > MaxSafelistedTotalLength) unsafeNames.UnionWith(potentiallyUnsafe);
        return [.. unsafeNames];
    }

    /// <summary>Why the browser preflights this request, one sentence per cause; empty when it does not.</summary>
    public static List<string> PreflightReasons(string method, IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyList<string> unsafeNames)
    {
        var reasons = new List<string>();
        if (!IsSafelistedMethod(method)) reasons.Add($"the method {method} is not CORS-safelisted (only GET, HEAD and POST are)");
        foreach (var name in unsafeNames)
        {
            reasons.Add(UnsafeHeaderReason(name, CorsCheckEngine.Header(headers, name) ?? string.Empty));
        }
        return reasons;
    }

    private static string UnsafeHeaderReason(string name, string value)
    {
        if (name is not ("accept" or "accept-language" or "content-language" or "content-type" or "range"))
        {
            return $"the {name} header is not CORS-safelisted";
        }
        if (IsSafelistedRequestHeader(name, value))
        {
            return string.Create(CultureInfo.InvariantCulture, $"the safelisted headers' values exceed {MaxSafelistedTotalLength} bytes in total, "
                + $"so {name} needs permission too");
        }
        if (value.Length > MaxSafelistedValueLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the {name} header is longer than {MaxSafelistedValueLength} bytes");
        }
        return name == "content-type"
            ? $"the content type '{value}' is not application/x-www-form-urlencoded, multipart/form-data or text/plain (or has a byte fetch does "
                + "not allow)"
            : $"the {name} value '{value}' is not one fetch sends without a preflight";
    }

    /// <summary>Fetch "CORS-safelisted request-header" for a lower-case name.</summary>
    public static bool IsSafelistedRequestHeader(string lowerName, string value)
    {
        if (value.Length > MaxSafelistedValueLength) return false;
        return lowerName switch
        {
            "accept" => !value.Any(IsUnsafeByte),
            "accept-language" or "content-language" => value.All(IsLanguageByte),
            "content-type" => !value.Any(IsUnsafeByte) && IsSafelistedContentType(value),
            "range" => IsSafelistedRange(value),
            _ => false,
        };
    }

    public static bool IsSafelistedResponseHeader(string name) => SafelistedResponseHeaders.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Set-Cookie and Set-Cookie2 are never readable, whatever Access-Control-Expose-Headers says.</summary>
    public static bool IsForbiddenResponseHeader(string name) => ForbiddenHeaders.IsForbiddenResponseHeader(name);

    /// <summary>
    /// Parses a comma-separated list of tokens as Chromium does for Access-Control-Allow-Methods, -Allow-Headers and
    /// -Expose-Headers: items are trimmed, empty items are skipped, any other non-token fails the whole list.
    /// </summary>
    public static bool TryParseTokenList(string? value, out List<string> items) => TryParseTokenList(value, out items, out _);

    /// <summary>As <see cref="TryParseTokenList(string?, out List{string})"/>, with the first item that is not a token.</summary>
    public static bool TryParseTokenList(string? value, out List<string> items, out string? invalid)
    {
        items = [];
        invalid = null;
        if (value is null) return true;
        foreach (var part in value.Split(','))
        {
            var item = HttpSyntax.TrimOws(part).ToString();
            if (item.Length == 0) continue;
            if (!HttpSyntax.IsToken(item))
            {
                items.Clear();
                invalid = item;
                return false;
            }
            items.Add(item);
        }
        return true;
    }

    // CORS-unsafe request-header byte: control bytes other than tab, and "():<>?@[\]{} and DEL.
    private static bool IsUnsafeByte(char c) =>
        (c < 0x20 && c != '\t') || c == 0x7F || c is '"' or '(' or ')' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}';

    private static bool IsLanguageByte(char c) =>
        c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or ' ' or '*' or ',' or '-' or '.' or ';' or '=';

    private static bool IsSafelistedContentType(string value)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var essence = HttpSyntax.TrimOws(semicolon < 0 ? value : value[..semicolon]).ToString();
        var slash = essence.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !HttpSyntax.IsToken(essence.AsSpan(0, slash)) || !HttpSyntax.IsToken(essence.AsSpan(slash + 1))) return false;
        return essence.ToLowerInvariant() is "application/x-www-form-urlencoded" or "multipart/form-data" or "text/plain";
    }

    /// <summary>Fetch "parse a single range header value" without whitespace; safelisted only with a start.</summary>
    private static bool IsSafelistedRange(string value)
    {
        if (!value.StartsWith("bytes=", StringComparison.Ordinal)) return false;
        var range = value.AsSpan(6);
        var dash = range.IndexOf('-');
        if (dash <= 0) return false;
        var start = range[..dash];
        var end = range[(dash + 1)..];
        if (!IsDigits(start) || (end.Length != 0 && !IsDigits(end))) return false;
        if (!ulong.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var first)) return false;
        if (end.Length == 0) return true;
        return ulong.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out var last) && first <= last;
    }

    private static bool IsDigits(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty) return false;
        foreach (var c in value)
        {
            if (c is < '0' or > '9') return false;
        }
        return true;
    }
}
