using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CorsKit.Internal;

/// <summary>
/// Reads the <c>CorsKit</c> configuration section into <see cref="CorsKitOptions"/>. Strict: an unknown key or a value
/// of the wrong type or shape is a configuration error, not something silently ignored.
/// </summary>
/// <remarks>
/// Every node is read once into a <see cref="Shape"/>, from what the providers really hand over (measured on .NET 10,
/// listed in docs/configuration.md): JSON <c>[]</c> and <c>""</c> both arrive as the value "" with no children, JSON
/// <c>null</c> and <c>{}</c> as the value null with no children (the same as a missing key), an environment variable
/// or <c>--key=</c> set to nothing as "", and a JSON <c>[]</c> that another source adds entries to as "" with children.
/// Since no provider tells <c>[]</c> from <c>""</c>, an empty value means "not set" for every key.
/// </remarks>
internal static class ConfigurationReader
{
    private const string DefaultPolicyKey = ConfigurationKeys.DefaultPolicy;
    private const string PoliciesKey = ConfigurationKeys.Policies;

    /// <summary>The policy name the fixes for a misshapen section of policies show.</summary>
    private const string ExamplePolicyName = "web";

    private static readonly ScalarKey<bool> DebugMode = Flag(ConfigurationKeys.DebugMode);

    private static readonly ScalarKey<LogLevel> RefusalLogLevel = new(
        ConfigurationKeys.RefusalLogLevel, TryParseLogLevel, l => l.ToString(), "Warning",
        "Not a log level.", "Write Debug, Information, Warning, Error or None.", Quoted: true);

    private static readonly ScalarKey<string> DefaultPolicy = new(DefaultPolicyKey, TryParseName, n => n, "web",
        "Not a policy name.", "Write the name of a policy.", Quoted: true);

    private static readonly string[] TopLevelKeys = [DefaultPolicyKey, PoliciesKey, DebugMode.Name, RefusalLogLevel.Name];

    private static readonly ListKey[] ListKeys =
    [
        new(ConfigurationKeys.Origins, "https://app.example.com", (b, v) => b.AllowOrigins(v)),
        // A regex may hold a comma ({1,3}), so a single regex value is never split at commas in a fix.
        new(ConfigurationKeys.OriginRegexes, "https://pr-[0-9]+\\.review\\.example\\.com", (b, v) => b.AllowOriginRegexes(v),
            EntriesMayHoldCommas: true),
        new(ConfigurationKeys.Methods, "PUT", (b, v) => b.AllowMethods(v)),
        new(ConfigurationKeys.RequestHeaders, "content-type", (b, v) => b.AllowRequestHeaders(v)),
        new(ConfigurationKeys.ExposedHeaders, "x-total-count", (b, v) => b.ExposeHeaders(v)),
    ];

    private static readonly IPolicyKey[] PolicySettings =
    [
        .. ListKeys,
        new PolicyScalar<bool>(Flag(ConfigurationKeys.AllowCredentials), (b, v) => b.AllowCredentials(v)),
        new PolicyScalar<long>(new(ConfigurationKeys.MaxAgeSeconds, TryParseSeconds, s => s.ToString(CultureInfo.InvariantCulture), "600",
            "Not a whole number of "
                + "seconds.", "Write a whole number from 0 to 86400 (Chromium caps the cache at 7200)."), (b, v) => b.SetMaxAgeSeconds(v)),
        new PolicyScalar<bool>(Flag(ConfigurationKeys.InsecureHttpOptOut), (b, v) => b.DangerouslyAllowInsecureHttpOriginsWithCredentials(v)),
        new PolicyScalar<bool>(Flag(ConfigurationKeys.PublicSuffixOptOut), (b, v) => b.DangerouslyAllowPublicSuffixWildcardsWithCredentials(v)),
        new PolicyScalar<bool>(Flag(ConfigurationKeys.AnyOriginForWebSockets), (b, v) => b.AllowAnyOriginForWebSockets(v)),
    ];

    private static readonly string[] PolicyKeys = [.. PolicySettings.Select(k => k.Name)];

