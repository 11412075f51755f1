using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// Whether any endpoint of the app carries <see cref="ICorsKitMetadata"/>. When none does, the middleware need not look
/// up the request's endpoint at all. Scanned lazily on the first request (endpoints are built by then) and again
/// whenever the endpoint data source signals a change; until a scan has completed the answer is "maybe", which is the
/// safe side.
/// </summary>
internal sealed class EndpointMetadataPresence
{
    private readonly EndpointDataSource? _endpoints;
    private readonly Lock _lock = new();
    private volatile bool _scanned;
    private volatile bool _present = true;

    public EndpointMetadataPresence(IServiceProvider services) =>
        _endpoints = services.GetService(typeof(EndpointDataSource)) as EndpointDataSource;

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
            if (_endpoints is null)
            {
                _present = false;
                _scanned = true;
                return;
            }

            try
            {
                var present = false;
                foreach (var endpoint in _endpoints.Endpoints)
                {
                    if (endpoint.Metadata.GetMetadata<ICorsKitMetadata>() is not null)
                    {
                        present = true;
                        break;
                    }
                }

                _present = present;
                _scanned = true;
                ChangeToken.OnChange(_endpoints.GetChangeToken, () =>
                {
                    // Endpoints changed: be safe until the next request rescans.
                    _present = true;
                    _scanned = false;
                });
            }
            catch (InvalidOperationException)
            {
                // Endpoints could not be built yet: keep looking up the endpoint on every request.
                _present = true;
            }
        }
    }
}
