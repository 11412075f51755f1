using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CorsKit.Benchmarks;

/// <summary>
/// One HttpContext reused for every invocation of a benchmark. The request never changes; the response is reset
/// before each invocation without allocating, and <see cref="StartResponse"/> runs the OnStarting callbacks as a
/// server would when the first byte is written, so their cost is part of what is measured.
/// </summary>
internal sealed class ReusableHttpContext
{
    private readonly ResponseFeature _response = new();
    private readonly IHeaderDictionary _requestHeaders;
    private readonly string[]? _rotatingOrigins;
    private int _nextOrigin;

    public ReusableHttpContext(RequestShape request, IServiceProvider services)
    {
        var requestFeature = new HttpRequestFeature
        {
            Method = request.Method,
            Scheme = "https",
            Path = "/api/items",
            Protocol = "HTTP/1.1",
            Headers = KestrelHeaders.CreateRequestHeaders(),
        };
        foreach (var (name, value) in request.Headers) requestFeature.Headers[name] = value;
        _requestHeaders = requestFeature.Headers;
        _rotatingOrigins = request.RotatingOrigins;

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(requestFeature);
        features.Set<IHttpResponseFeature>(_response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = services });
        HttpContext = new DefaultHttpContext(features);
    }

    public HttpContext HttpContext { get; }

    /// <summary>
    /// Back to a fresh, unstarted 200 response with no headers, and the next Origin when the case rotates them.
    /// Identical for every variant.
    /// </summary>
    public void Reset()
    {
        _response.Reset();
        if (_rotatingOrigins is not null)
        {
            _requestHeaders.Origin = _rotatingOrigins[_nextOrigin];
            if (++_nextOrigin == _rotatingOrigins.Length) _nextOrigin = 0;
        }
    }

    /// <summary>Fires the OnStarting callbacks, last registered first, as Kestrel does.</summary>
    public void StartResponse() => _response.Start();

    private sealed class ServiceProvidersFeature : IServiceProvidersFeature
    {
        public IServiceProvider RequestServices { get; set; } = null!;
    }

    private sealed class ResponseFeature : IHttpResponseFeature
    {
        private readonly Func<object, Task>[] _callbacks = new Func<object, Task>[4];
        private readonly object[] _states = new object[4];
        private int _count;

        public int StatusCode { get; set; } = StatusCodes.Status200OK;

        public string? ReasonPhrase { get; set; }

        public IHeaderDictionary Headers { get; set; } = KestrelHeaders.CreateResponseHeaders();

        public Stream Body { get; set; } = Stream.Null;

        public bool HasStarted { get; private set; }

        public void OnStarting(Func<object, Task> callback, object state)
        {
            if (HasStarted) throw new InvalidOperationException("The response has already started.");
            if (_count == _callbacks.Length) throw new InvalidOperationException("More OnStarting callbacks than the harness expects.");
            _callbacks[_count] = callback;
            _states[_count] = state;
            _count++;
        }

        public void OnCompleted(Func<object, Task> callback, object state) =>
            throw new NotSupportedException("No middleware under test registers OnCompleted.");

        public void Start()
        {
            HasStarted = true;
            while (_count > 0)
            {
                _count--;
                var task = _callbacks[_count](_states[_count]);
                _callbacks[_count] = null!;
                _states[_count] = null!;
                if (!task.IsCompletedSuccessfully) task.GetAwaiter().GetResult();
            }
        }

        public void Reset()
        {
            StatusCode = StatusCodes.Status200OK;
            ReasonPhrase = null;
            HasStarted = false;
            Headers.Clear();
            _count = 0;
        }
    }
}
