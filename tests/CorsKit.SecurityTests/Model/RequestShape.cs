using System.Text;

namespace CorsKit.SecurityTests.Model;

/// <summary>
/// One request as raw header lines. A null header is absent; an array holds one entry per header line, so repeated
/// and split headers can be expressed. <see cref="AppVary"/> is a Vary value the app itself sets on its response.
/// </summary>
internal sealed record RequestShape(
    string Method,
    string[]? Origin = null,
    string[]? RequestMethod = null,
    string[]? RequestHeaders = null,
    string[]? AppVary = null)
{
    public static RequestShape Preflight(string origin, string method = "PUT", string? requestHeaders = null) =>
        new("OPTIONS", [origin], [method], requestHeaders is null ? null : [requestHeaders]);

    public static RequestShape Actual(string? origin, string method = "GET") =>
        new(method, origin is null ? null : [origin]);

    public override string ToString()
    {
        var text = new StringBuilder(Method);
        Append(text, "Origin", Origin);
        Append(text, "ACRM", RequestMethod);
        Append(text, "ACRH", RequestHeaders);
        Append(text, "AppVary", AppVary);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string name, string[]? lines)
    {
        if (lines is null) return;
        text.Append(' ').Append(name).Append('=');
        text.Append(lines.Length == 1 ? Printable.Quote(lines[0]) : "[" + string.Join(", ", lines.Take(5).Select(Printable.Quote)) + (lines.Length > 5 ? $", …{lines.Length} lines]" : "]"));
    }
}

/// <summary>Renders hostile strings readably in test names and failure messages.</summary>
internal static class Printable
{
    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value.Length > 120 ? value[..120] : value)
        {
            if (c is < ' ' or > '~') text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else if (c is '"' or '\\') text.Append('\\').Append(c);
            else text.Append(c);
        }
        text.Append('"');
        if (value.Length > 120) text.Append($"…({value.Length} chars)");
        return text.ToString();
    }
}
