using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace CorsKit.Tests.Infrastructure;

/// <summary>The configuration providers a user has.</summary>
public enum Provider
{
    JsonFile,
    EnvironmentVariables,
    CommandLine,
    InMemory,
}

/// <summary>
/// A configuration value as a user writes it, in a form every provider can be given: JSON text for
/// <c>AddJsonFile</c>, and key/value pairs (<c>a:b:0</c>) for the others. Some shapes exist only in some providers
/// (JSON <c>null</c> is not an environment variable; an index gap is not JSON); <see cref="Flatten"/> and
/// <see cref="ToJson"/> return null for those.
/// </summary>
internal abstract record ConfigValue
{
    public static ConfigValue Text(string value) => new TextValue(value, Unquoted: false);

    /// <summary>A JSON number or boolean: unquoted in JSON, its text elsewhere.</summary>
    public static ConfigValue Literal(string value) => new TextValue(value, Unquoted: true);

    public static ConfigValue List(params ConfigValue[] items) => new ListValue(items);

    public static ConfigValue List(params string[] items) => new ListValue([.. items.Select(Text)]);

    public static ObjectValue Object(params (string Key, ConfigValue Value)[] members) => new(members);

    /// <summary>JSON <c>[]</c>; elsewhere a key set to nothing.</summary>
    public static readonly ConfigValue EmptyList = new EmptyValue("[]");

    /// <summary>JSON <c>""</c>; elsewhere a key set to nothing.</summary>
    public static readonly ConfigValue EmptyText = new EmptyValue("\"\"");

    /// <summary>JSON <c>null</c>; in memory a null value; no environment variable or argument can say it.</summary>
    public static readonly ConfigValue Null = new NullValue();

    /// <summary>List entries at the given indexes, gaps allowed (not JSON).</summary>
    public static ConfigValue Indexed(params (int Index, string Value)[] entries) => new IndexedValue(entries);

    /// <summary>A key with a value and entries below it at once (not JSON; layered sources produce it).</summary>
    public static ConfigValue ValueAndEntries(string value, params string[] entries) => new ValueAndEntriesValue(value, entries);

    public abstract string? ToJson();

    /// <summary>The key/value pairs for <paramref name="path"/>, or null when <paramref name="provider"/> cannot say this.</summary>
    public abstract IEnumerable<(string Path, string? Value)>? Flatten(string path, Provider provider);

    /// <summary>Reads a JSON value (from a fix's text) into the model.</summary>
    public static ConfigValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!.Length == 0 ? EmptyText : Text(element.GetString()!),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Literal(element.GetRawText()),
        JsonValueKind.Null => Null,
        JsonValueKind.Array => element.GetArrayLength() == 0 ? EmptyList : List([.. element.EnumerateArray().Select(FromJson)]),
        _ => Object([.. element.EnumerateObject().Select(p => (p.Name, FromJson(p.Value)))]),
    };

    private sealed record TextValue(string Value, bool Unquoted) : ConfigValue
    {
        public override string ToJson() => Unquoted ? Value : JsonSerializer.Serialize(Value);

        public override IEnumerable<(string Path, string? Value)> Flatten(string path, Provider provider) => [(path, Value)];
    }

    private sealed record EmptyValue(string Json) : ConfigValue
    {
        public override string ToJson() => Json;

        public override IEnumerable<(string Path, string? Value)> Flatten(string path, Provider provider) => [(path, string.Empty)];
    }

    private sealed record NullValue : ConfigValue
    {
        public override string ToJson() => "null";

        public override IEnumerable<(string Path, string? Value)>? Flatten(string path, Provider provider) => provider == Provider.InMemory ? [(path, null)] : null;
    }

    private sealed record ListValue(ConfigValue[] Items) : ConfigValue
    {
        public override string? ToJson()
        {
            var items = Items.Select(i => i.ToJson()).ToArray();
            return items.Any(i => i is null) ? null : $"[ {string.Join(", ", items)} ]";
        }

        public override IEnumerable<(string Path, string? Value)>? Flatten(string path, Provider provider) =>
            Concat(Items.Select((item, i) => item.Flatten($"{path}:{i}", provider)));
    }

    private sealed record IndexedValue((int Index, string Value)[] Entries) : ConfigValue
    {
        public override string? ToJson() => null;

        public override IEnumerable<(string Path, string? Value)> Flatten(string path, Provider provider) =>
            Entries.Select(e => ($"{path}:{e.Index.ToString(CultureInfo.InvariantCulture)}", (string?)e.Value));
    }

    private sealed record ValueAndEntriesValue(string Value, string[] Entries) : ConfigValue
    {
        public override string? ToJson() => null;

        public override IEnumerable<(string Path, string? Value)> Flatten(string path, Provider provider) =>
            [(path, Value), .. Entries.Select((e, i) => ($"{path}:{i}", (string?)e))];
    }

    internal static IEnumerable<(string Path, string? Value)>? Concat(IEnumerable<IEnumerable<(string Path, string? Value)>?> parts)
    {
        var all = new List<(string Path, string? Value)>();
        foreach (var part in parts)
        {
            if (part is null) return null;
            all.AddRange(part);
        }
        return all;
    }
}

