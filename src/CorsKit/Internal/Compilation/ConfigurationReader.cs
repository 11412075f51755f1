using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CorsKit.Internal;

/// <summary>
/// Reads the <c>CorsKit</c> configuration section into <see cref="CorsKitOptions"/>. Strict: an unknown key or a value
/// of the wrong type is a configuration error, not something silently ignored.
/// </summary>
internal static class ConfigurationReader
{
    private static readonly string[] TopLevelKeys = ["DefaultPolicy", "Policies", "DebugMode", "RefusalLogLevel"];

    private static readonly string[] PolicyKeys =
    [
        "Origins", "OriginRegexes", "Methods", "RequestHeaders", "ExposedHeaders", "AllowCredentials", "MaxAgeSeconds",
        CredentialedOrigins.InsecureHttpOptOut, CredentialedOrigins.PublicSuffixOptOut,
    ];

    public static void Apply(IConfiguration section, CorsKitOptions options)
    {
        foreach (var child in section.GetChildren())
        {
            if (!TopLevelKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                options.BindingErrors.Add(new CorsKitConfigurationError(null, child.Key, child.Value, "Unknown CorsKit setting.", UnknownKeyFix(child.Key, TopLevelKeys)));
            }
        }

        var debug = section["DebugMode"];
        if (debug is not null)
        {
            if (bool.TryParse(debug, out var on)) options.DebugMode = on;
            else options.BindingErrors.Add(new CorsKitConfigurationError(null, "DebugMode", debug, "Not a boolean.", "Write true or false."));
        }

        var level = section["RefusalLogLevel"];
        if (level is not null)
        {
            if (Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(level, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) options.RefusalLogLevel = parsed;
            else options.BindingErrors.Add(new CorsKitConfigurationError(null, "RefusalLogLevel", level, "Not a log level.", "Write Debug, Information, Warning, Error or None."));
        }

        var defaultPolicy = section["DefaultPolicy"];
        if (!string.IsNullOrEmpty(defaultPolicy)) options.DefaultPolicyName = defaultPolicy;

        foreach (var policySection in section.GetSection("Policies").GetChildren())
        {
            var name = policySection.Key;
            var builder = options.GetOrCreate(name);
            foreach (var setting in policySection.GetChildren())
            {
                if (!PolicyKeys.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
                {
                    builder.AddBindingError(new CorsKitConfigurationError(name, setting.Key, setting.Value, "Unknown policy setting.", UnknownKeyFix(setting.Key, PolicyKeys)));
                }
            }

            builder.AllowOrigins(ReadList(policySection, "Origins", name, builder));
            builder.AllowOriginRegexes(ReadList(policySection, "OriginRegexes", name, builder));
            builder.AllowMethods(ReadList(policySection, "Methods", name, builder));
            builder.AllowRequestHeaders(ReadList(policySection, "RequestHeaders", name, builder));
            builder.ExposeHeaders(ReadList(policySection, "ExposedHeaders", name, builder));

            if (ReadBool(policySection, "AllowCredentials", name, builder) is { } credentials) builder.AllowCredentials(credentials);
            if (ReadBool(policySection, CredentialedOrigins.InsecureHttpOptOut, name, builder) is { } insecureHttp)
            {
                builder.DangerouslyAllowInsecureHttpOriginsWithCredentials(insecureHttp);
            }
            if (ReadBool(policySection, CredentialedOrigins.PublicSuffixOptOut, name, builder) is { } publicSuffixes)
            {
                builder.DangerouslyAllowPublicSuffixWildcardsWithCredentials(publicSuffixes);
            }

            var maxAge = policySection["MaxAgeSeconds"];
            if (maxAge is not null)
            {
                if (long.TryParse(maxAge, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)) builder.SetMaxAgeSeconds(seconds);
                else builder.AddBindingError(new CorsKitConfigurationError(name, "MaxAgeSeconds", maxAge, "Not a whole number of seconds.", "Write a whole number from 0 to 86400 (Chromium caps the cache at 7200)."));
            }
        }
    }

    private static bool? ReadBool(IConfigurationSection policy, string key, string name, CorsKitPolicyBuilder builder)
    {
        var value = policy[key];
        if (value is null) return null;
        if (bool.TryParse(value, out var result)) return result;
        builder.AddBindingError(new CorsKitConfigurationError(name, key, value, "Not a boolean.", "Write true or false."));
        return null;
    }

    private static string[] ReadList(IConfigurationSection policy, string key, string name, CorsKitPolicyBuilder builder)
    {
        var section = policy.GetSection(key);
        if (section.Value is not null)
        {
            // "Origins": "https://a.example" instead of an array: a likely slip, named rather than guessed at.
            builder.AddBindingError(new CorsKitConfigurationError(name, key, section.Value, "Expected a JSON array.", $"Write \"{key}\": [ \"{section.Value}\" ]."));
            return [];
        }

        return section.GetChildren()
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .Select(c => c.Value ?? string.Empty)
            .ToArray();
    }

    /// <summary>The fix for an unknown key: every known key, and the closest one when it is close enough.</summary>
    private static string UnknownKeyFix(string key, string[] known) => $"Use one of: {string.Join(", ", known)}{Suggest(key, known)}.";

    private static string Suggest(string key, string[] known)
    {
        var best = known.OrderBy(k => Distance(k.ToLowerInvariant(), key.ToLowerInvariant())).First();
        return Distance(best.ToLowerInvariant(), key.ToLowerInvariant()) <= Math.Max(3, key.Length / 3) ? $" (did you mean '{best}'?)" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
