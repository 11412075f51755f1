namespace CorsKit.Cli.Output;

/// <summary>ANSI colour, on only for a terminal, and never when NO_COLOR is set (https://no-color.org).</summary>
internal sealed class Terminal(TextWriter writer, bool color)
{
    public TextWriter Writer { get; } = writer;

    public static bool ColorWanted(bool noColorOption) =>
        !noColorOption
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !Console.IsOutputRedirected;

    public void Line(string text = "") => Writer.WriteLine(text);

    public string Bold(string text) => Paint("1", text);

    public string Dim(string text) => Paint("2", text);

    public string Red(string text) => Paint("31", text);

    public string Green(string text) => Paint("32", text);

    public string Yellow(string text) => Paint("33", text);

    public string Cyan(string text) => Paint("36", text);

    private string Paint(string code, string text) => color ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
