using System.Text;
using CorsKit.SecurityTests.Attacks;
using CorsKit.SecurityTests.Model;
using static CorsKit.SecurityTests.Differential.RandomPolicies;

namespace CorsKit.SecurityTests.Differential;

/// <summary>
/// Random requests for a generated policy: origins built from the policy's own hosts, then mutated by an attack class,
/// by a boundary change (label, host and Origin length limits) or by random character edits; methods and header
/// lists of every shape in docs/security.md, well formed or hostile; sometimes a Vary set by the app.
/// </summary>
internal static class RandomRequests
{
    /// <summary>The attack classes cheap enough to run per request (over-long ones are replaced by boundary edits).</summary>
    private static readonly AttackClass[] Mutations = AttackClasses.All.Where(a => a != AttackClasses.OverLong).ToArray();

    private static readonly string[] Methods = ["OPTIONS", "OPTIONS", "OPTIONS", "OPTIONS", "OPTIONS", "OPTIONS", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "options", "Options", "PURGE"];

    private static readonly string[] RequestMethods =
    [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "patch", "put", "get", "post", "PURGE", "purge", "X-CUSTOM", "CONNECT", "connect",
        "TRACE", "TRACK", "OPTIONS", "PUT,DELETE", "PUT, DELETE", "PUT DELETE", " PUT", "PUT ", "", "PU\rT", "PUT\0", "P\u00dcT", "*",
        new string('M', 64), new string('M', 65), "\"PUT\"", "PUT\n", "GET,POST",
    ];

    private static readonly string[] HeaderElements =
        ["content-type", "x-requested-with", "authorization", "Authorization", "x-trace", "X-TRACE", "x-custom", "X-API-KEY", "accept", "x-custom-1", "*", ""];

    private static readonly string[] HostileElements =
        ["\"x-trace\"", "x-trace;q=1", "x trace", "x-tr\u00e4ce", "x-trace\0", "x\r\ny", "\vx-trace", "\u00a0x-trace", "(x)", "x/y", "x@y", "x=y", "{x}"];

    private static readonly string[] Separators = [",", ",", ",", ", ", " , ", ",\t", " ,"];

    private static readonly string[][] AppVaryValues =
        [["Accept-Encoding"], ["origin"], ["*"], ["Accept-Encoding, Origin"], ["Accept", "Accept-Language"], ["ORIGIN, Access-Control-Request-Method"]];

    private const string NoiseAlphabet = "abcxyzABC019.:/-_[]@%*?#\\ \t\0\r\n\u00e9\u0430\u3002,;";

    public static RequestShape Next(Random random, GeneratedPolicy policy)
    {
        if (random.Next(100) < 35) return Plausible(random, policy);

        var method = Pick(random, Methods);
        var originRoll = random.Next(100);
        string[]? origin = originRoll switch
        {
            < 6 => null,
            < 9 => [OriginValue(random, policy), OriginValue(random, policy)],
            _ => [OriginValue(random, policy)],
        };

        var methodRoll = random.Next(100);
        string[]? requestMethod = methodRoll switch
        {
            < 8 => null,
            < 12 => [Pick(random, RequestMethods), Pick(random, RequestMethods)],
            < 45 when policy.Spec.Methods.Count > 0 => [Pick(random, policy.Spec.Methods)],
            _ => [Pick(random, RequestMethods)],
        };

        var requestHeaders = random.Next(100) < 35 ? null : RequestHeaders(random, policy);
        var appVary = random.Next(100) < 15 ? Pick(random, AppVaryValues) : null;
        return new RequestShape(method, origin, requestMethod, requestHeaders, appVary);
    }

    /// <summary>
    /// A preflight a browser could send for this policy: a method and headers it allows (or nearly), so that allowed
    /// preflights, and the headers they get, are well represented. The origin is still drawn and mutated as usual.
    /// </summary>
    private static RequestShape Plausible(Random random, GeneratedPolicy policy)
    {
        var methods = policy.Spec.Methods.Where(m => m != "*").Concat(["GET", "POST", "HEAD", "PUT", "DELETE"]).ToArray();
        var names = policy.Spec.RequestHeaders.Where(h => h != "*").Select(h => h.ToLowerInvariant())
            .Concat(policy.Spec.RequestHeaders.Contains("*") ? ["x-any-1", "x-any-2", "content-type"] : [])
            .Append("x-unlisted")
            .ToArray();
        var chosen = names.Where(_ => random.Next(3) == 0).Distinct().Order(StringComparer.Ordinal).ToArray();
        string[]? requestHeaders = chosen.Length == 0 && random.Next(2) == 0 ? null : [string.Join(',', chosen)];
        return new RequestShape("OPTIONS", [OriginValue(random, policy)], [Pick(random, methods)], requestHeaders);
    }

