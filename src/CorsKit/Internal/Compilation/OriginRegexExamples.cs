using System.Globalization;

namespace CorsKit.Internal;

/// <summary>
/// Derives sample strings that an origin regex was written to match, so <see cref="OriginRegexAudit"/> can attack the
/// regex with variations of them. Understands the subset of .NET syntax that origin patterns need: literals, escapes,
/// <c>.</c>, character classes, <c>\d \w \s</c> and their negations, groups (plain, <c>(?:</c>, named), alternation,
/// anchors and quantifiers. Anything else (inline options, lookarounds, Unicode categories, class subtraction) makes
/// <see cref="Derive"/> return null. Build time only.
/// <para>
/// Each choice takes the value a person most likely meant: an unquantified <c>.</c> stands for a dot (the classic
/// unescaped-dot slip), a class or a quantified <c>.</c> for a lower-case letter or a digit, <c>?</c> for both with
/// and without, <c>*</c> and <c>+</c> for one repetition. <c>*</c> (and <c>{0,n}</c>) also yields a
/// <see cref="Example.Loose"/> sample with none: worth attacking when it is an origin, but no sign of a mistake when it
/// is not (<c>https://.*\.example\.com</c> also matches <c>https://.example.com</c>, which no browser sends).
/// </para>
/// </summary>
internal sealed class OriginRegexExamples
{
    public const int MaxExamples = 32;
    private const int MaxRepetitions = 256;
    private const string Preferred = "abcdefghijklmnopqrstuvwxyz1234567890-._";

    private readonly string _pattern;
    private int _position;
    private bool _unsupported;

    private OriginRegexExamples(string pattern) => _pattern = pattern;

    /// <summary>A derived sample; loose when it took a zero-repetition choice nobody was likely to mean.</summary>
    internal readonly record struct Example(string Text, bool Loose);

    /// <summary>Up to <see cref="MaxExamples"/> samples, or null when the pattern uses syntax outside the subset.</summary>
    public static IReadOnlyList<Example>? Derive(string pattern)
    {
        var parser = new OriginRegexExamples(pattern);
        var examples = parser.ParseAlternation();
        return parser._unsupported || parser._position != pattern.Length ? null : examples;
    }

    private bool AtEnd => _position >= _pattern.Length;

    private char Peek => _pattern[_position];

    private List<Example> ParseAlternation()
    {
        var examples = ParseSequence();
        while (!AtEnd && Peek == '|')
        {
            _position++;
            foreach (var example in ParseSequence())
            {
                if (examples.Count < MaxExamples) examples.Add(example);
            }
        }
        return examples;
    }

    private List<Example> ParseSequence()
    {
        var examples = new List<Example> { new(string.Empty, false) };
        while (!AtEnd && Peek != '|' && Peek != ')' && !_unsupported)
        {
            var atom = ParseAtom(out var anyChar);
            if (_unsupported) break;
            var counts = ParseQuantifier();
            if (_unsupported) break;
            examples = Product(examples, Repeat(atom, anyChar, counts));
        }
        return examples;
    }

    private List<Example> ParseAtom(out bool anyChar)
    {
        anyChar = false;
        var c = _pattern[_position++];
        switch (c)
        {
            case '(':
                return ParseGroup();
            case '[':
                return One(ParseClass());
            case '.':
                anyChar = true;
                return Text(".");
            case '^' or '$':
                return Text(string.Empty);
            case '\\':
                return ParseEscape();
            case '*' or '+' or '?' or ')':
                _unsupported = true;
                return [];
            default:
                return Text(c.ToString());
        }
    }

    private static List<Example> Text(string text) => [new Example(text, false)];

