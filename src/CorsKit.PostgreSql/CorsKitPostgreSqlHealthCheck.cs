using System.Globalization;
using CorsKit.PostgreSql.Internal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CorsKit.PostgreSql;

/// <summary>
/// Healthy while this node's snapshot of the origin table is younger than <see cref="CorsKitPostgreSqlOptions.StalenessBound"/>;
/// degraded when it is older or was never loaded. Never unhealthy: the node keeps serving its last good snapshot, so
/// taking it out of rotation would not help. Register with <c>AddHealthChecks().AddCorsKitPostgreSql()</c>.
/// </summary>
public sealed class CorsKitPostgreSqlHealthCheck : IHealthCheck
{
    private readonly StoreState _state;
    private readonly TimeSpan _bound;

    internal CorsKitPostgreSqlHealthCheck(StoreState state, StoreSettings settings)
    {
        _state = state;
        _bound = settings.Options.StalenessBound;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var age = _state.Age;
        var data = new Dictionary<string, object>
        {
            ["origins"] = _state.Accepted,
            ["connected"] = _state.Connected,
            ["ageSeconds"] = age?.TotalSeconds ?? -1,
        };
        if (_state.LastError is { } error) data["lastError"] = error;
        var seconds = _bound.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        var result = age switch
        {
            null => HealthCheckResult.Degraded("The origin table has not been loaded yet; only configured origins serve.", data: data),
            { } a when a > _bound => HealthCheckResult.Degraded(
                $"The origin snapshot is {a.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s old (bound {seconds} s).", data: data),
            _ => HealthCheckResult.Healthy($"{_state.Accepted} store origins serve.", data),
        };
        return Task.FromResult(result);
    }
}
