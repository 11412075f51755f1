using System.Globalization;
using System.Reflection;

namespace CorsKit.Internal;

/// <summary>
/// The Public Suffix List (publicsuffix.org), from the snapshot embedded in this assembly (see docs/configuration.md
/// for how to refresh it). Read only when a policy needs it, at build time; never on a request.
/// Both sections count: a private-section suffix such as <c>github.io</c> separates owners as surely as <c>co.uk</c>.
/// </summary>
internal static class PublicSuffixList
{
    public const string ResourceName = "CorsKit.public_suffix_list.dat";

    private static readonly Lazy<Rules> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The public suffix of a lower-case ASCII host, by the list's algorithm (the default rule is <c>*</c>).</summary>
    public static string PublicSuffix(string host)
    {
        var rules = Loaded.Value;

        // An exception rule wins over every other rule; its public suffix is the rule minus its leftmost label.
        for (var start = 0; start >= 0; start = NextLabel(host, start))
        {
            var suffix = host[start..];
            if (rules.Exceptions.Contains(suffix)) return Parent(suffix) ?? suffix;
        }

        // Otherwise the longest matching rule: listed as is, or as "*.parent".
        for (var start = 0; start >= 0; start = NextLabel(host, start))
        {
            var suffix = host[start..];
            if (rules.Names.Contains(suffix)) return suffix;
            var parent = Parent(suffix);
            if (parent is not null && rules.WildcardParents.Contains(parent)) return suffix;
        }

        var lastDot = host.LastIndexOf('.');
        return lastDot < 0 ? host : host[(lastDot + 1)..];
    }

    /// <summary>True when the host is itself a public suffix (<c>com</c>, <c>co.uk</c>, <c>github.io</c>).</summary>
    public static bool IsPublicSuffix(string host) => string.Equals(PublicSuffix(host), host, StringComparison.Ordinal);

    /// <summary>
    /// The registrable domain (public suffix plus one label): the "site" a browser isolates. Null when the host is a
    /// public suffix itself.
    /// </summary>
    public static string? RegistrableDomain(string host)
    {
        var suffix = PublicSuffix(host);
        if (suffix.Length == host.Length) return null;
        var labelStart = host.LastIndexOf('.', host.Length - suffix.Length - 2) + 1;
        return host[labelStart..];
    }

    /// <summary>
    /// True when <c>*.<paramref name="suffix"/></c> spans sites with different owners: the suffix is public, or some
    /// public suffix lies below it (<c>*.amazonaws.com</c> covers <c>s3.amazonaws.com</c>'s customers).
    /// </summary>
    public static bool SubdomainsSpanSites(string suffix)
    {
        var rules = Loaded.Value;
        return IsPublicSuffix(suffix) || rules.WildcardParents.Contains(suffix) || rules.Ancestors.Contains(suffix);
    }

    private static int NextLabel(string host, int start)
    {
        var dot = host.IndexOf('.', start);
        return dot < 0 ? -1 : dot + 1;
    }

    private static string? Parent(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? null : name[(dot + 1)..];
    }

    private static Rules Load()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"CorsKit's embedded resource '{ResourceName}' is missing; the assembly is damaged.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var rules = new Rules();
        var idn = new IdnMapping();
        while (reader.ReadLine() is { } line)
        {
            // Each rule is the first whitespace-delimited word of a line; "//" starts a comment line.
            var rule = line.Trim();
            var space = rule.IndexOfAny([' ', '\t']);
            if (space >= 0) rule = rule[..space];
            if (rule.Length == 0 || rule.StartsWith("//", StringComparison.Ordinal)) continue;

            var exception = rule.StartsWith('!');
            if (exception) rule = rule[1..];
            var wildcard = rule.StartsWith("*.", StringComparison.Ordinal);
            if (wildcard) rule = rule[2..];
            rule = ToAscii(idn, rule);
            if (rule is null) continue;

            if (exception) rules.Exceptions.Add(rule);
            else if (wildcard) rules.WildcardParents.Add(rule);
            else rules.Names.Add(rule);

            for (var parent = Parent(rule); parent is not null; parent = Parent(parent)) rules.Ancestors.Add(parent);
        }
        return rules;
    }

    private static string? ToAscii(IdnMapping idn, string rule)
    {
        foreach (var c in rule)
        {
            if (c > 0x7f)
            {
                try
                {
                    // Origins carry hosts in punycode, so the rules are compared in that form.
                    return idn.GetAscii(rule);
                }
                catch (ArgumentException)
                {
                    return null;
                }
            }
        }
        return rule.ToLowerInvariant();
    }

    private sealed class Rules
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        /// <summary>"parent" for each rule "*.parent".</summary>
        public HashSet<string> WildcardParents { get; } = new(StringComparer.Ordinal);

        /// <summary>"name" for each rule "!name".</summary>
        public HashSet<string> Exceptions { get; } = new(StringComparer.Ordinal);

        /// <summary>Every proper suffix of every rule.</summary>
        public HashSet<string> Ancestors { get; } = new(StringComparer.Ordinal);
    }
}