    private List<Example> ParseGroup()
    {
        if (!AtEnd && Peek == '?')
        {
            var rest = _pattern.AsSpan(_position);
            if (rest.StartsWith("?:"))
            {
                _position += 2;
            }
            else if ((rest.StartsWith("?<") && !rest.StartsWith("?<=") && !rest.StartsWith("?<!")) || rest.StartsWith("?'"))
            {
                var close = rest[1] == '<' ? '>' : '\'';
                var end = _pattern.IndexOf(close, _position + 2);
                if (end < 0)
                {
                    _unsupported = true;
                    return [];
                }
                _position = end + 1;
            }
            else
            {
                // Inline options, lookarounds, atomic groups, conditionals: outside the subset.
                _unsupported = true;
                return [];
            }
        }

        var inner = ParseAlternation();
        if (AtEnd || Peek != ')')
        {
            _unsupported = true;
            return [];
        }
        _position++;
        return inner;
    }

    private List<Example> ParseEscape()
    {
        if (AtEnd)
        {
            _unsupported = true;
            return [];
        }

        var c = _pattern[_position++];
        switch (c)
        {
            case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G':
                return Text(string.Empty);
            case 'd' or 'w' or 's' or 'D' or 'W' or 'S':
                return One(Pick(ShorthandClass(c)));
            case 'x' or 'u':
                return One(ParseHexEscape(c == 'x' ? 2 : 4));
            case 't': return Text("\t");
            case 'n': return Text("\n");
            case 'r': return Text("\r");
            case 'f': return Text("\f");
            case 'v': return Text("\v");
            case 'e': return Text("\u001b");
            case 'a': return Text("\a");
            default:
                if (char.IsAsciiLetterOrDigit(c))
                {
                    // Back-references, \p{...}, \k<...>, \c...: outside the subset.
                    _unsupported = true;
                    return [];
                }
                return Text(c.ToString());
        }
    }

