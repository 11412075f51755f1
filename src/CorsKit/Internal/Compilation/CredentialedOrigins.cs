namespace CorsKit.Internal;

/// <summary>
/// Rules that apply only when a policy allows credentials, because only then can an allowed origin read responses
/// made with the user's cookies: no plain-http origins beyond loopback, and no wildcard that spans sites with different
/// owners (subdomains of a public suffix). Each rule has one loudly named opt-out, and using it leaves a warning.
/// </summary>
internal static class CredentialedOrigins
{
    private const string InsecureHttpOptOut = ConfigurationKeys.InsecureHttpOptOut;
    private const string PublicSuffixOptOut = ConfigurationKeys.PublicSuffixOptOut;

    public static void Check(
        CredentialRules builder,
        IReadOnlyList<OriginPattern> patterns,
        IReadOnlyList<(string Pattern, string Example)> insecureRegexOrigins,
        PolicyProblems problems,
        string originsOption = ConfigurationKeys.Origins)
    {
        if (!builder.Credentials) return;

        foreach (var pattern in patterns)
        {
            var loopback = LoopbackHost.Is(pattern.Host);
            if (pattern.Scheme == "http" && !loopback)
            {
                InsecureHttp(originsOption, pattern.Display, pattern.Display, builder, problems);
            }

            if (pattern.MatchesSubdomains && !loopback && PublicSuffixList.SubdomainsSpanSites(pattern.Host))
            {
                if (builder.PublicSuffixWildcardsAllowed)
                {
                    problems.Warn(originsOption, pattern.Display,
                        $"{PublicSuffixOptOut} lets every site under '{pattern.Host}' read credentialed responses.");
                    continue;
                }

                problems.Error(originsOption, pattern.Display,
                    $"With credentials, '{pattern.Display}' spans sites with different owners ('{pattern.Host}' is, or contains, a public suffix), "
                    + "so any of them could read responses made with the user's cookies.",
                    $"List the subdomains you own (e.g. '{pattern.Scheme}://app.{pattern.Host}'), or, only if every site under '{pattern.Host}' is "
                    + $"yours, call {PublicSuffixOptOut}() (configuration: \"{PublicSuffixOptOut}\": true).");
            }
        }

        foreach (var (regex, example) in insecureRegexOrigins)
        {
            InsecureHttp(ConfigurationKeys.OriginRegexes, regex, example, builder, problems);
        }
    }

    private static void InsecureHttp(string option, string value, string example, CredentialRules builder, PolicyProblems problems)
    {
        if (builder.InsecureHttpAllowed)
        {
            problems.Warn(option, value, $"{InsecureHttpOptOut} lets a plain-http origin read credentialed responses.");
            return;
        }

        problems.Error(option, value,
            $"With credentials, the plain-http origin '{example}' is refused: anyone on the network path (public Wi-Fi, a proxy) can inject "
            + "script into it and read responses made with the user's cookies. Only loopback hosts (localhost, 127.0.0.0/8, [::1]) may use http.",
            $"Serve that origin over https, or, if you accept the risk, call {InsecureHttpOptOut}() (configuration: \"{InsecureHttpOptOut}\": "
                + $"true).");
    }
}
