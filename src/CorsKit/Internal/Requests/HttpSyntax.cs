namespace CorsKit.Internal;

/// <summary>RFC 9110 token rules, shared by configuration validation and request parsing.</summary>
internal static class HttpSyntax
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static readonly bool[] TokenChars = BuildTokenTable();

    private static bool[] BuildTokenTable()
    {
        var table = new bool[128];
        for (var c = '0'; c <= '9'; c++) table[c] = true;
        for (var c = 'a'; c <= 'z'; c++) table[c] = true;
        for (var c = 'A'; c <= 'Z'; c++) table[c] = true;
        foreach (var c in "!#$%&'*+-.^_`|~") table[c] = true;
        return table;
    }

    public static bool IsTokenChar(char c) => c < 128 && TokenChars[c];

    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty) return false;
        foreach (var c in value)
        {
            if (!IsTokenChar(c)) return false;
        }
        return true;
    }

    public static bool IsOws(char c) => c == ' ' || c == '\t';

    public static ReadOnlySpan<char> TrimOws(ReadOnlySpan<char> value)
    {
        var start = 0;
        var end = value.Length;
        while (start < end && IsOws(value[start])) start++;
        while (end > start && IsOws(value[end - 1])) end--;
        return value[start..end];
    }

    /// <summary>The methods that fetch upper-cases before sending (Fetch "normalize a method").</summary>
    public static bool IsNormalizedMethodName(string method, out string upper)
    {
        upper = method.ToUpperInvariant();
        return upper is "DELETE" or "GET" or "HEAD" or "OPTIONS" or "POST" or "PUT";
    }

    /// <summary>GET, HEAD and POST need no permission from a preflight (Fetch "CORS-safelisted method").</summary>
    public static bool IsSafelistedMethod(ReadOnlySpan<char> method) =>
        method.SequenceEqual("GET") || method.SequenceEqual("HEAD") || method.SequenceEqual("POST");
}
