using System.Globalization;
using System.Text.RegularExpressions;

namespace CorsKit.BrowserTests.Infrastructure;

/// <summary>
/// The ports of one run, by name. Scenarios and policies are written with placeholders (<c>{page}</c>, <c>{api}</c>);
/// captured console messages are written back with the same placeholders, so the committed texts do not change from
/// run to run.
/// </summary>
internal sealed partial class PortNames
{
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);

    public int this[string name] => _ports[name];

    public void Add(string name, int port) => _ports.Add(name, port);

    /// <summary>Replaces every <c>{name}</c> with its port.</summary>
    public string Expand(string text)
    {
        foreach (var (name, port) in _ports)
        {
            text = text.Replace("{" + name + "}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>Replaces every <c>:port</c> of this run with <c>:{name}</c>.</summary>
    public string Normalize(string text) => PortPattern().Replace(text, match =>
    {
        var port = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        foreach (var (name, known) in _ports)
        {
            if (known == port) return ":{" + name + "}";
        }
        return match.Value;
    });

    [GeneratedRegex(@":([0-9]{1,5})(?![0-9])")]
    private static partial Regex PortPattern();
}
