using System.Text;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>Makes request values safe to log: capped in length, control and non-ASCII characters escaped.</summary>
internal static class SafeLog
{
    public const int MaxLength = 256;

    public static string Value(StringValues values) => values.Count switch
    {
        0 => "(none)",
        1 => Value(values[0]),
        _ => $"({values.Count} values) " + Value(string.Join(" | ", values.ToArray())),
    };

    public static string Value(string? value)
    {
        if (value is null) return "(none)";
        var needsEscape = value.Length > MaxLength;
        foreach (var c in value)
        {
            if (c < 0x20 || c >= 0x7f) { needsEscape = true; break; }
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
}

/// <summary>A request value escaped only when a log line is actually written.</summary>
internal readonly struct LoggedValue
{
    private readonly StringValues _values;

    public LoggedValue(StringValues values) => _values = values;

    public override string ToString() => SafeLog.Value(_values);
}