    private char? ParseHexEscape(int digits)
    {
        if (_position + digits > _pattern.Length
            || !int.TryParse(_pattern.AsSpan(_position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            _unsupported = true;
            return null;
        }
        _position += digits;
        return (char)value;
    }

    private char? ParseClass()
    {
        var set = new bool[128];
        var negated = !AtEnd && Peek == '^';
        if (negated) _position++;

        var first = true;
        while (!AtEnd && (Peek != ']' || first))
        {
            first = false;
            if (Peek == '[')
            {
                // Class subtraction and POSIX-like forms.
                _unsupported = true;
                return null;
            }

            var low = ParseClassChar(set);
            if (_unsupported) return null;
            if (low is null) continue;

            if (_position + 1 < _pattern.Length && Peek == '-' && _pattern[_position + 1] != ']')
            {
                _position++;
                var high = ParseClassChar(set);
                if (_unsupported || high is null || high < low)
                {
                    _unsupported = true;
                    return null;
                }
                for (var x = low.Value; x <= high.Value && x < 128; x++) set[x] = true;
            }
            else if (low < 128)
            {
                set[low.Value] = true;
            }
        }

        if (AtEnd)
        {
            _unsupported = true;
            return null;
        }
        _position++;

        if (negated)
        {
            for (var x = 0; x < set.Length; x++) set[x] = !set[x];
        }
        return Pick(set);
    }

    /// <summary>One member of a class: a character (returned) or a shorthand such as \d (added to the set, null returned).</summary>
    private char? ParseClassChar(bool[] set)
    {
        var c = _pattern[_position++];
        if (c != '\\') return c;
        if (AtEnd)
        {
            _unsupported = true;
            return null;
        }

        var escaped = _pattern[_position++];
        switch (escaped)
        {
            case 'd' or 'w' or 's' or 'D' or 'W' or 'S':
                var shorthand = ShorthandClass(escaped);
                for (var x = 0; x < set.Length; x++) set[x] |= shorthand[x];
                return null;
            case 'x' or 'u':
                return ParseHexEscape(escaped == 'x' ? 2 : 4);
            case 't': return '\t';
            case 'n': return '\n';
            case 'r': return '\r';
            case 'b': return '\b';
            default:
                if (char.IsAsciiLetterOrDigit(escaped))
                {
                    _unsupported = true;
                    return null;
                }
                return escaped;
        }
    }

    private static bool[] ShorthandClass(char shorthand)
    {
        var set = new bool[128];
        for (var x = 0; x < set.Length; x++)
        {
            var c = (char)x;
            set[x] = char.ToLowerInvariant(shorthand) switch
            {
                'd' => char.IsAsciiDigit(c),
                'w' => char.IsAsciiLetterOrDigit(c) || c == '_',
                _ => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v',
            };
            if (char.IsAsciiLetterUpper(shorthand)) set[x] = !set[x];
        }
        return set;
    }

    /// <summary>The most likely intended member of a class: a lower-case letter, then a digit, then punctuation.</summary>
    private static char? Pick(bool[] set)
    {
        foreach (var c in Preferred)
        {
            if (set[c]) return c;
        }
        for (var x = 0x21; x < 0x7f; x++)
        {
            if (set[x]) return (char)x;
        }
        for (var x = 0; x < set.Length; x++)
        {
            if (set[x]) return (char)x;
        }
        // Only non-ASCII characters: one of them stands for all, and never appears in an origin.
        return '\u00e9';
    }

    private List<Example> One(char? c)
    {
        if (c is null)
        {
            _unsupported = true;
            return [];
        }
        return Text(c.Value.ToString());
    }

    /// <summary>The repetition counts to sample (a negative count: that many, loosely), or null for none (exactly once).</summary>
    private int[]? ParseQuantifier()
    {
        if (AtEnd) return null;
        int[]? counts;
        switch (Peek)
        {
            case '*':
                _position++;
                counts = [1, LooseZero];
                break;
            case '+':
                _position++;
                counts = [1];
                break;
            case '?':
                _position++;
                counts = [0, 1];
                break;
            case '{':
                counts = ParseBraces();
                if (counts is null) return null;
                break;
            default:
                return null;
        }

        // Lazy quantifiers match the same strings.
        if (!AtEnd && Peek == '?') _position++;
        return counts;
    }

    private int[]? ParseBraces()
    {
        var close = _pattern.IndexOf('}', _position);
        if (close < 0) return null;
        var body = _pattern.AsSpan(_position + 1, close - _position - 1);
        var comma = body.IndexOf(',');
        var minText = comma < 0 ? body : body[..comma];
        if (!int.TryParse(minText, NumberStyles.None, CultureInfo.InvariantCulture, out var min)) return null;
        var max = min;
        if (comma >= 0)
        {
            var maxText = body[(comma + 1)..];
            if (maxText.IsEmpty) max = int.MaxValue;
            else if (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max)) return null;
        }

        _position = close + 1;
        if (min > MaxRepetitions)
        {
            _unsupported = true;
            return null;
        }
        return min == 0 ? (max == 0 ? [0] : [1, LooseZero]) : [min];
    }

    private const int LooseZero = -1;

    private static List<Example> Repeat(List<Example> atom, bool anyChar, int[]? counts)
    {
        if (counts is null) return atom;

        // A quantified '.' is a wildcard ("anything here"), not a mistyped dot: sample a letter.
        if (anyChar) atom = Text("a");
        var result = new List<Example>();
        foreach (var count in counts)
        {
            if (count == LooseZero) result.Add(new Example(string.Empty, true));
            else if (count == 0) result.Add(new Example(string.Empty, false));
            else if (count == 1) result.AddRange(atom);
            else if (atom.Count > 0) result.Add(atom[0] with { Text = string.Concat(Enumerable.Repeat(atom[0].Text, count)) });
        }
        return result;
    }

    private static List<Example> Product(List<Example> left, List<Example> right)
    {
        var result = new List<Example>();
        foreach (var a in left)
        {
            foreach (var b in right)
            {
                if (result.Count == MaxExamples) return result;
                result.Add(new Example(a.Text + b.Text, a.Loose || b.Loose));
            }
        }
        return result;
    }
}
