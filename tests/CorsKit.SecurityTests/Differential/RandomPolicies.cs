using System.Globalization;
using System.Text.RegularExpressions;
using CorsKit.SecurityTests.Attacks;
using CorsKit.SecurityTests.Model;

namespace CorsKit.SecurityTests.Differential;

/// <summary>A random policy and, for each way it allows origins, a generator of origins it should allow.</summary>
internal sealed record GeneratedPolicy(PolicySpec Spec, IReadOnlyList<Func<Random, Reference>> Samplers);

/// <summary>
/// Random valid policies: one to four origin entries of every kind (exact with or without port, DNS/IPv4/IPv6,
/// <c>*.suffix</c> with default, specific or any port, <c>host:*</c>, regexes including sloppy ones), sometimes a
/// predicate, sometimes any origin; random methods, headers, exposed headers, credentials and max-age.
/// </summary>
internal static class RandomPolicies
{
    private static readonly string[] Labels = ["allowed", "example", "corp", "api", "shop", "x-y", "a_b", "xn--bcher-kva", "app", "b2b", "trusted"];
    private static readonly string[] Tlds = ["com", "net", "org", "io", "co.uk", "localhost", "test"];
    private static readonly string[] IpHosts = ["127.0.0.1", "10.1.2.3", "192.168.0.10", "[::1]", "[2001:db8::7]", "[::ffff:7f00:1]"];
    private static readonly string[] MethodNames = ["PUT", "DELETE", "PATCH", "patch", "X-CUSTOM", "PURGE", "purge"];
    private static readonly string[] HeaderNames = ["content-type", "x-trace", "X-Requested-With", "authorization", "x-api-key", "Accept", "x-custom-1"];
    private static readonly string[] ExposedNames = ["x-total-count", "X-Page", "etag", "x-request-id"];

    public static GeneratedPolicy Next(Random random)
    {
        var domains = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(random, Labels) + "." + Pick(random, Tlds)).Distinct().ToArray();
        var origins = new List<string>();
        var regexes = new List<string>();
        var lax = new List<string>();
        var samplers = new List<Func<Random, Reference>>();
        var predicate = PredicateKind.None;
        var anyOrigin = random.Next(16) == 0;

        if (anyOrigin)
        {
            origins.Add("*");
            foreach (var domain in domains) samplers.Add(_ => new Reference("https", domain, null));
        }
        else
        {
            var entries = random.Next(1, 5);
            for (var i = 0; i < entries; i++)
            {
                var roll = random.Next(100);
                if (roll < 35) AddExact(random, domains, origins, samplers);
                else if (roll < 58) AddSubdomains(random, domains, origins, samplers);
                else if (roll < 75) AddAnyPort(random, domains, origins, samplers);
                else AddRegex(random, domains, regexes, lax, samplers);
            }

            var predicateRoll = random.Next(100);
            if (predicateRoll < 10)
            {
                predicate = PredicateKind.ContainsTrusted;
                var domain = Pick(random, domains);
                samplers.Add(_ => new Reference("https", "trusted." + domain, null));
            }
            else if (predicateRoll < 13)
            {
                predicate = PredicateKind.Throws;
            }
        }

        var credentials = !anyOrigin && random.Next(2) == 0;
        var methods = random.Next(100) switch
        {
            < 35 => [],
            < 85 => Subset(random, MethodNames),
            _ => new[] { "*" },
        };
        var headers = random.Next(100) switch
        {
            < 30 => [],
            < 80 => Subset(random, HeaderNames),
            < 90 => new[] { "*" },
            _ => new[] { "*", "authorization" },
        };
        var exposed = random.Next(100) switch
        {
            < 50 => [],
            < 90 => Subset(random, ExposedNames),
            _ when credentials => Subset(random, ExposedNames),
            _ => new[] { "*" },
        };

