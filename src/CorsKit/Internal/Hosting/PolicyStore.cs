using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorsKit.Internal;

/// <summary>
/// Holds the current <see cref="PolicyGeneration"/>. A configuration change compiles a complete new generation and
/// swaps the reference atomically; a generation that fails validation is refused and the last good one keeps serving.
/// </summary>
internal sealed partial class PolicyStore : IDisposable
{
    private readonly IOptionsMonitor<CorsKitOptions> _monitor;
    private readonly ILogger<PolicyStore> _logger;
    private readonly PolicyServices _services;
    private readonly ActualResponder _responder;
    private readonly CachedResponseVersion _cachedResponses;
    private readonly HashSet<string> _requiredPolicyNames = new(CorsKitOptions.PolicyNameComparer);
    private readonly IDisposable? _subscription;
    private readonly Lock _lock = new();
    private volatile PolicyGeneration _current;

    // The generation compiled from configuration alone, and the last store snapshot (rows and source) applied to it.
    private PolicyGeneration _configured;
    private IReadOnlyList<CorsKitStoreOrigin> _storeRows = [];
    private string _storeSource = string.Empty;
    private HashSet<string> _loggedSkips = new(StringComparer.Ordinal);

    public PolicyStore(
        IOptionsMonitor<CorsKitOptions> monitor, ILogger<PolicyStore> logger, IServiceProvider services, ActualResponder responder,
        CachedResponseVersion cachedResponses)
    {
        _monitor = monitor;
        _logger = logger;
        _services = PolicyServices.From(services);
        _responder = responder;
        _cachedResponses = cachedResponses;
        CanReload = services.GetServices<IOptionsChangeTokenSource<CorsKitOptions>>().Any();
        _configured = _current = CompileOrThrow(monitor.CurrentValue);
        _subscription = monitor.OnChange(_ => Reload());
    }

    public PolicyGeneration Current => _current;

    /// <summary>True when the policies can change while the app runs (they are bound to reloadable configuration).</summary>
    public bool CanReload { get; }

    /// <summary>Records that a policy name is used (by UseCorsKit(name) or an endpoint) and checks it exists now.</summary>
    public void Require(string policyName)
    {
        if (TryRequire(policyName, "policy name") is { } error) throw new CorsKitConfigurationException([error]);
    }

    /// <summary>As <see cref="Require"/>, but returns the error (naming <paramref name="option"/>) instead of throwing.</summary>
    public CorsKitConfigurationError? TryRequire(string policyName, string option)
    {
        lock (_lock)
        {
            _requiredPolicyNames.Add(policyName);
        }

        return _current.Policies.ContainsKey(policyName)
            ? null
            : new CorsKitConfigurationError(null, option, policyName, "A policy is used by name but no policy has that name.",
                PolicyGeneration.KnownNamesFix(_current.Policies.Keys, "Add it with AddPolicy(name, ...) or under CorsKit:Policies in configuration.",
                    ", or add it."));
    }

    private PolicyGeneration CompileOrThrow(CorsKitOptions options)
    {
        string[] required;
        lock (_lock)
        {
            required = [.. _requiredPolicyNames];
        }

        var generation = PolicyGeneration.Compile(options, required, _services, _responder);
        foreach (var warning in generation.Warnings) Log.PolicyWarning(_logger, warning);
        return generation;
    }

    private void Reload()
    {
        try
        {
            // CurrentValue re-runs every configure action (code and configuration) into fresh options.
            var generation = CompileOrThrow(_monitor.CurrentValue);
            lock (_lock)
            {
                _configured = generation;
                _current = ApplyStoreOrigins(generation, _storeRows, _storeSource);
            }

            _cachedResponses.Invalidate();
            Log.ConfigurationReloaded(_logger, generation.Policies.Count);
        }
        catch (CorsKitConfigurationException ex)
        {
            Log.ConfigurationRefused(_logger, ex.Message);
        }
        catch (OptionsValidationException ex)
        {
            Log.ConfigurationRefused(_logger, ex.Message);
        }
    }

    /// <summary>How many store rows serve now.</summary>
    public int StoreOriginCount { get; private set; }

