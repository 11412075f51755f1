using System.Text.RegularExpressions;
using Npgsql;

namespace CorsKit.PostgreSql.Internal;

/// <summary>
/// The options, checked once at start-up: each problem names the option and the fix, and all are thrown together as
/// one <see cref="CorsKitConfigurationException"/>. Names are plain lower-case identifiers, so the SQL built from
/// them needs no quoting rules.
/// </summary>
internal sealed partial class StoreSettings
{
    private StoreSettings(CorsKitPostgreSqlOptions options, NpgsqlConnectionStringBuilder connection)
    {
        Options = options;
        Source = $"{options.Schema}.{options.Table}";
        Connection = connection;
    }

    public CorsKitPostgreSqlOptions Options { get; }

    /// <summary>The table as rows name it in errors and logs: <c>schema.table</c>.</summary>
    public string Source { get; }

    public NpgsqlConnectionStringBuilder Connection { get; }

    public static StoreSettings Check(CorsKitPostgreSqlOptions options)
    {
        var problems = new List<string>();
        NpgsqlConnectionStringBuilder? connection = null;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add("ConnectionString is empty. Fix: pass the Npgsql connection string, e.g. 'Host=db;Username=app;Database=app'.");
        }
        else
        {
            try
            {
                connection = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"ConnectionString does not parse: {ex.Message} Fix: write it as 'Host=...;Username=...;Database=...'.");
            }
        }

        Identifier(nameof(options.Schema), options.Schema, problems);
        Identifier(nameof(options.Table), options.Table, problems);
        Identifier(nameof(options.Channel), options.Channel, problems);
        Positive(nameof(options.ResyncInterval), options.ResyncInterval, problems);
        Positive(nameof(options.StalenessBound), options.StalenessBound, problems);
        Positive(nameof(options.StartupTimeout), options.StartupTimeout, problems);
        Positive(nameof(options.MinReconnectDelay), options.MinReconnectDelay, problems);
        Positive(nameof(options.DebounceDelay), options.DebounceDelay, problems);
        if (options.MaxReconnectDelay < options.MinReconnectDelay)
        {
            problems.Add($"MaxReconnectDelay ({options.MaxReconnectDelay}) is shorter than MinReconnectDelay ({options.MinReconnectDelay}). "
                + "Fix: make it at least as long.");
        }

        if (options.StalenessBound <= options.ResyncInterval)
        {
            problems.Add($"StalenessBound ({options.StalenessBound}) is not longer than ResyncInterval ({options.ResyncInterval}), so the health "
                + "check would report degraded between two resyncs of a healthy node. Fix: make StalenessBound longer (the default is three "
                + "resync intervals).");
        }

        if (!Enum.IsDefined(options.StartupMode))
        {
            problems.Add($"StartupMode {(int)options.StartupMode} is not a mode. Fix: use WaitForDatabase or StartWithConfiguredOrigins.");
        }

        if (problems.Count > 0)
        {
            throw new CorsKitConfigurationException(
                "CorsKit.PostgreSql options are invalid (CorsKitPostgreSqlOptions): " + string.Join(" ", problems));
        }

        return new StoreSettings(options, connection!);
    }

    private static void Identifier(string option, string? value, List<string> problems)
    {
        if (value is null || !IdentifierPattern().IsMatch(value))
        {
            problems.Add($"{option} '{value}' is not a plain PostgreSQL identifier. Fix: use lower-case letters, digits and '_', starting with "
                + "a letter or '_', at most 63 characters.");
        }
    }

    private static void Positive(string option, TimeSpan value, List<string> problems)
    {
        if (value <= TimeSpan.Zero) problems.Add($"{option} must be longer than zero (it is {value}). Fix: set a positive duration.");
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
