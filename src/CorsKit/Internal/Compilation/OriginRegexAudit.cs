using System.Text.RegularExpressions;

namespace CorsKit.Internal;

/// <summary>
/// Checks one origin regex before it may serve: it must describe whole origins, and it must refuse origins derived
/// from the ones it allows by the mistakes that let attackers in (unescaped dots, open ends, open label starts, the
/// plain-http twin, <c>null</c>). Build time only.
/// </summary>
internal static class OriginRegexAudit
{
    private const string Option = ConfigurationKeys.OriginRegexes;
    private const string SubsetFix =
        "Write the regex with literals, escaped dots, character classes, groups, alternation and quantifiers only (no inline options, lookarounds or "
            + "Unicode categories), or list the origins.";

    /// <summary>What the audit learned about a regex that passed it.</summary>
    /// <param name="InsecureHttpExample">An allowed plain-http origin on a host that is not loopback, if any.</param>
    internal readonly record struct Findings(string? InsecureHttpExample);

    /// <summary>Adds errors for a regex that fails; returns what credential rules need to know.</summary>
    public static Findings Audit(string pattern, Regex regex, PolicyProblems problems)
    {
        if (regex.IsMatch("null"))
        {
            problems.Error(Option, pattern, "The regex matches 'null', the origin of sandboxed iframes, file: pages and redirected requests; "
                + "allowing it is as dangerous as allowing every origin.",
                "Make the regex start with the scheme, e.g. 'https://'.");
            return default;
        }

        var examples = OriginRegexExamples.Derive(pattern);
        if (examples is null)
        {
            problems.Error(Option, pattern, "CorsKit cannot read this regex well enough to check it against origin attacks.", SubsetFix);
            return default;
        }

        // Strict samples that match must be origins; every sample that is an origin is attacked, shortest first
        // (the plainest reading of the regex gives the plainest error).
        var origins = new List<(string Origin, OriginSyntax.Parts Parts)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (example, loose) in examples)
        {
            if (!regex.IsMatch(example) || seen.Contains(example)) continue;
            if (OriginSyntax.TryParse(example, out var parsed))
            {
                seen.Add(example);
                origins.Add((example, parsed));
            }
            else if (!loose)
            {
                problems.Error(Option, pattern, $"The regex matches '{example}', which is not an origin a browser sends ({Diagnose(example)}), so it "
                    + $"describes something other than whole origins.",
                    "Match only 'scheme://host[:port]': lower case, no path, no trailing slash, no default port. CorsKit anchors the regex at both "
                        + "ends.");
                return default;
            }
        }

        if (origins.Count == 0)
        {
            problems.Error(Option, pattern, "CorsKit could not find an origin this regex matches, so it can neither check it nor tell that it ever "
                + "matches a browser's Origin.", SubsetFix);
            return default;
        }

        string? insecure = null;
        foreach (var (example, parts) in origins.OrderBy(o => o.Origin.Length))
        {
            var attack = FindAttack(regex, example, parts);
            if (attack is not null)
            {
                problems.Error(Option, pattern, attack.Value.Problem, attack.Value.Fix);
                return default;
            }

            var scheme = example[..parts.SchemeLength];
            var host = example[parts.HostStart..parts.HostEnd];
            if (insecure is null && scheme == "http" && !LoopbackHost.Is(host)) insecure = example;
        }

        return new Findings(insecure);
    }

    private static (string Problem, string Fix)? FindAttack(Regex regex, string example, in OriginSyntax.Parts parts)
    {
        var scheme = example[..parts.SchemeLength];
        var host = example[parts.HostStart..parts.HostEnd];
        var port = example[parts.HostEnd..];
        string Origin(string probeHost) => $"{scheme}://{probeHost}{port}";
        bool Matches(string probe) => OriginSyntax.TryParse(probe, out _) && regex.IsMatch(probe);

        // 1. A dot replaced by a letter: '.' where '\.' was meant matches any character.
        for (var dot = host.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = host.IndexOf('.', dot + 1))
        {
            var probe = Origin(string.Concat(host.AsSpan(0, dot), "x", host.AsSpan(dot + 1)));
            if (Matches(probe))
            {
                return ($"The regex also matches '{probe}' (a dot of '{example}' replaced by a letter): an unescaped '.' matches any character, so "
                    + $"other sites match.",
                    "Escape every literal dot as '\\.'.");
            }
        }

        // 2. The allowed origin followed by another domain.
        var suffixed = Origin(host + ".evil.example");
        if (Matches(suffixed))
        {
            return ($"The regex also matches '{suffixed}' ('{example}' followed by '.evil.example'): the end of the host is left open, so other "
                + $"sites match.",
                "End the pattern with the whole host (and port); remove a trailing '.*' or similar. CorsKit anchors the regex at both ends.");
        }

        // 3. 'evil' in front of the registrable domain: a label left open at its start (".*example\.com").
        if (!parts.HostIsIp)
        {
            var site = PublicSuffixList.RegistrableDomain(host) ?? host;
            var subdomains = host[..^site.Length];
            var label = site.Split('.')[0];
            foreach (var probeSite in new[] { "evil" + site, label + site })
            {
                var probe = Origin(subdomains + probeSite);
                if (Matches(probe))
                {
                    return ($"The regex also matches '{probe}', a different site from '{example}': part of a host label is left open, so anyone who "
                        + $"registers a matching domain is allowed.",
                        "Let wildcards stand only for whole subdomain labels, e.g. 'https://([a-z0-9-]+\\.)?example\\.com' rather than "
                            + "'https://.*example\\.com'; for every subdomain of a suffix use the origin pattern 'https://*.suffix', which is "
                                + "checked against the public suffix list.");
                }
            }
        }

        // 4. The plain-http twin of an https origin: anyone on the network path can speak for it.
        if (scheme == "https" && !LoopbackHost.Is(host))
        {
            var plain = $"http://{host}{port}";
            if (Matches(plain))
            {
                return ($"The regex also matches '{plain}', the plain-http twin of '{example}', which anyone on the network path (public Wi-Fi, a "
                    + $"proxy) can impersonate.",
                    "Write 'https://' rather than 'https?://' or '(http|https)://'.");
            }
        }

        return null;
    }

    /// <summary>Why a string is not an origin, in the words OriginPattern uses for configured origins.</summary>
    private static string Diagnose(string value)
    {
        var errors = new List<CorsKitConfigurationError>();
        var pattern = OriginPattern.Parse(value, Option, new PolicyProblems(string.Empty, errors, []));
        if (errors.Count > 0) return errors[0].Problem.TrimEnd('.');
        return pattern is { IsExact: false } ? "it contains '*'" : "not a serialized origin";
    }
}
