using System.Collections.Frozen;

namespace CorsKit.Internal;

/// <summary>Header names from the Fetch Standard's lists that matter to policy validation.</summary>
internal static class ForbiddenHeaders
{
    /// <summary>Fetch "forbidden request-header" names: script can never set them, so allowing them means nothing.</summary>
    private static readonly FrozenSet<string> ForbiddenRequestNames = new[]
    {
        "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
        "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
        "origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsForbiddenRequestHeader(string name) =>
        ForbiddenRequestNames.Contains(name)
        || name.StartsWith("proxy-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("sec-", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fetch "forbidden response-header" names: Set-Cookie and Set-Cookie2 are never readable by script,
    /// whatever Access-Control-Expose-Headers says.</summary>
    public static bool IsForbiddenResponseHeader(string name) =>
        name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase) || name.Equals("set-cookie2", StringComparison.OrdinalIgnoreCase);
}