/// <summary>A JSON object / configuration section. Keys are matched ignoring case, as configuration does.</summary>
internal sealed record ObjectValue((string Key, ConfigValue Value)[] Members) : ConfigValue
{
    public override string? ToJson()
    {
        var members = Members.Select(m => m.Value.ToJson() is { } json ? $"{JsonSerializer.Serialize(m.Key)}: {json}" : null).ToArray();
        return members.Any(m => m is null) ? null : $"{{ {string.Join(", ", members)} }}";
    }

    public override IEnumerable<(string Path, string? Value)>? Flatten(string path, Provider provider) =>
        Concat(Members.Select(m => m.Value.Flatten(path.Length == 0 ? m.Key : $"{path}:{m.Key}", provider)));

    /// <summary>
    /// A copy with the value at <paramref name="path"/> replaced (a member spelled as the last segment), or removed
    /// when <paramref name="value"/> is null. Objects on the way are created as needed.
    /// </summary>
    public ObjectValue With(IReadOnlyList<string> path, ConfigValue? value)
    {
        var index = Array.FindIndex(Members, m => m.Key.Equals(path[0], StringComparison.OrdinalIgnoreCase));
        var last = path.Count == 1;
        var replacement = last ? value : ((index >= 0 ? Members[index].Value as ObjectValue : null) ?? Object()).With([.. path.Skip(1)], value);
        var key = last || index < 0 ? path[0] : Members[index].Key;
        var members = Members.ToList();
        if (index >= 0) members.RemoveAt(index);
        if (replacement is not null) members.Insert(index >= 0 ? index : members.Count, (key, replacement));
        return new([.. members]);
    }
}

/// <summary>
/// What one provider is given: a configuration tree, plus entries written verbatim in the provider's own form (an
/// environment variable <c>NAME=value</c>, a command-line argument, an in-memory <c>key=value</c>), as a fix's text
/// tells the user to write them.
/// </summary>
internal sealed record ProviderInput(Provider Provider, ObjectValue Tree, IReadOnlyList<string> Verbatim)
{
    public ProviderInput(Provider provider, ObjectValue tree)
        : this(provider, tree, [])
    {
    }

    /// <summary>False when this provider cannot express the tree (e.g. JSON null as an environment variable).</summary>
    public bool IsExpressible => Provider == Provider.JsonFile ? Tree.ToJson() is not null : Tree.Flatten(string.Empty, Provider) is not null;

    /// <summary>
    /// Adds the real provider to <paramref name="configuration"/>: a JSON file on disk in <paramref name="directory"/>,
    /// process environment variables read through <c>AddEnvironmentVariables(prefix)</c> with a prefix unique to this
    /// call (so parallel tests never see each other's variables; the prefix is stripped, so the keys are exactly
    /// <c>CorsKit__Policies__web__Origins__0</c>), <c>--key=value</c> arguments, or an in-memory dictionary.
    /// </summary>
    public void AddTo(ConfigurationManager configuration, string directory)
    {
        var pairs = Provider == Provider.JsonFile ? [] : Tree.Flatten(string.Empty, Provider)!.ToList();
        switch (Provider)
        {
            case Provider.JsonFile:
                var file = Path.Combine(directory, $"appsettings.{Guid.NewGuid():N}.json");
                File.WriteAllText(file, Tree.ToJson(), Encoding.UTF8);
                configuration.AddJsonFile(file, optional: false, reloadOnChange: false);
                break;
            case Provider.EnvironmentVariables:
                var prefix = $"CKSHAPE{Guid.NewGuid():N}_";
                var variables = pairs.Select(p => (Name: p.Path.Replace(":", "__", StringComparison.Ordinal), p.Value))
                    .Concat(Verbatim.Select(Split)).Select(v => (Name: prefix + v.Name, v.Value)).ToList();
                try
                {
                    foreach (var (name, value) in variables) Environment.SetEnvironmentVariable(name, value);
                    configuration.AddEnvironmentVariables(prefix);
                }
                finally
                {
                    foreach (var (name, _) in variables) Environment.SetEnvironmentVariable(name, null);
                }
                break;
            case Provider.CommandLine:
                configuration.AddCommandLine([.. pairs.Select(p => $"--{p.Path}={p.Value}"), .. Verbatim]);
                break;
            default:
                configuration.AddInMemoryCollection([.. pairs.Select(p => new KeyValuePair<string, string?>(p.Path, p.Value)),
                    .. Verbatim.Select(Split).Select(v => new KeyValuePair<string, string?>(v.Name, v.Value))]);
                break;
        }
    }

    /// <summary>The tree and verbatim entries as the user would see them, for a failure message.</summary>
    public override string ToString()
    {
        var tree = Provider == Provider.JsonFile
            ? Tree.ToJson()
            : string.Join(" ", Tree.Flatten(string.Empty, Provider)?.Select(p => $"{p.Path}={p.Value ?? "<null>"}") ?? ["<not expressible>"]);
        return $"{Provider}: {tree}{(Verbatim.Count == 0 ? string.Empty : " + " + string.Join(" ", Verbatim))}";
    }

    private static (string Name, string? Value) Split(string entry)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        return (entry[..equals], entry[(equals + 1)..]);
    }
}
