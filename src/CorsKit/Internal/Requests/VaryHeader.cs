using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>Appends tokens to <c>Vary</c> without duplicating any already there, and never overwrites it.</summary>
internal static class VaryHeader
{
    public static void Append(IHeaderDictionary headers, StringValues tokens)
    {
        // No header at all (a preflight, usually): nothing to merge with, and one header lookup saved.
        if (headers.Count == 0)
        {
            headers.Vary = tokens;
            return;
        }

        var existing = headers.Vary;
        if (existing.Count == 0)
        {
            headers.Vary = tokens;
            return;
        }

        // Slow path: the app or another middleware set Vary already. Merge token by token.
        List<string>? missing = null;
        foreach (var value in tokens)
        {
            foreach (var token in EnumerateTokens(value))
            {
                if (Contains(existing, token)) continue;
                missing ??= [];
                missing.Add(token.ToString());
            }
        }

        if (missing is not null)
        {
            headers.Vary = StringValues.Concat(existing, string.Join(", ", missing));
        }
    }

    private static bool Contains(StringValues existing, ReadOnlySpan<char> token)
    {
        foreach (var value in existing)
        {
            foreach (var present in EnumerateTokens(value))
            {
                if (present.SequenceEqual("*") || present.Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }

    private static TokenEnumerator EnumerateTokens(string? value) => new(value);

    private ref struct TokenEnumerator
    {
        private readonly string? _value;
        private int _position;

        public TokenEnumerator(string? value)
        {
            _value = value;
            _position = 0;
            Current = default;
        }

        public ReadOnlySpan<char> Current { get; private set; }

        public readonly TokenEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_value is null) return false;
            while (_position <= _value.Length)
            {
                var rest = _value.AsSpan(_position);
                var comma = rest.IndexOf(',');
                var element = comma < 0 ? rest : rest[..comma];
                _position += comma < 0 ? rest.Length + 1 : comma + 1;
                var trimmed = HttpSyntax.TrimOws(element);
                if (!trimmed.IsEmpty)
                {
                    Current = trimmed;
                    return true;
                }
            }
            return false;
        }
    }
}
