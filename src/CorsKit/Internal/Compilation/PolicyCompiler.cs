using System.Globalization;
using System.Text.RegularExpressions;

namespace CorsKit.Internal;

/// <summary>
/// Turns a <see cref="CorsKitPolicyBuilder"/> into a <see cref="CorsKitPolicy"/>: validates every setting, reports
/// every problem (<see cref="PolicyProblems"/>), normalises values and precomputes the matchers. Build time only.
/// Each list (origins, methods, request headers, exposed headers) is read by <see cref="ConfiguredList{T}"/> with its
/// own rule for an entry; the rules that span settings (<c>*</c> mixed with names, credentials) come after.
/// </summary>
internal static class PolicyCompiler
{
    public const int MaxAgeLimitSeconds = 86400;
    public const int ChromiumMaxAgeCapSeconds = 7200;

    internal const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    public static CorsKitPolicy? Compile(
        string name, CorsKitPolicyBuilder builder, List<CorsKitConfigurationError> errors, PolicyServices? services = null)
    {
        var warnings = new List<string>();
        var problems = new PolicyProblems(name, errors, warnings);
        var errorCountBefore = problems.ErrorCount;
        problems.Add(builder.BindingErrors);

        var origins = ConfiguredList<OriginPattern>.Read(
            builder.Origins, o => OriginPattern.Parse(o, ConfigurationKeys.Origins, problems), p => p.Display);
        var regexes = builder.OriginRegexes.Distinct(StringComparer.Ordinal).ToArray();
        var insecureRegexOrigins = new List<(string Pattern, string Example)>();
        var combinedRegex = CompileRegexes(regexes, problems, insecureRegexOrigins);
        var resolver = CachedOriginResolver.Compile(builder.Resolvers, services ?? PolicyServices.Default, problems);
        CheckOriginCombinations(builder, origins, regexes.Length, problems);
        var credentialRules = CredentialRules.Of(builder);
        CredentialedOrigins.Check(credentialRules, origins.Entries, insecureRegexOrigins, problems);
        if (origins.Wildcard && builder.Credentials)
        {
            problems.Error(ConfigurationKeys.AllowCredentials, "true",
                "Any origin ('*') together with credentials would let every site on the web read responses with the user's cookies.",
                "List the trusted origins explicitly, or turn credentials off.");
        }

        var methods = ConfiguredList<string>.Read(builder.Methods, m => AcceptMethod(m, problems), m => m);
        if (methods.Wildcard && methods.Entries.Count > 0)
        {
            problems.Error(ConfigurationKeys.Methods, "*", "'*' (any method) is mixed with method names, which would then mean nothing.",
                "Either keep only '*' or list the methods.");
        }

        var requestHeaders = ConfiguredList<string>.Read(builder.RequestHeaders, h => AcceptRequestHeader(h, problems), h => h);
        if (requestHeaders.Wildcard && requestHeaders.Entries.Any(h => h != "authorization"))
        {
            problems.Error(ConfigurationKeys.RequestHeaders, "*",
                "'*' (any header) is mixed with header names other than 'authorization', which would then mean nothing.",
                "Keep only '*' (and 'authorization' if it must be allowed, since '*' never covers it), or list the headers.");
        }

        var exposed = ConfiguredList<string>.Read(builder.ExposedHeaders, h => AcceptExposedHeader(h, problems), h => h);
        CheckExposeAll(builder, exposed, problems);
        var maxAge = CompileMaxAge(builder, problems);
        if (builder.AnyOriginForWebSockets && builder.Credentials)
        {
            problems.Warn(ConfigurationKeys.AnyOriginForWebSockets, "true",
                "the policy allows credentials, yet any site may open a WebSocket to its endpoints with the user's cookies (cross-site "
                    + "WebSocket hijacking); remove it unless those endpoints serve only public data or authenticate without cookies.");
        }

        if (problems.ErrorCount > errorCountBefore) return null;

        var description = new PolicyDescription(
            origins.Wildcard ? ["*"] : origins.Entries.Select(p => p.Display).ToArray(),
            regexes,
            builder.OriginPredicates.Count > 0,
            origins.Wildcard,
            methods.Wildcard ? ["*"] : methods.Entries.ToArray(),
            requestHeaders.Wildcard ? ["*", .. requestHeaders.Entries] : requestHeaders.Entries.ToArray(),
            exposed.Wildcard ? ["*"] : exposed.Entries.ToArray(),
            builder.Credentials,
            maxAge,
            origins.Wildcard || builder.AnyOriginForWebSockets);

        return new CorsKitPolicy(
            name,
            description,
            new OriginMatcher(origins.Wildcard, origins.Entries, combinedRegex, builder.OriginPredicates.ToArray()),
            new MethodSet(methods.Entries, methods.Wildcard),
            new HeaderNameSet(requestHeaders.Entries, requestHeaders.Wildcard),
            warnings,
            resolver,
            credentialRules);
    }

