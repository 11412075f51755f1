using System.Text.RegularExpressions;

namespace CorsKit.Internal;

/// <summary>
/// Turns a <see cref="CorsKitPolicyBuilder"/> into a <see cref="CorsKitPolicy"/>: validates every setting, collects
/// every error, normalises values and precomputes the matchers. Build time only.
/// </summary>
internal static class PolicyCompiler
{
    public const int MaxAgeLimitSeconds = 86400;
    public const int ChromiumMaxAgeCapSeconds = 7200;

    public static CorsKitPolicy? Compile(string name, CorsKitPolicyBuilder builder, List<CorsKitConfigurationError> errors, PolicyServices? services = null)
    {
        var errorCountBefore = errors.Count;
        var warnings = new List<string>();
        void Error(string option, string? value, string problem, string fix) =>
            errors.Add(new CorsKitConfigurationError(name, option, value, problem, fix));

        errors.AddRange(builder.BindingErrors);

        // Origins
        var anyOrigin = false;
        var patterns = new List<OriginPattern>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in builder.Origins)
        {
            if (origin == "*")
            {
                anyOrigin = true;
                continue;
            }

            var pattern = OriginPattern.Parse(origin, name, "Origins", errors);
            if (pattern is not null && seen.Add(pattern.Display)) patterns.Add(pattern);
        }

        var regexes = builder.OriginRegexes.Distinct(StringComparer.Ordinal).ToArray();
        var insecureRegexOrigins = new List<(string Pattern, string Example)>();
        var combinedRegex = CompileRegexes(name, regexes, errors, insecureRegexOrigins);
        var resolver = CachedOriginResolver.Compile(name, builder.Resolvers, services ?? PolicyServices.Default, errors);
        var dynamicOrigins = builder.OriginPredicates.Count > 0 || builder.Resolvers.Count > 0;

        if (anyOrigin && (patterns.Count > 0 || regexes.Length > 0 || dynamicOrigins || builder.Origins.Any(o => o != "*")))
        {
            Error("Origins", "*", "'*' (any origin) is mixed with other origins, an origin predicate or an origin resolver, which would then mean nothing.",
                "Either keep only '*' or remove it and list the origins.");
        }

        if (!anyOrigin && builder.Origins.Count == 0 && regexes.Length == 0 && !dynamicOrigins)
        {
            Error("Origins", null, "The origin allowlist is empty, so the policy could never allow a CORS request.",
                "Add origins (e.g. 'https://app.example.com'), OriginRegexes, an origin predicate or resolver, or '*' for a public API without credentials.");
        }

        CredentialedOrigins.Check(name, builder, patterns, insecureRegexOrigins, errors, warnings);

        if (anyOrigin && builder.Credentials)
        {
            Error("AllowCredentials", "true", "Any origin ('*') together with credentials would let every site on the web read responses with the user's cookies.",
                "List the trusted origins explicitly, or turn credentials off.");
        }

        // Methods
        var anyMethod = false;
        var methods = new List<string>();
        foreach (var method in builder.Methods)
        {
            if (method == "*")
            {
                anyMethod = true;
                continue;
            }

            if (method is null || !HttpSyntax.IsToken(method))
            {
                Error("Methods", method, "Not a valid HTTP method token.", "Use method names such as 'PUT' or 'DELETE' (letters, digits and !#$%&'*+-.^_`|~ only).");
                continue;
            }

            if (ForbiddenMethods.Contains(method))
            {
                Error("Methods", method, "Browsers never send CONNECT, TRACE or TRACK; allowing them means nothing.", "Remove it.");
                continue;
            }

            if (HttpSyntax.IsNormalizedMethodName(method, out var upper) && !string.Equals(upper, method, StringComparison.Ordinal))
            {
                Error("Methods", method, $"Browsers upper-case '{method}' before sending it, so this entry would never match.", $"Write '{upper}'.");
                continue;
            }

            if (!methods.Contains(method, StringComparer.Ordinal)) methods.Add(method);
        }

        if (anyMethod && methods.Count > 0)
        {
            Error("Methods", "*", "'*' (any method) is mixed with method names, which would then mean nothing.", "Either keep only '*' or list the methods.");
        }

        // Request headers
        var anyHeader = false;
        var requestHeaders = new List<string>();
        foreach (var header in builder.RequestHeaders)
        {
            if (header == "*")
            {
                anyHeader = true;
                continue;
            }

            if (header is null || !HttpSyntax.IsToken(header))
            {
                Error("RequestHeaders", header, "Not a valid header name.", "Use header names such as 'content-type' (letters, digits and !#$%&'*+-.^_`|~ only).");
                continue;
            }

            if (ForbiddenHeaders.IsForbiddenRequestHeader(header))
            {
                Error("RequestHeaders", header, "Browsers never let script set this header, so allowing it means nothing.", "Remove it.");
                continue;
            }

            var lower = header.ToLowerInvariant();
            if (!requestHeaders.Contains(lower, StringComparer.Ordinal)) requestHeaders.Add(lower);
        }

