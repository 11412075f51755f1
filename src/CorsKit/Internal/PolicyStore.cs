using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CorsKit.Internal;

/// <summary>
/// Holds the current <see cref="PolicySet"/>. A configuration change compiles a complete new set and swaps the
/// reference atomically; a set that fails validation is refused and the last good one keeps serving.
/// </summary>
internal sealed partial class PolicyStore : IDisposable
{
    private readonly IOptionsMonitor<CorsKitOptions> _monitor;
    private readonly ILogger<PolicyStore> _logger;
    private readonly PolicyServices _services;
    private readonly HashSet<string> _requiredPolicyNames = new(CorsKitOptions.PolicyNameComparer);
    private readonly IDisposable? _subscription;
    private readonly Lock _lock = new();
    private readonly IServiceProvider _serviceProvider;
    private volatile PolicySet _current;
    private volatile string _cacheVersion = "0";
    private int _cacheVersionNumber;

    public PolicyStore(IOptionsMonitor<CorsKitOptions> monitor, ILogger<PolicyStore> logger, IServiceProvider services)
    {
        _monitor = monitor;
        _logger = logger;
        _serviceProvider = services;
        _services = PolicyServices.From(services);
        CanReload = services.GetServices<IOptionsChangeTokenSource<CorsKitOptions>>().Any();
        _current = CompileOrThrow(monitor.CurrentValue);
        _subscription = monitor.OnChange(_ => Reload());
    }

    public PolicySet Current => _current;

    /// <summary>True when the policies can change while the app runs (they are bound to reloadable configuration).</summary>
    public bool CanReload { get; }

    /// <summary>
    /// Changes whenever a cached response's CORS answer may have gone stale: a reload, or a resolver answer forgotten
    /// through <see cref="ICorsKitOriginCache"/>. Output-cache keys carry it (<see cref="OutputCacheOriginPolicy"/>).
    /// </summary>
    public string CacheVersion => _cacheVersion;

    /// <summary>Makes every cached response CorsKit governed unreachable (a new version) and evicts them from the output cache.</summary>
    public void InvalidateCachedResponses()
    {
        _cacheVersion = Interlocked.Increment(ref _cacheVersionNumber).ToString(CultureInfo.InvariantCulture);
        if (_serviceProvider.GetService<IOutputCacheStore>() is { } outputCache) _ = EvictAsync(outputCache);
    }

    private async Task EvictAsync(IOutputCacheStore outputCache)
    {
        try
        {
            await outputCache.EvictByTagAsync(OutputCacheOriginPolicy.Tag, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The new version already keeps stale entries from being served; eviction only frees their memory.
            Log.EvictionFailed(_logger, ex);
        }
    }

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
                PolicySet.KnownNamesFix(_current.Policies.Keys, "Add it with AddPolicy(name, ...) or under CorsKit:Policies in configuration.", ", or add it."));
    }

    private PolicySet CompileOrThrow(CorsKitOptions options)
    {
        string[] required;
        lock (_lock)
        {
            required = [.. _requiredPolicyNames];
        }

        var set = PolicySet.Compile(options, required, _services);
        foreach (var warning in set.Warnings) Log.PolicyWarning(_logger, warning);
        return set;
    }

    private void Reload()
    {
        try
        {
            // CurrentValue re-runs every configure action (code and configuration) into fresh options.
            var set = CompileOrThrow(_monitor.CurrentValue);
            _current = set;
            InvalidateCachedResponses();
            Log.ConfigurationReloaded(_logger, set.Policies.Count);
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

        [LoggerMessage(EventId = 103, EventName = "OutputCacheEvictionFailed", Level = LogLevel.Warning,
            Message = "CorsKit could not evict output-cache entries tagged 'corskit' after a policy change; they are no longer served (their key carries the old policy version) and expire on their own.")]
        public static partial void EvictionFailed(ILogger logger, Exception exception);
    }
}
