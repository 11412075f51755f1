using System.Text.RegularExpressions;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// docs/troubleshooting.md explains the CORS console messages of Chromium, Firefox and WebKit. Each message it quotes
/// is a line <c>&gt; `message`</c>; the suite checks that every CORS message an engine prints in a scenario is quoted
/// there, and that every quoted message is one an engine printed. Messages are compared by their reason (Chromium:
/// the part after "has been blocked by CORS policy: "; Firefox: from "(Reason:" on; WebKit: the whole line), with
/// URLs and origins replaced, as the guide's examples use example.com where the suite has *.localhost and port
/// placeholders, with the status code replaced, and with the method or header name an engine names replaced, as one
/// section explains them all.
/// </summary>
internal static partial class TroubleshootingGuide
{
    public const string Path = "docs/troubleshooting.md";

    private const string QuotePrefix = "> `";
    private const string ChromiumMarker = "has been blocked by CORS policy: ";
    private const string FirefoxMarker = "(Reason: ";

    private static readonly Lazy<string> Text = new(() => File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Find(), Path)));

    /// <summary>The reasons of the messages the guide quotes, normalized.</summary>
    public static IReadOnlyList<string> QuotedReasons() => Text.Value.Split('\n')
        .Where(line => line.StartsWith(QuotePrefix, StringComparison.Ordinal))
        .Select(line => Normalize(line.TrimEnd()[QuotePrefix.Length..].TrimEnd('`')))
        .ToList();

    /// <summary>Whether the guide quotes a message with this console error's reason.</summary>
    public static bool Quotes(string consoleError) => QuotedReasons().Contains(Normalize(consoleError), StringComparer.Ordinal);

    /// <summary>The part of an engine's CORS message that names the reason (see the class summary).</summary>
    public static string ReasonPart(string text)
    {
        var at = text.IndexOf(ChromiumMarker, StringComparison.Ordinal);
        if (at >= 0) return text[(at + ChromiumMarker.Length)..];
        at = text.IndexOf(FirefoxMarker, StringComparison.Ordinal);
        return at >= 0 ? text[at..] : text;
    }

    /// <summary>
    /// The reason with every URL or origin replaced by <c>&lt;origin&gt;</c>, the status code by <c>&lt;status&gt;</c>,
    /// and the method or header it names by <c>&lt;name&gt;</c>.
    /// </summary>
    public static string Normalize(string message)
    {
        var reason = Origin().Replace(ReasonPart(message), "<origin>");
        reason = StatusCode().Replace(reason, "Status code: <status>");
        reason = NamedMethodOrHeader().Replace(reason, "${lead}<name> ");
        return FirefoxHeaderName().Replace(reason, "header ‘<name>’ is not allowed");
    }

    [GeneratedRegex(@"(?:https?://[A-Za-z0-9.\-]+(?::(?:[0-9]+|\{[a-z0-9]+\}))?(?:/[^\s',‘’]*)?|(?<=Origin )null(?= ))")]
    private static partial Regex Origin();

    [GeneratedRegex(@"Status code: [0-9]{3}")]
    private static partial Regex StatusCode();

    [GeneratedRegex(@"^(?<lead>Method |Request header field )\S+ ")]
    private static partial Regex NamedMethodOrHeader();

    [GeneratedRegex(@"header ‘[^’]+’ is not allowed")]
    private static partial Regex FirefoxHeaderName();
}