    public static void Apply(IConfiguration configuration, CorsKitOptions options)
    {
        void Report(CorsKitConfigurationError error) => options.BindingErrors.Add(error);

        if (configuration is IConfigurationSection root)
        {
            var rootNode = Node.Read(root);
            if (rootNode.Shape is Shape.Missing or Shape.Empty) return;
            if (rootNode.Shape is not Shape.Object)
            {
                Report(new CorsKitConfigurationError(null, root.Key, rootNode.Render(), $"{rootNode.Describe()} where the CorsKit settings are "
                    + $"expected.",
                    ExamplePolicyFix("Write the settings as keys below it", root.Path, PoliciesKey, ExamplePolicyName)));
                return;
            }
        }

        foreach (var child in configuration.GetChildren())
        {
            if (!TopLevelKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                Report(new CorsKitConfigurationError(null, child.Key, child.Value, "Unknown CorsKit "
                    + "setting.", UnknownKeyFix(child.Key, TopLevelKeys)));
            }
        }

        if (DebugMode.TryRead(configuration, null, Report, out var debug)) options.DebugMode = debug;
        if (RefusalLogLevel.TryRead(configuration, null, Report, out var level)) options.RefusalLogLevel = level;
        var policies = Node.Read(configuration.GetSection(PoliciesKey));
        var policyNames = policies.Children.Select(c => c.Key).ToHashSet(CorsKitOptions.PolicyNameComparer);
        if (DefaultPolicy.TryRead(configuration, null, Report, out var defaultPolicy, policyNames.Contains))
        {
            options.DefaultPolicyName = defaultPolicy;
        }


        if (policies.Shape is Shape.Scalar or Shape.List or Shape.Conflict)
        {
            // "Policies": [ { ... } ] has no names to refer to the policies by, so nothing is read from it.
            Report(new CorsKitConfigurationError(null, PoliciesKey, policies.Render(), $"{policies.Describe()} where named policies are expected.",
                ExamplePolicyFix("Name each policy", policies.Section.Path, ExamplePolicyName)));
            return;
        }

        foreach (var policySection in policies.Children) ReadPolicy(policySection, options);
    }

