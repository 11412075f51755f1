using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// Whether any endpoint of the app carries <see cref="ICorsKitMetadata"/>. When none does, the middleware need not look
/// up the request's endpoint at all. Scanned lazily on the first request (endpoints are built by then) and again
/// whenever an endpoint data source signals a change; until a scan has completed the answer is "maybe", which is the
/// safe side.
/// </summary>
internal sealed class EndpointMetadataPresence
{
    private readonly EndpointDataSource[] _sources;
    private readonly Lock _lock = new();
    private volatile bool _scanned;
    private volatile bool _present = true;
    private bool _watching;

    /// <param name="services">The app's services; every <see cref="EndpointDataSource"/> registered there is scanned
    /// (routing registers one composite of all the app's route builders; an app may register its own).</param>
    public EndpointMetadataPresence(IServiceProvider services) => _sources = [.. Sources(services)];

    /// <summary>Every endpoint data source of the app; start-up checks read the same ones.</summary>
    internal static IEnumerable<EndpointDataSource> Sources(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>();

    public bool MayBePresent
    {
        get
        {
            if (!_scanned) Scan();
            return _present;
        }
    }

    private void Scan()
    {
        lock (_lock)
        {
            if (_scanned) return;
            try
            {
                var present = false;
                foreach (var source in _sources)
                {
                    foreach (var endpoint in source.Endpoints)
                    {
                        if (endpoint.Metadata.GetMetadata<ICorsKitMetadata>() is not null)
                        {
                            present = true;
                            break;
                        }
                    }
                    if (present) break;
                }

                _present = present;
                _scanned = true;
                Watch();
            }
            catch (InvalidOperationException)
            {
                // Endpoints could not be built yet: keep looking up the endpoint on every request.
                _present = true;
            }
        }
    }

    /// <summary>Once: on any change to the endpoints, be safe until the next request rescans.</summary>
    private void Watch()
    {
        if (_watching) return;
        _watching = true;
        foreach (var source in _sources)
        {
            ChangeToken.OnChange(source.GetChangeToken, () =>
            {
                _present = true;
                _scanned = false;
            });
        }
    }
}