    internal static string Anchor(string pattern) => $"^(?:{pattern})\\z";

    private static void CheckOriginCombinations(
        CorsKitPolicyBuilder builder, ConfiguredList<OriginPattern> origins, int regexCount, PolicyProblems problems)
    {
        var dynamicOrigins = builder.OriginPredicates.Count > 0 || builder.Resolvers.Count > 0;

        // Any entry but '*' counts, even one that failed to parse: '*' beside it is a mistake either way.
        if (origins.Wildcard && (regexCount > 0 || dynamicOrigins || builder.Origins.Any(o => o != "*")))
        {
            problems.Error(ConfigurationKeys.Origins, "*",
                "'*' (any origin) is mixed with other origins, an origin predicate or an origin resolver, which would then mean nothing.",
                "Either keep only '*' or remove it and list the origins.");
        }

        if (!origins.Wildcard && builder.Origins.Count == 0 && regexCount == 0 && !dynamicOrigins)
        {
            problems.Error(ConfigurationKeys.Origins, null, "The origin allowlist is empty, so the policy could never allow a CORS request.",
                "Add origins (e.g. 'https://app.example.com'), OriginRegexes, an origin predicate or resolver, or '*' for a public API without "
                    + "credentials.");
        }
    }

    private static string? AcceptMethod(string? method, PolicyProblems problems)
    {
        if (method is null || !HttpSyntax.IsToken(method))
        {
            problems.Error(ConfigurationKeys.Methods, method, "Not a valid HTTP method token.",
                "Use method names such as 'PUT' or 'DELETE' (letters, digits and !#$%&'*+-.^_`|~ only).");
            return null;
        }

        if (ForbiddenMethods.Contains(method))
        {
            problems.Error(ConfigurationKeys.Methods, method, "Browsers never send CONNECT, TRACE or TRACK; allowing them means "
                + "nothing.", "Remove it.");
            return null;
        }

        if (HttpSyntax.IsNormalizedMethodName(method, out var upper) && !string.Equals(upper, method, StringComparison.Ordinal))
        {
            problems.Error(ConfigurationKeys.Methods, method, $"Browsers upper-case '{method}' before sending it, so this entry would never match.",
                $"Write '{upper}'.");
            return null;
        }

        return method;
    }

    private static string? AcceptRequestHeader(string? header, PolicyProblems problems)
    {
        if (header is null || !HttpSyntax.IsToken(header))
        {
            problems.Error(ConfigurationKeys.RequestHeaders, header, "Not a valid header name.",
                "Use header names such as 'content-type' (letters, digits and !#$%&'*+-.^_`|~ only).");
            return null;
        }

        if (ForbiddenHeaders.IsForbiddenRequestHeader(header))
        {
            problems.Error(ConfigurationKeys.RequestHeaders, header, "Browsers never let script set this header, so allowing it means "
                + "nothing.", "Remove it.");
            return null;
        }

        return header.ToLowerInvariant();
    }