    private static string OriginValue(Random random, GeneratedPolicy policy)
    {
        var roll = random.Next(100);
        if (roll >= 94)
        {
            return Pick(random, ["null", "", "https://evil.net", "http://evil.net:8080", "https://trusted.evil.net", "file://", "https://" + Pick(random, ["a", "localhost", "b2b.test"])]);
        }

        var reference = Pick(random, policy.Samplers)(random);
        if (roll < 40) return reference.Origin;
        if (roll < 70)
        {
            var candidates = Pick(random, Mutations).Derive(reference).ToList();
            return candidates.Count > 0 ? Pick(random, candidates) : reference.Origin;
        }
        if (roll < 80) return Boundary(random, reference);
        return Noise(random, reference.Origin);
    }

    /// <summary>Labels of 63/64 characters, hosts of 253/254, Origins of 512/513: one side allowed where the shape allows, the other refused.</summary>
    private static string Boundary(Random random, Reference reference)
    {
        var labelLength = random.Next(2) == 0 ? 63 : 64;
        switch (random.Next(3))
        {
            case 0:
                return reference.With(new string('a', labelLength) + "." + reference.Host);
            case 1:
                var hostLength = random.Next(2) == 0 ? 253 : 254;
                return reference.With(Padding(hostLength - reference.Host.Length) + reference.Host);
            default:
                var originLength = random.Next(2) == 0 ? 512 : 513;
                return reference.Origin + new string('a', Math.Max(0, originLength - reference.Origin.Length));
        }
    }

    /// <summary>Dot-terminated labels of 'b's, exactly <paramref name="length"/> characters when possible.</summary>
    private static string Padding(int length)
    {
        var text = new StringBuilder();
        while (length - text.Length > 1)
        {
            var take = Math.Min(64, length - text.Length);
            if (length - text.Length - take == 1) take--;
            text.Append('b', take - 1).Append('.');
        }
        return text.ToString();
    }

    private static string Noise(Random random, string origin)
    {
        var text = new StringBuilder(origin);
        var edits = random.Next(1, 3);
        for (var i = 0; i < edits; i++)
        {
            var at = random.Next(text.Length + 1);
            switch (random.Next(4))
            {
                case 0:
                    text.Insert(at, NoiseAlphabet[random.Next(NoiseAlphabet.Length)]);
                    break;
                case 1 when at < text.Length:
                    text.Remove(at, 1);
                    break;
                case 2 when at < text.Length:
                    text[at] = NoiseAlphabet[random.Next(NoiseAlphabet.Length)];
                    break;
                case 3 when at < text.Length:
                    text[at] = char.IsAsciiLetterUpper(text[at]) ? char.ToLowerInvariant(text[at]) : char.ToUpperInvariant(text[at]);
                    break;
            }
        }
        return text.ToString();
    }

    private static string[] RequestHeaders(Random random, GeneratedPolicy policy)
    {
        if (random.Next(100) < 3) return Extreme(random);

        var pool = HeaderElements.Concat(policy.Spec.RequestHeaders).ToArray();
        var lineCount = random.Next(10) switch { < 7 => 1, < 9 => 2, _ => 3 };
        var lines = new string[lineCount];
        var browserShaped = random.Next(100) < 40;
        for (var l = 0; l < lineCount; l++)
        {
            var elements = Enumerable.Range(0, random.Next(0, 6)).Select(_ =>
            {
                if (!browserShaped && random.Next(100) < 5) return Pick(random, HostileElements);
                var name = Pick(random, pool);
                return browserShaped ? name.ToLowerInvariant() : name;
            });

            if (browserShaped)
            {
                // What a browser sends: lower case, sorted, unique, comma-joined without spaces, no '*' and no empties.
                lines[l] = string.Join(',', elements.Where(e => e.Length > 0 && e != "*").Distinct().Order(StringComparer.Ordinal));
            }
            else
            {
                var text = new StringBuilder();
                foreach (var element in elements)
                {
                    if (text.Length > 0) text.Append(Pick(random, Separators));
                    text.Append(element);
                }
                lines[l] = text.ToString();
            }
        }
        return lines;
    }

    /// <summary>The extreme shapes: at and over the length and element limits, 100 KB, 10,000 commas, many lines.</summary>
    private static string[] Extreme(Random random) => random.Next(10) switch
    {
        0 => [new string('a', 100_000)],
        1 => [new string(',', 10_000)],
        2 => Enumerable.Repeat("x-trace", 100).ToArray(),
        3 => [string.Join(',', Enumerable.Repeat("x-trace", 64))],
        4 => [string.Join(',', Enumerable.Repeat("x-trace", 65))],
        5 => ["x-trace" + new string(' ', 2048 - 7)],
        6 => ["x-trace" + new string(' ', 2049 - 7)],
        7 => [new string(',', 63)],
        8 => [new string(',', 64)],
        _ => [new string('x', 1024), new string('y', 1025)],
    };
}