        var spec = new PolicySpec
        {
            Origins = origins,
            OriginRegexes = regexes,
            LaxMatchers = lax,
            Predicate = predicate,
            Methods = methods,
            RequestHeaders = headers,
            ExposedHeaders = exposed,
            Credentials = credentials,

            // Plain-http origins with credentials are refused at start-up unless opted in; the differential test is
            // about matching, so it opts in (ValidationTests cover the refusal).
            DangerouslyAllowInsecureHttp = credentials,
            MaxAgeSeconds = random.Next(2) == 0 ? null : Pick(random, [0, 5, 600, 7200]),
        };
        return new GeneratedPolicy(spec, samplers);
    }

    private static void AddExact(Random random, string[] domains, List<string> origins, List<Func<Random, Reference>> samplers)
    {
        var scheme = Pick(random, ["https", "https", "http", "wss", "chrome-extension"]);
        string host;
        if (scheme == "chrome-extension") host = "abcdefghijklmnopabcdefghijklmnop";
        else if (random.Next(4) == 0) host = Pick(random, IpHosts);
        else host = random.Next(3) == 0 ? Pick(random, Labels) + "." + Pick(random, domains) : Pick(random, domains);
        int? port = scheme != "chrome-extension" && random.Next(3) == 0 ? RandomPort(random) : null;
        var reference = new Reference(scheme, host, port);
        origins.Add(reference.Origin);
        samplers.Add(_ => reference);
    }

    private static void AddSubdomains(Random random, string[] domains, List<string> origins, List<Func<Random, Reference>> samplers)
    {
        var scheme = Pick(random, ["https", "https", "http"]);
        var suffix = random.Next(4) == 0 ? Pick(random, Labels) + "." + Pick(random, domains) : Pick(random, domains);
        var portRule = random.Next(3);
        var fixedPort = RandomPort(random);
        var portText = portRule switch { 0 => string.Empty, 1 => ":" + fixedPort.ToString(CultureInfo.InvariantCulture), _ => ":*" };
        origins.Add($"{scheme}://*.{suffix}{portText}");
        samplers.Add(r =>
        {
            var free = RandomLabels(r);
            int? port = portRule switch { 0 => null, 1 => fixedPort, _ => r.Next(2) == 0 ? null : RandomPort(r) };
            return new Reference(scheme, free + "." + suffix, port, SubdomainsAllowed: true, AnyPort: portRule == 2, ProtectedStart: free.Length + 1);
        });
    }

    private static void AddAnyPort(Random random, string[] domains, List<string> origins, List<Func<Random, Reference>> samplers)
    {
        var scheme = Pick(random, ["http", "http", "https"]);
        var host = random.Next(3) switch { 0 => "localhost", 1 => Pick(random, IpHosts), _ => Pick(random, domains) };
        origins.Add($"{scheme}://{host}:*");
        samplers.Add(r => new Reference(scheme, host, r.Next(3) == 0 ? null : RandomPort(r), AnyPort: true));
    }

    /// <summary>Regex templates as users write them, including a sloppy unescaped one and lax IP ones.</summary>
    /// <summary>
    /// Regexes. Well-formed ones go to OriginRegexes; sloppy ones (which CorsKit's regex audit refuses at start-up) go
    /// to a predicate (<see cref="PolicySpec.LaxMatchers"/>), where only CorsKit's syntax gate protects the headers.
    /// </summary>
    private static void AddRegex(Random random, string[] domains, List<string> regexes, List<string> lax, List<Func<Random, Reference>> samplers)
    {
        var domain = Pick(random, domains);
        var escaped = Regex.Escape(domain);
        switch (random.Next(8))
        {
            case 0:
                regexes.Add($@"https://pr-[0-9]+\.preview\.{escaped}");
                samplers.Add(r => new Reference("https", $"pr-{r.Next(1, 100_000)}.preview.{domain}", null));
                break;
            case 1:
                regexes.Add($@"https://[a-z0-9-]+\.{escaped}");
                samplers.Add(r => new Reference("https", (r.Next(10) == 0 ? "-" : string.Empty) + RandomLabel(r) + "." + domain, null));
                break;
            case 2:
                lax.Add($@"https?://{escaped}(:[0-9]+)?");
                samplers.Add(r => new Reference(r.Next(2) == 0 ? "http" : "https", domain, r.Next(2) == 0 ? null : RandomPort(r)));
                break;
            case 3:
                // The classic mistake: dots left unescaped match any character.
                lax.Add($"https://{domain}");
                samplers.Add(r => new Reference("https", ReplaceOneDot(r, domain), null));
                break;
            case 4:
                lax.Add(@"http://\[[0-9a-f:]+\](:[0-9]+)?");
                samplers.Add(r => new Reference("http", Pick(r, ["[::1]", "[0:0:0:0:0:0:0:1]", "[::0:1]", "[2001:db8::1]", "[2001:0db8::1]", "[::ffff:7f00:1]", "[1::]", "[::]", "[1:0:0:2::3]", "[1::2:0:0:3]"]), r.Next(2) == 0 ? null : RandomPort(r)));
                break;
            case 5:
                lax.Add(@"http://10\.0\.[0-9]+\.[0-9]+(:[0-9]+)?");
                samplers.Add(r => new Reference("http", $"10.0.{Pick(r, ["0", "1", "01", "255", "256", "00"])}.{r.Next(0, 300)}", r.Next(2) == 0 ? null : RandomPort(r)));
                break;
            case 6:
                regexes.Add($@"(https|wss)://(www\.)?{escaped}");
                samplers.Add(r => new Reference(r.Next(2) == 0 ? "https" : "wss", (r.Next(2) == 0 ? "www." : string.Empty) + domain, null));
                break;
            default:
                // Far too lax: only CorsKit's syntax gate stands between this and a header injection.
                lax.Add($@".*\.{escaped}(:.*)?");
                samplers.Add(r => new Reference(Pick(r, ["https", "http", "ftp"]), RandomLabel(r) + "." + domain, r.Next(3) == 0 ? RandomPort(r) : null, ProtectedStart: 0));
                break;
        }
    }

    public static int RandomPort(Random random) => random.Next(4) switch
    {
        0 => Pick(random, [1, 3000, 5173, 8080, 8443, 65535]),
        _ => random.Next(1, 65536) is var port && port is 80 or 443 ? 8000 : port,
    };

    private static string RandomLabels(Random random) =>
        string.Join('.', Enumerable.Range(0, random.Next(4) == 0 ? 2 : 1).Select(_ => RandomLabel(random)));

    /// <summary>A known label, or 1-8 random letters and digits, now and then with '-' or '_' (hyphens never at the ends).</summary>
    private static string RandomLabel(Random random)
    {
        if (random.Next(5) == 0) return Pick(random, Labels);
        const string characters = "abcdefghijklmnopqrstuvwxyz0123456789-_";
        var length = random.Next(1, 9);
        var label = new char[length];
        for (var i = 0; i < length; i++) label[i] = characters[random.Next(random.Next(6) == 0 ? characters.Length : 36)];
        var text = new string(label).Trim('-');
        return text.Length > 0 ? text : "a";
    }

    private static string ReplaceOneDot(Random random, string domain)
    {
        var dots = Enumerable.Range(0, domain.Length).Where(i => domain[i] == '.').ToArray();
        if (random.Next(2) == 0 || dots.Length == 0) return domain;
        var at = Pick(random, dots);
        return domain[..at] + Pick(random, ['x', '-', '_', '0']) + domain[(at + 1)..];
    }

    private static string[] Subset(Random random, string[] values)
    {
        var subset = values.Where(_ => random.Next(3) == 0).ToArray();
        return subset.Length > 0 ? subset : [Pick(random, values)];
    }

    public static T Pick<T>(Random random, IReadOnlyList<T> values) => values[random.Next(values.Count)];
}
