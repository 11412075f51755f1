using System.Text;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>Makes request values safe to log: capped in length, control and non-ASCII characters escaped.</summary>
internal static class SafeLog
{
    public const int MaxLength = 256;

    /// <summary>Values shown of a repeated header: the output is capped anyway, so joining them all would only cost.</summary>
    private const int MaxValuesShown = 4;

    public static string Value(StringValues values) => values.Count switch
    {
        0 => "(none)",
        1 => Value(values[0]),
        _ => $"({values.Count} values) " + Value(JoinFirst(values)),
    };

    public static string Value(string? value)
    {
        if (value is null) return "(none)";

        // A value over the cap is escaped and cut anyway; scanning it all first would cost time in its length.
        var needsEscape = value.Length > MaxLength;
        for (var i = 0; i < value.Length && !needsEscape; i++)
        {
            if (value[i] < 0x20 || value[i] >= 0x7f) needsEscape = true;
        }
        if (!needsEscape) return value;

        var builder = new StringBuilder(Math.Min(value.Length, MaxLength) + 16);
        foreach (var c in value)
        {
            if (builder.Length >= MaxLength)
            {
                builder.Append("…(").Append(value.Length).Append(" chars)");
                break;
            }
            if (c < 0x20 || c >= 0x7f) builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>The first values joined, no longer than needed to fill the capped output.</summary>
    private static string JoinFirst(StringValues values)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < values.Count && i < MaxValuesShown && builder.Length <= MaxLength; i++)
        {
            if (i > 0) builder.Append(" | ");
            var value = values[i] ?? string.Empty;
            builder.Append(value, 0, Math.Min(value.Length, MaxLength + 1));
        }
        return builder.ToString();
    }
}
