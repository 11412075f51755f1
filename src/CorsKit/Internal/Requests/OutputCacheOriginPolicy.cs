using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// A base policy CorsKit adds to ASP.NET Core's output cache (through <see cref="IConfigureOptions{OutputCacheOptions}"/>,
/// so apps need no configuration). Output caching builds its cache key before the request reaches a CorsKit placed after
/// it, and ignores the response's <c>Vary</c> header: without this policy one origin's cached answer is served to all.
/// <list type="bullet">
/// <item>Requests whose CORS answer depends on Origin get the Origin (and, for a preflight, the requested method and
/// headers) in their key; any-origin policies keep one shared entry.</item>
/// <item>Every entry a CorsKit policy may govern carries the policies' version in its key and the <see cref="Tag"/> tag,
/// so a reload or an <see cref="ICorsKitOriginCache"/> call makes old entries unreachable and evicts them.</item>
/// </list>
/// It decides before CorsKit runs, so where the pipeline could apply several policies (<c>UseCorsKit(name)</c> in
/// branches) it varies if any of them depends on Origin. The middleware checks the result (<see cref="IsVaried"/>).
/// </summary>
internal sealed class OutputCacheOriginPolicy : IOutputCachePolicy
{
    /// <summary>The tag of every output-cache entry a CorsKit policy may govern.</summary>
    public const string Tag = "corskit";

    private const string OriginKey = "corskit-origin";
    private const string MethodKey = "corskit-request-method";
    private const string HeadersKey = "corskit-request-headers";
    private const string VersionKey = "corskit-policies";

    private readonly PolicyStore _store;
    private readonly PipelinePlacement _pipeline;
    private readonly CachedResponseVersion _version;

    public OutputCacheOriginPolicy(PolicyStore store, PipelinePlacement pipeline, CachedResponseVersion version)
    {
        _store = store;
        _pipeline = pipeline;
        _version = version;
    }

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var dependence = Dependence(http, _store.Current);
        if (dependence == CacheDependence.None) return ValueTask.CompletedTask;

        context.Tags.Add(Tag);
        var values = context.CacheVaryByRules.VaryByValues;
        values[VersionKey] = _version.Current;
        if (dependence == CacheDependence.Origin)
        {
            var headers = http.Request.Headers;
            values[OriginKey] = KeyValue(headers.Origin);
            if (IsPreflight(http.Request))
            {
                values[MethodKey] = KeyValue(headers[CorsHeaders.RequestMethod]);
                values[HeadersKey] = KeyValue(headers[CorsHeaders.RequestHeaders]);
            }
        }

        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// For the middleware: true when the output cache's key for this request carries the current policies' version and,
    /// when the answer depends on it, this request's Origin, as <see cref="IOutputCachePolicy.CacheRequestAsync"/> put
    /// them there.
    /// </summary>
    public static bool IsVaried(OutputCacheContext context, StringValues origin, string version, bool originDependent)
    {
        var values = context.CacheVaryByRules.VaryByValues;
        return values.TryGetValue(VersionKey, out var v) && v == version
            && (!originDependent || (values.TryGetValue(OriginKey, out var o) && o == KeyValue(origin)));
    }

    private CacheDependence Dependence(HttpContext context, PolicyGeneration generation)
    {
        var preflight = IsPreflight(context.Request);
        if (EndpointMetadata(context) is { } metadata
            && PolicyResolution.TryFromEndpoint(metadata, generation, out var endpointPolicy, out _))
        {
            // A disabled endpoint gets no CORS header, but a refused preflight and debug mode's reason still depend on
            // the request.
            if (endpointPolicy is null) return preflight || generation.Settings.DebugMode ? CacheDependence.Origin : CacheDependence.Policy;
            return Of(endpointPolicy.Policy, preflight);
        }

        var dependence = CacheDependence.None;
        foreach (var registration in _pipeline.Registrations)
        {
            if (PolicyResolution.FromPipeline(generation, registration.PolicyName) is { } served)
            {
                var of = Of(served.Policy, preflight);
                if (of > dependence) dependence = of;
            }
        }

        return dependence;
    }

    private static ICorsKitMetadata? EndpointMetadata(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ICorsKitMetadata>();

    private static CacheDependence Of(CorsKitPolicy policy, bool preflight) =>
        policy.AllowsAnyOrigin && !preflight ? CacheDependence.Policy : CacheDependence.Origin;

    private static bool IsPreflight(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method) && request.Headers.Origin.Count != 0 && request.Headers.ContainsKey(CorsHeaders.RequestMethod);

    /// <summary>
    /// One string per header value list. Several lines are joined with a line feed, which no header value can hold, so
    /// <c>a,b</c> and the two lines <c>a</c>, <c>b</c> never share a key.
    /// </summary>
    private static string KeyValue(StringValues values) => values.Count switch
    {
        0 => string.Empty,
        1 => values[0] ?? string.Empty,
        _ => string.Join('\n', values.ToArray()),
    };

    private enum CacheDependence
    {
        /// <summary>No CorsKit policy can apply: CorsKit leaves the entry alone.</summary>
        None,

        /// <summary>The answer is the same for every request, but a policy change changes it.</summary>
        Policy,

        /// <summary>The answer depends on the request's Origin (and preflight headers).</summary>
        Origin,
    }
}
