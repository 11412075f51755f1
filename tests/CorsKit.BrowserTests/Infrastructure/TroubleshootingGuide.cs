using System.Text.RegularExpressions;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// docs/troubleshooting.md explains Chromium's CORS console messages. Each message it quotes is a line
/// <c>&gt; `Access to fetch at … has been blocked by CORS policy: REASON`</c>; the suite checks that every message
/// Chromium prints in a scenario is quoted there, and that every quoted message is one Chromium printed. Messages are
/// compared by their reason (the part after "has been blocked by CORS policy: ") with URLs and origins replaced, as
/// the guide's examples use example.com where the suite has *.localhost and port placeholders, and with the method or
/// header name Chromium names replaced, as one section explains them all.
/// </summary>
internal static partial class TroubleshootingGuide
{
    public const string Path = "docs/troubleshooting.md";

    private const string QuotePrefix = "> `Access to ";

    private static readonly Lazy<string> Text = new(() => File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Find(), Path)));

    /// <summary>The reasons of the messages the guide quotes, normalized.</summary>
    public static IReadOnlyList<string> QuotedReasons() => Text.Value.Split('\n')
        .Where(line => line.StartsWith(QuotePrefix, StringComparison.Ordinal))
        .Select(line => Normalize(ConformanceReport.ReasonPart(line.TrimEnd().TrimEnd('`'))))
        .ToList();

    /// <summary>Whether the guide quotes a message with this console error's reason.</summary>
    public static bool Quotes(string consoleError) => QuotedReasons().Contains(Normalize(ConformanceReport.ReasonPart(consoleError)), StringComparer.Ordinal);

    /// <summary>The reason with every URL or origin replaced by <c>&lt;origin&gt;</c>, and the method or header it names by <c>&lt;name&gt;</c>.</summary>
    public static string Normalize(string reason) => NamedMethodOrHeader().Replace(Origin().Replace(reason, "<origin>"), "${lead}<name> ");

    [GeneratedRegex(@"https?://[A-Za-z0-9.\-]+(?::(?:[0-9]+|\{[a-z0-9]+\}))?(?:/[^\s',]*)?")]
    private static partial Regex Origin();

    [GeneratedRegex(@"^(?<lead>Method |Request header field )\S+ ")]
    private static partial Regex NamedMethodOrHeader();
}
