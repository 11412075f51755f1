using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>A request's kind and the CORS headers that decide it, read once per request.</summary>
internal readonly struct CorsRequest
{
    private CorsRequest(CorsRequestKind kind, StringValues origin, StringValues requestMethod)
    {
        Kind = kind;
        Origin = origin;
        RequestMethod = requestMethod;
    }

    public CorsRequestKind Kind { get; }

    /// <summary>Every Origin header line, as received (none for <see cref="CorsRequestKind.NotCors"/>).</summary>
    public StringValues Origin { get; }

    /// <summary>For a preflight, every Access-Control-Request-Method line; otherwise empty.</summary>
    public StringValues RequestMethod { get; }

    /// <summary>The kind string of logs and the <c>corskit.kind</c> metric tag.</summary>
    public string KindTag => Kind switch
    {
        CorsRequestKind.Preflight => "preflight",
        CorsRequestKind.Actual => "actual",
        _ => "not_cors",
    };

    /// <summary>
    /// A preflight is OPTIONS with an Origin and an Access-Control-Request-Method header (Fetch, "CORS-preflight
    /// request"); any other OPTIONS is the app's. A request with an Origin is a CORS request; one without is not.
    /// </summary>
    public static CorsRequest Read(HttpRequest request)
    {
        var headers = request.Headers;
        var origin = headers.Origin;
        if (origin.Count == 0) return new CorsRequest(CorsRequestKind.NotCors, origin, default);
        if (HttpMethods.IsOptions(request.Method) && headers.TryGetValue(CorsHeaders.RequestMethod, out var requestMethod))
        {
            return new CorsRequest(CorsRequestKind.Preflight, origin, requestMethod);
        }

        return new CorsRequest(CorsRequestKind.Actual, origin, default);
    }
}