        if (anyHeader && requestHeaders.Any(h => h != "authorization"))
        {
            Error("RequestHeaders", "*", "'*' (any header) is mixed with header names other than 'authorization', which would then mean nothing.",
                "Keep only '*' (and 'authorization' if it must be allowed, since '*' never covers it), or list the headers.");
        }

        // Exposed headers
        var exposeAll = false;
        var exposed = new List<string>();
        foreach (var header in builder.ExposedHeaders)
        {
            if (header == "*")
            {
                exposeAll = true;
                continue;
            }

            if (header is null || !HttpSyntax.IsToken(header))
            {
                Error("ExposedHeaders", header, "Not a valid header name.", "Use header names such as 'x-total-count'.");
                continue;
            }

            if (ForbiddenHeaders.IsForbiddenResponseHeader(header))
            {
                Error("ExposedHeaders", header, "Browsers never expose Set-Cookie to script, whatever the server says.", "Remove it.");
                continue;
            }

            var lower = header.ToLowerInvariant();
            if (!exposed.Contains(lower, StringComparer.Ordinal)) exposed.Add(lower);
        }

        if (exposeAll && builder.Credentials)
        {
            Error("ExposedHeaders", "*", "With credentials, browsers read '*' as a header literally named '*', so nothing would be exposed.",
                "List the headers to expose by name.");
        }
        else if (exposeAll && exposed.Count > 0)
        {
            Error("ExposedHeaders", "*", "'*' (all headers) is mixed with header names, which would then mean nothing.", "Either keep only '*' or list the headers.");
        }

        // Max-age
        TimeSpan? maxAge = null;
        if (builder.MaxAgeSeconds is { } seconds)
        {
            if (seconds is < 0 or > MaxAgeLimitSeconds)
            {
                Error("MaxAgeSeconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"Max-age must be from 0 to {MaxAgeLimitSeconds} seconds (Firefox's cap).",
                    $"Use a value from 0 to {MaxAgeLimitSeconds}; values above {ChromiumMaxAgeCapSeconds} work only in Firefox, as Chromium caps the cache at {ChromiumMaxAgeCapSeconds}.");
            }
            else
            {
                if (seconds > ChromiumMaxAgeCapSeconds)
                {
                    warnings.Add($"policy '{name}', MaxAgeSeconds {seconds}: Chromium caps preflight caching at {ChromiumMaxAgeCapSeconds} seconds.");
                }
                maxAge = TimeSpan.FromSeconds(seconds);
            }
        }

        if (errors.Count > errorCountBefore) return null;

        var description = new PolicyDescription(
            anyOrigin ? ["*"] : patterns.Select(p => p.Display).ToArray(),
            regexes,
            builder.OriginPredicates.Count > 0,
            anyOrigin,
            anyMethod ? ["*"] : methods.ToArray(),
            anyHeader ? ["*", .. requestHeaders] : requestHeaders.ToArray(),
            exposeAll ? ["*"] : exposed.ToArray(),
            builder.Credentials,
            maxAge);

        return new CorsKitPolicy(
            name,
            description,
            new OriginMatcher(anyOrigin, patterns, combinedRegex, builder.OriginPredicates.ToArray()),
            new MethodSet(methods, anyMethod),
            new HeaderNameSet(requestHeaders, anyHeader),
            warnings,
            resolver);
    }

    private static Regex? CompileRegexes(string name, string[] patterns, List<CorsKitConfigurationError> errors, List<(string Pattern, string Example)> insecureOrigins)
    {
        if (patterns.Length == 0) return null;
        var valid = new List<string>();
        foreach (var pattern in patterns)
        {
            if (string.IsNullOrEmpty(pattern))
            {
                errors.Add(new CorsKitConfigurationError(name, "OriginRegexes", pattern, "A regex is empty.", "Remove it or write an anchored pattern such as 'https://pr-[0-9]+\\.preview\\.example\\.com'."));
                continue;
            }

            Regex regex;
            try
            {
                regex = new Regex(Anchor(pattern), Options);
            }
            catch (ArgumentException ex)
            {
                errors.Add(new CorsKitConfigurationError(name, "OriginRegexes", pattern, $"The regex does not parse: {ex.Message}", "Fix the pattern's syntax (remember to escape dots as '\\.')."));
                continue;
            }
            catch (NotSupportedException ex)
            {
                errors.Add(new CorsKitConfigurationError(name, "OriginRegexes", pattern, $"The regex uses a construct that non-backtracking matching does not support: {ex.Message}", "Remove backreferences, lookarounds and atomic groups."));
                continue;
            }

            var errorCount = errors.Count;
            var findings = OriginRegexAudit.Audit(name, pattern, regex, errors);
            if (errors.Count > errorCount) continue;
            if (findings.InsecureHttpExample is { } example) insecureOrigins.Add((pattern, example));
            valid.Add(pattern);
        }

        if (valid.Count != patterns.Length) return null;
        var combined = string.Join('|', valid.Select(p => "(?:" + p + ")"));
        return new Regex(Anchor(combined), Options);
    }

    internal const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    internal static string Anchor(string pattern) => $"^(?:{pattern})\\z";
}
