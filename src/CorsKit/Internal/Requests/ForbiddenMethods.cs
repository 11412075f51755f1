namespace CorsKit.Internal;

/// <summary>Methods a browser refuses to send (Fetch "forbidden method"): never allowed, never worth configuring.</summary>
internal static class ForbiddenMethods
{
    public static bool Contains(ReadOnlySpan<char> method) =>
        method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase)
        || method.Equals("TRACE", StringComparison.OrdinalIgnoreCase)
        || method.Equals("TRACK", StringComparison.OrdinalIgnoreCase);
}
