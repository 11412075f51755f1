using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.Internal;

/// <summary>
/// A policy's <see cref="ICorsKitOriginResolver"/> (the user's type, resolved per request), wrapped: calls it with a
/// timeout, refuses on failure, and keeps a bounded least-recently-used cache of its answers with separate lifetimes
/// for "allowed" and "refused". Concurrent misses for one origin share one call. A lock guards the cache: this path
/// already awaits a store, so a short critical section costs nothing next to it, and it keeps eviction, expiry and
/// sharing simple to reason about.
/// </summary>
internal sealed partial class CachedOriginResolver
{
    public const int MaxCacheSize = 1_000_000;
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);

    private readonly string _policyName;
    private readonly int _cacheSize;
    private readonly TimeSpan _positiveTtl;
    private readonly TimeSpan _negativeTtl;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<CachedAnswer>> _answers = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedAnswer> _recency = new();
    private readonly Dictionary<string, Task<bool?>> _inFlight = new(StringComparer.Ordinal);

    // Bumped by every invalidation: a call that started before it may have read the old store, so its answer is
    // handed to the requests that waited for it but not cached.
    private long _generation;

    private CachedOriginResolver(string policyName, Type resolverType, CorsKitResolverOptions options, TimeProvider time)
    {
        _policyName = policyName;
        ResolverType = resolverType;
        _cacheSize = options.CacheSize;
        _positiveTtl = options.PositiveTtl;
        _negativeTtl = options.NegativeTtl;
        _timeout = options.Timeout;
        _time = time;
    }

    public Type ResolverType { get; }

    /// <summary>How long CorsKit reuses this verdict of the resolver; a failure is not reused at all.</summary>
    public TimeSpan ReuseFor(CorsKitReason verdict) => verdict switch
    {
        CorsKitReason.Allowed => _positiveTtl,
        CorsKitReason.OriginNotAllowed => _negativeTtl,
        _ => TimeSpan.Zero,
    };

    /// <summary>Validates a policy's resolver registrations; returns the resolver, or null with errors reported.</summary>
    public static CachedOriginResolver? Compile(IReadOnlyList<ResolverRegistration> registrations, PolicyServices services, PolicyProblems problems)
    {
        if (registrations.Count == 0) return null;
        var before = problems.ErrorCount;

        if (registrations.Count > 1)
        {
            problems.Error(ConfigurationKeys.OriginResolver, string.Join(", ", registrations.Select(r => r.ResolverType.Name)),
                "A policy has one origin resolver; several would leave unclear which answer wins and how each is cached.",
                "Call AllowOriginsFrom<T>() once, with a resolver that consults every store.");
        }

        var (type, options) = registrations[^1];
        if (services.Registrations is { } registered && !registered.IsService(type))
        {
            problems.Error(ConfigurationKeys.OriginResolver, type.FullName,
                "The resolver type is not registered in the service collection, so it cannot be resolved per request.",
                $"Register it, e.g. services.AddScoped<{type.Name}>() (or AddSingleton/AddTransient).");
        }

        if (options.CacheSize is < 0 or > MaxCacheSize)
        {
            problems.Error(ConfigurationKeys.ResolverCacheSize, options.CacheSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"The cache size must be from 0 (no cache) to {MaxCacheSize}.", "Use a size such as 1000.");
        }

        CheckTtl(options.PositiveTtl, ConfigurationKeys.ResolverPositiveTtl, problems);
        CheckTtl(options.NegativeTtl, ConfigurationKeys.ResolverNegativeTtl, problems);
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            problems.Error(ConfigurationKeys.ResolverTimeout, options.Timeout.ToString(),
                $"The timeout must be above zero and at most {MaxTimeout.TotalSeconds:0} seconds: an origin check must never hang a request.",
                "Use a timeout such as 2 seconds.");
        }

        return problems.ErrorCount > before ? null : new CachedOriginResolver(problems.Policy, type, options, services.Time);
    }

    private static void CheckTtl(TimeSpan ttl, string option, PolicyProblems problems)
    {
        if (ttl < TimeSpan.Zero || ttl > MaxTtl)
        {
            problems.Error(option, ttl.ToString(), $"The time to live must be from zero (do not cache) to {MaxTtl.TotalHours:0} hours.",
                "Use a duration such as 5 minutes for allowed origins and 30 seconds for refused ones.");
        }
    }

    /// <summary>Allowed, OriginNotAllowed, or ResolverFailed (exception, timeout, resolver not registered).</summary>
    public ValueTask<CorsKitReason> CheckAsync(string origin, HttpContext context, ILogger logger)
    {
        TaskCompletionSource<bool?>? call = null;
        Task<bool?> shared;
        long generation;
        lock (_lock)
        {
            if (TryGetCached(origin, out var allowed)) return new ValueTask<CorsKitReason>(ToReason(allowed));
            if (!_inFlight.TryGetValue(origin, out shared!))
            {
                call = new TaskCompletionSource<bool?>(TaskCreationOptions.RunContinuationsAsynchronously);
                shared = call.Task;
                _inFlight.Add(origin, shared);
            }
            generation = _generation;
        }

        return call is null ? AwaitSharedAsync(shared) : CallAndShareAsync(origin, context, logger, call, generation);
    }

    /// <summary>Forgets the answer for one origin, and detaches any call in flight for it.</summary>
    public void Invalidate(string origin)
    {
        lock (_lock)
        {
            _generation++;
            _inFlight.Remove(origin);
            if (_answers.Remove(origin, out var node)) _recency.Remove(node);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _generation++;
            _inFlight.Clear();
            _answers.Clear();
            _recency.Clear();
        }
    }

    private static async ValueTask<CorsKitReason> AwaitSharedAsync(Task<bool?> shared) =>
        ToReason(await shared.ConfigureAwait(false));

    private async ValueTask<CorsKitReason> CallAndShareAsync(
        string origin, HttpContext context, ILogger logger, TaskCompletionSource<bool?> call, long generation)
    {
        bool? answer = null;
        try
        {
            answer = await CallResolverAsync(origin, context, logger).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                if (_inFlight.TryGetValue(origin, out var current) && current == call.Task) _inFlight.Remove(origin);
                if (answer is { } allowed && generation == _generation) Store(origin, allowed);
            }
            call.SetResult(answer);
        }
        return ToReason(answer);
    }

    private async Task<bool?> CallResolverAsync(string origin, HttpContext context, ILogger logger)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        Task<bool> pending;
        try
        {
            if (context.RequestServices.GetService(ResolverType) is not ICorsKitOriginResolver resolver)
            {
                Log.ResolverMissing(logger, _policyName, ResolverType.FullName ?? ResolverType.Name);
                return null;
            }

            var result = resolver.IsAllowedAsync(origin, context, timeout.Token);
            if (result.IsCompletedSuccessfully) return result.Result;
            pending = result.AsTask();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ResolverFailed(logger, _policyName, new LoggedValue(origin), ex);
            return null;
        }

        try
        {
            // One timer: the token the resolver got also ends the wait, so a timed-out call is always told to stop.
            return await pending.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // A resolver that ignores its token keeps running; observe its end so a late failure is not unobserved.
            _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Log.ResolverTimedOut(logger, _policyName, new LoggedValue(origin), _timeout.TotalMilliseconds);
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ResolverFailed(logger, _policyName, new LoggedValue(origin), ex);
            return null;
        }
    }

    private bool TryGetCached(string origin, out bool allowed)
    {
        allowed = false;
        if (!_answers.TryGetValue(origin, out var node)) return false;
        if (node.Value.Expires <= _time.GetUtcNow())
        {
            _answers.Remove(origin);
            _recency.Remove(node);
            return false;
        }

        _recency.Remove(node);
        _recency.AddFirst(node);
        allowed = node.Value.Allowed;
        return true;
    }

    private void Store(string origin, bool allowed)
    {
        var ttl = allowed ? _positiveTtl : _negativeTtl;
        if (_cacheSize == 0 || ttl <= TimeSpan.Zero) return;
        var answer = new CachedAnswer(origin, allowed, _time.GetUtcNow() + ttl);
        if (_answers.TryGetValue(origin, out var existing))
        {
            existing.Value = answer;
            _recency.Remove(existing);
            _recency.AddFirst(existing);
            return;
        }

        if (_answers.Count >= _cacheSize && _recency.Last is { } oldest)
        {
            _answers.Remove(oldest.Value.Origin);
            _recency.RemoveLast();
        }
        _answers.Add(origin, _recency.AddFirst(answer));
    }

    private static CorsKitReason ToReason(bool? answer) => answer switch
    {
        true => CorsKitReason.Allowed,
        false => CorsKitReason.OriginNotAllowed,
        null => CorsKitReason.ResolverFailed,
    };

    private readonly record struct CachedAnswer(string Origin, bool Allowed, DateTimeOffset Expires);

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, EventName = "OriginResolverFailed", Level = LogLevel.Error,
            Message = "CorsKit refused {Origin} under policy '{Policy}' because its origin resolver threw.")]
        public static partial void ResolverFailed(ILogger logger, string policy, LoggedValue origin, Exception exception);

        [LoggerMessage(EventId = 201, EventName = "OriginResolverTimedOut", Level = LogLevel.Error,
            Message = "CorsKit refused {Origin} under policy '{Policy}' because its origin resolver did not answer within {TimeoutMs} ms.")]
        public static partial void ResolverTimedOut(ILogger logger, string policy, LoggedValue origin, double timeoutMs);

        [LoggerMessage(EventId = 202, EventName = "OriginResolverMissing", Level = LogLevel.Error,
            Message = "CorsKit refused a request under policy '{Policy}' because its origin resolver {ResolverType} is not registered in the "
                + "request's services.")]
        public static partial void ResolverMissing(ILogger logger, string policy, string resolverType);
    }
}