    /// <summary>
    /// Serves <paramref name="rows"/> as the complete set of store origins: compiled against the configured policies,
    /// skipped rows logged once, and the generation swapped in one write.
    /// </summary>
    public CorsKitStoreOriginsResult ReplaceStoreOrigins(IEnumerable<CorsKitStoreOrigin> rows, string source)
    {
        var snapshot = rows as IReadOnlyList<CorsKitStoreOrigin> ?? rows.ToArray();
        CorsKitStoreOriginsResult result;
        lock (_lock)
        {
            _current = ApplyStoreOrigins(_configured, snapshot, source, out result);
            _storeRows = snapshot;
            _storeSource = source;
        }

        _cachedResponses.Invalidate();
        return result;
    }

    /// <summary>Why a row would be skipped by the policies serving now, or null when it would serve.</summary>
    public CorsKitConfigurationError? ValidateStoreOrigin(CorsKitStoreOrigin row, string source)
    {
        var errors = new List<CorsKitConfigurationError>();
        StoreOriginCompiler.Check(row, source, _configured.Policies, errors, out _);
        return errors.Count == 0 ? null : errors[0];
    }

    private PolicyGeneration ApplyStoreOrigins(PolicyGeneration configured, IReadOnlyList<CorsKitStoreOrigin> rows, string source) =>
        ApplyStoreOrigins(configured, rows, source, out _);

    // Called under _lock.
    private PolicyGeneration ApplyStoreOrigins(
        PolicyGeneration configured, IReadOnlyList<CorsKitStoreOrigin> rows, string source, out CorsKitStoreOriginsResult result)
    {
        var set = rows.Count == 0 ? StoreOriginSet.Empty : StoreOriginCompiler.Compile(rows, source, configured.Policies);
        result = set.Result;
        StoreOriginCount = result.Accepted;
        LogNewSkips(result.Skipped);
        return rows.Count == 0 ? configured : configured.WithStoreOrigins(set);
    }

    /// <summary>Logs each skipped row once while it stays skipped, at most <see cref="MaxSkipsLogged"/> lines a load.</summary>
    private void LogNewSkips(IReadOnlyList<CorsKitConfigurationError> skipped)
    {
        var current = new HashSet<string>(StringComparer.Ordinal);
        var logged = 0;
        var unlogged = 0;
        foreach (var error in skipped)
        {
            var line = error.ToString();
            if (!current.Add(line) || _loggedSkips.Contains(line)) continue;
            if (logged++ < MaxSkipsLogged) Log.StoreOriginSkipped(_logger, line);
            else unlogged++;
        }

        if (unlogged > 0) Log.StoreOriginSkipsNotLogged(_logger, unlogged, MaxSkipsLogged);
        _loggedSkips = current;
    }

    private const int MaxSkipsLogged = 100;

    public void Dispose() => _subscription?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, EventName = "ConfigurationReloaded", Level = LogLevel.Information,
            Message = "CorsKit configuration reloaded: {PolicyCount} policies now serve new requests.")]
        public static partial void ConfigurationReloaded(ILogger logger, int policyCount);

        [LoggerMessage(EventId = 101, EventName = "ConfigurationRefused", Level = LogLevel.Error,
            Message = "CorsKit refused the new configuration and keeps serving the previous one. {Errors}")]
        public static partial void ConfigurationRefused(ILogger logger, string errors);

        [LoggerMessage(EventId = 102, EventName = "PolicyWarning", Level = LogLevel.Warning, Message = "CorsKit: {Warning}")]
        public static partial void PolicyWarning(ILogger logger, string warning);

        [LoggerMessage(EventId = 110, EventName = "StoreOriginSkipped", Level = LogLevel.Warning,
            Message = "CorsKit skipped a store origin; it allows nothing, and the other rows serve. {Error}")]
        public static partial void StoreOriginSkipped(ILogger logger, string error);

        [LoggerMessage(EventId = 111, EventName = "StoreOriginSkipsNotLogged", Level = LogLevel.Warning,
            Message = "CorsKit skipped {Count} more store origins that are not logged one by one (at most {Limit} a load).")]
        public static partial void StoreOriginSkipsNotLogged(ILogger logger, int count, int limit);
    }
}