    private static string? AcceptExposedHeader(string? header, PolicyProblems problems)
    {
        if (header is null || !HttpSyntax.IsToken(header))
        {
            problems.Error(ConfigurationKeys.ExposedHeaders, header, "Not a valid header name.", "Use header names such as 'x-total-count'.");
            return null;
        }

        if (ForbiddenHeaders.IsForbiddenResponseHeader(header))
        {
            problems.Error(ConfigurationKeys.ExposedHeaders, header, "Browsers never expose Set-Cookie to script, whatever the server "
                + "says.", "Remove it.");
            return null;
        }

        return header.ToLowerInvariant();
    }

    private static void CheckExposeAll(CorsKitPolicyBuilder builder, ConfiguredList<string> exposed, PolicyProblems problems)
    {
        if (exposed.Wildcard && builder.Credentials)
        {
            problems.Error(ConfigurationKeys.ExposedHeaders, "*",
                "With credentials, browsers read '*' as a header literally named '*', so nothing would be "
                    + "exposed.", "List the headers to expose by name.");
        }
        else if (exposed.Wildcard && exposed.Entries.Count > 0)
        {
            problems.Error(ConfigurationKeys.ExposedHeaders, "*", "'*' (all headers) is mixed with header names, which would then mean nothing.",
                "Either keep only '*' or list the headers.");
        }
    }

    private static TimeSpan? CompileMaxAge(CorsKitPolicyBuilder builder, PolicyProblems problems)
    {
        if (builder.MaxAgeSeconds is not { } seconds) return null;
        var text = seconds.ToString(CultureInfo.InvariantCulture);
        if (seconds is < 0 or > MaxAgeLimitSeconds)
        {
            problems.Error(ConfigurationKeys.MaxAgeSeconds, text, $"Max-age must be from 0 to {MaxAgeLimitSeconds} seconds (Firefox's cap).",
                $"Use a value from 0 to {MaxAgeLimitSeconds}; values above {ChromiumMaxAgeCapSeconds} work only in Firefox, as Chromium caps the "
                    + $"cache "
                + $"at {ChromiumMaxAgeCapSeconds}.");
            return null;
        }

        if (seconds > ChromiumMaxAgeCapSeconds)
        {
            problems.Warn(ConfigurationKeys.MaxAgeSeconds, text, $"Chromium caps preflight caching at {ChromiumMaxAgeCapSeconds} seconds.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static Regex? CompileRegexes(string[] patterns, PolicyProblems problems, List<(string Pattern, string Example)> insecureOrigins)
    {
        if (patterns.Length == 0) return null;
        var valid = new List<string>();
        foreach (var pattern in patterns)
        {
            if (string.IsNullOrEmpty(pattern))
            {
                problems.Error(ConfigurationKeys.OriginRegexes, pattern, "A regex is empty.",
                    "Remove it or write an anchored pattern such as 'https://pr-[0-9]+\\.preview\\.example\\.com'.");
                continue;
            }

            if (TryCompile(pattern, problems) is not { } regex) continue;
            var errorCount = problems.ErrorCount;
            var findings = OriginRegexAudit.Audit(pattern, regex, problems);
            if (problems.ErrorCount > errorCount) continue;
            if (findings.InsecureHttpExample is { } example) insecureOrigins.Add((pattern, example));
            valid.Add(pattern);
        }

        if (valid.Count != patterns.Length) return null;
        var combined = string.Join('|', valid.Select(p => "(?:" + p + ")"));
        return new Regex(Anchor(combined), Options);
    }

    private static Regex? TryCompile(string pattern, PolicyProblems problems)
    {
        try
        {
            return new Regex(Anchor(pattern), Options);
        }
        catch (ArgumentException ex)
        {
            problems.Error(ConfigurationKeys.OriginRegexes, pattern, $"The regex does not parse: {ex.Message}",
                "Fix the pattern's syntax (remember to escape dots as '\\.').");
        }
        catch (NotSupportedException ex)
        {
            problems.Error(ConfigurationKeys.OriginRegexes, pattern,
                $"The regex uses a construct that non-backtracking matching does not support: {ex.Message}",
                "Remove backreferences, lookarounds and atomic groups.");
        }

        return null;
    }
}