    private static void ReadPolicy(IConfigurationSection section, CorsKitOptions options)
    {
        var builder = options.GetOrCreate(section.Key, out var name);
        void Report(CorsKitConfigurationError error) => builder.AddBindingError(error);

        // An empty policy ("web": {} or null or []) is the policy with nothing set, as AddPolicy("web", _ => { }) is.
        var node = Node.Read(section);
        if (node.Shape is Shape.Missing or Shape.Empty) return;
        if (node.Shape is not Shape.Object)
        {
            Report(new CorsKitConfigurationError(name, ConfigurationPath.Combine(PoliciesKey, section.Key), node.Render(), $"{node.Describe()} where "
                + $"the policy's settings are expected.",
                ExamplePolicyFix("Write the policy's settings as keys below it", section.Path)));
            return;
        }

        foreach (var setting in node.Children)
        {
            if (!PolicyKeys.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
            {
                Report(new CorsKitConfigurationError(name, setting.Key, setting.Value, "Unknown policy "
                    + "setting.", UnknownKeyFix(setting.Key, PolicyKeys)));
            }
        }

        foreach (var key in PolicySettings) key.Read(section, name, builder, Report);
    }

    /// <summary>What a configuration node is, read once from its value and its children.</summary>
    private enum Shape
    {
        /// <summary>No value and no children: a missing key, JSON <c>null</c> or <c>{}</c>, in-memory null.</summary>
        Missing,

        /// <summary>The value "" and no children: JSON <c>[]</c> or <c>""</c>, an environment variable or <c>--key=</c> set to nothing.</summary>
        Empty,

        Scalar,

        /// <summary>Children whose keys are all indexes (0, 1, ...; gaps allowed, as layered sources leave them).</summary>
        List,

        /// <summary>Children, some of whose keys are not indexes.</summary>
        Object,

        /// <summary>A non-empty value and children: two sources disagree (<c>"Origins": "x"</c> in one, <c>Origins:0</c> in another).</summary>
        Conflict,
    }

    private sealed class Node
    {
        private Node(IConfigurationSection section, Shape shape, IConfigurationSection[] children)
        {
            Section = section;
            Shape = shape;
            Children = children;
        }

        public IConfigurationSection Section { get; }

        public Shape Shape { get; }

        /// <summary>The children; for a list, in numeric order of their indexes.</summary>
        public IConfigurationSection[] Children { get; }

        public static Node Read(IConfigurationSection section)
        {
            var children = section.GetChildren().ToArray();
            var value = section.Value;
            if (children.Length == 0)
            {
                return new Node(section, value is null ? Shape.Missing : value.Length == 0 ? Shape.Empty : Shape.Scalar, children);
            }

            if (!string.IsNullOrEmpty(value)) return new Node(section, Shape.Conflict, children);
            if (!children.All(c => Index(c.Key) is not null)) return new Node(section, Shape.Object, children);
            return new Node(section, Shape.List, [.. children.OrderBy(c => Index(c.Key))]);
        }

        private static int? Index(string key) =>
            int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;

        /// <summary>The keys of the children that are not list indexes.</summary>
        public IEnumerable<string> NonIndexKeys => Children.Where(c => Index(c.Key) is null).Select(c => c.Key);

        /// <summary>The node as one line for an error's value: <c>x</c>, <c>[a, b]</c>, <c>{k: v}</c>.</summary>
        public string Render() => Shape switch
        {
            Shape.Missing => "null",
            Shape.Empty or Shape.Scalar => Section.Value!,
            Shape.List => $"[{string.Join(", ", Children.Select(c => Read(c).Render()))}]",
            Shape.Object => $"{{{string.Join(", ", Children.Select(c => $"{c.Key}: {Read(c).Render()}"))}}}",
            _ => $"{Section.Value} and {{{string.Join(", ", Children.Select(c => $"{c.Key}: {Read(c).Render()}"))}}}",
        };

        /// <summary>The node's shape as the start of an error's problem.</summary>
        public string Describe() => Shape switch
        {
            Shape.Scalar => "A single value",
            Shape.List => "A list",
            Shape.Object => $"An object (keys {Quote(Children.Select(c => c.Key))})",
            _ => $"A single value together with entries (keys {Quote(Children.Select(c => c.Key))})",
        };

        /// <summary>The single values in the node, depth first: what a list written from it would hold.</summary>
        public IEnumerable<string> Leaves() => Shape switch
        {
            Shape.Missing or Shape.Empty => [],
            Shape.Scalar => [Section.Value!],
            Shape.Conflict => [Section.Value!, .. Children.SelectMany(c => Read(c).Leaves())],
            _ => Children.SelectMany(c => Read(c).Leaves()),
        };
    }

    private delegate bool TryParse<T>(string value, out T result);

    /// <summary>A key that holds one value. A list or an object in its place is an error, never a silent default.</summary>
    private sealed record ScalarKey<T>(
        string Name, TryParse<T> Parse, Func<T, string> Format, string Example, string Problem, string Fix, bool Quoted = false)
    {
        // preferred: for a misshapen value, which valid entries the fix suggests first.
        public bool TryRead(
            IConfiguration parent, string? policy, Action<CorsKitConfigurationError> report, out T value, Func<T, bool>? preferred = null)
        {
            value = default!;
            var node = Node.Read(parent.GetSection(Name));
            switch (node.Shape)
            {
                case Shape.Missing or Shape.Empty:
                    return false;
                case Shape.Scalar when Parse(node.Section.Value!, out value):
                    return true;
                case Shape.Scalar:
                    report(new CorsKitConfigurationError(policy, Name, node.Section.Value, Problem, Fix));
                    return false;
                default:
                    // Suggest the first valid entry (a preferred one if any), or the example.
                    var valid = node.Leaves()
                        .Select(leaf => (Ok: Parse(leaf, out var parsed), Value: parsed))
                        .Where(p => p.Ok)
                        .Select(p => p.Value)
                        .ToArray();
                    var best = preferred is null ? -1 : Array.FindIndex(valid, v => preferred(v));
                    var suggestion = valid.Length == 0 ? Example : Format(valid[Math.Max(best, 0)]);

                    report(new CorsKitConfigurationError(policy, Name, node.Render(), $"{node.Describe()} where a single value is expected.",
                        $"Write a single value: {SingleValueForms(node, suggestion)}."));
                    return false;
            }
        }

        private string SingleValueForms(Node node, string suggestion) =>
            ProviderForms(KeyPath(node.Section, Name), Quoted ? JsonString(suggestion) : suggestion, [(string.Empty, suggestion)]);
    }

    /// <summary>A setting of a policy, read into its builder.</summary>
    private interface IPolicyKey
    {
        string Name { get; }

        void Read(IConfigurationSection policy, string name, CorsKitPolicyBuilder builder, Action<CorsKitConfigurationError> report);
    }

    private sealed record PolicyScalar<T>(ScalarKey<T> Key, Action<CorsKitPolicyBuilder, T> Apply) : IPolicyKey
    {
        public string Name => Key.Name;

        public void Read(IConfigurationSection policy, string name, CorsKitPolicyBuilder builder, Action<CorsKitConfigurationError> report)
        {
            if (Key.TryRead(policy, name, report, out var value)) Apply(builder, value);
        }
    }

    /// <summary>A key that holds a list of strings.</summary>
    private sealed record ListKey(string Name, string Example, Action<CorsKitPolicyBuilder, string[]> Apply, bool EntriesMayHoldCommas = false)
        : IPolicyKey
    {
        public void Read(IConfigurationSection policy, string name, CorsKitPolicyBuilder builder, Action<CorsKitConfigurationError> report) =>
            Apply(builder, Entries(policy, name, report));

        /// <summary>
        /// The entries of the list. A node of another shape is an error whose fix is the list written from its values,
        /// and those values are still returned, so that the entries are checked too and no error follows from the
        /// list seeming empty (the error alone stops the start).
        /// </summary>
        private string[] Entries(IConfigurationSection policy, string name, Action<CorsKitConfigurationError> report)
        {
            var node = Node.Read(policy.GetSection(Name));
            string[] entries;
            string problem;
            switch (node.Shape)
            {
                case Shape.Missing or Shape.Empty:
                    return [];
                case Shape.List:
                    var nested = node.Children.Select(Node.Read).Where(c => c.Shape is not (Shape.Missing or Shape.Empty or Shape.Scalar)).ToArray();
                    // An empty entry ("", null, [] in JSON; an empty variable) is not set, like any empty value.
                    entries = [.. node.Leaves()];
                    if (nested.Length == 0) return entries;
                    problem = string.Join(" ", nested.Select(e => $"Entry {e.Section.Key} is {Article(e.Describe())}, not a single value."));
                    break;
                case Shape.Scalar:
                    var value = node.Section.Value!;
                    var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    var split = !EntriesMayHoldCommas && parts.Length > 0 && value.Contains(',', StringComparison.Ordinal);
                    entries = split ? parts : [value];
                    problem = split
                        ? "A single value where a list is expected (CorsKit does not split values at commas)."
                        : "A single value where a list is expected.";
                    break;
                case Shape.Object:
                    entries = [.. node.Leaves()];
                    problem = $"An object where a list is expected: {Quote(node.NonIndexKeys)} "
                        + $"{(node.NonIndexKeys.Count() == 1 ? "is not a list index" : "are not list indexes")} (0, 1, 2, ...).";
                    break;
                default:
                    entries = [.. node.Leaves()];
                    problem = $"{node.Describe()} where a list is expected.";
                    break;
            }

            var shown = entries.Length > 0 ? entries : [Example];
            report(new CorsKitConfigurationError(name, Name, node.Render(), problem,
                $"Write a list, one entry per value: {ListForms(node, shown)}."));
            return entries;
        }

        private string ListForms(Node node, string[] shown) => ProviderForms(
            KeyPath(node.Section, Name),
            $"[ {string.Join(", ", shown.Select(JsonString))} ]",
            shown.Select((e, i) => (i.ToString(CultureInfo.InvariantCulture), e)).ToArray());
    }

    /// <summary>
    /// The fix for a misshapen section that should hold policies: <paramref name="advice"/>, then one example policy
    /// written out at <paramref name="path"/> (and the keys <paramref name="below"/> it) in each provider's form.
    /// </summary>
    private static string ExamplePolicyFix(string advice, string path, params string[] below)
    {
        var key = ListKeys[0];
        var json = $"{{ \"{key.Name}\": [ {JsonString(key.Example)} ] }}";
        foreach (var segment in below.Reverse()) json = $"{{ \"{segment}\": {json} }}";
        return $"{advice}, e.g. {ProviderForms(path, json, [(ConfigurationPath.Combine([.. below, key.Name, "0"]), key.Example)])}.";
    }

    /// <summary>
    /// The same setting in JSON, as environment variables (the path's ':' written '__') and on the command line, for
    /// <paramref name="path"/> and the entries below it (each a relative path, empty for the key itself, and a value).
    /// </summary>
    private static string ProviderForms(string path, string json, IReadOnlyList<(string Relative, string Value)> entries)
    {
        var keys = entries.Select(e => (Path: e.Relative.Length == 0 ? path : ConfigurationPath.Combine(path, e.Relative), e.Value)).ToArray();
        var variables = string.Join(" and ", keys.Select(k => $"{EnvironmentName(k.Path)}={k.Value}"));
        var arguments = string.Join(" ", keys.Select(k => $"--{k.Path}={k.Value}"));
        return $"in JSON \"{ConfigurationPath.GetSectionKey(path)}\": {json}; as "
            + $"{(keys.Length == 1 ? "an environment variable" : "environment variables")} {variables}; on the command line {arguments}";
    }

    /// <summary>The key's path with the key spelled as CorsKit documents it (the user's spelling may differ in case).</summary>
    private static string KeyPath(IConfigurationSection section, string key) =>
        ConfigurationPath.GetParentPath(section.Path) is { } parent ? ConfigurationPath.Combine(parent, key) : key;

    private static string JsonString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') builder.Append('\\').Append(c);
            else if (c < 0x20) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.Append('"').ToString();
    }

    private static string Quote(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"'{k}'"));

    private static string EnvironmentName(string path) => path.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal);

    private static string Article(string description) =>
        description.Length > 0 ? char.ToLowerInvariant(description[0]) + description[1..] : description;

    private static ScalarKey<bool> Flag(string name) =>
        new(name, bool.TryParse, value => value ? "true" : "false", "true", "Not a boolean.", "Write true or false.");

    private static bool TryParseLogLevel(string value, out LogLevel level) =>
        Enum.TryParse(value, ignoreCase: true, out level) && Enum.IsDefined(level);

    private static bool TryParseSeconds(string value, out long seconds) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds);

    private static bool TryParseName(string value, out string name)
    {
        name = value;
        return true;
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
