using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Internal;

/// <summary>
/// The response body while a response cache that runs ahead of CorsKit may store the response. A cache reads the
/// response headers (and, for <c>UseResponseCaching</c>, <c>Vary</c>) when the first byte of the body reaches it,
/// before <c>Response.OnStarting</c> callbacks run; so CorsKit writes its headers just before the first byte, or the
/// first start, flush or completion, passes this feature. Everything else is forwarded unchanged.
/// </summary>
internal sealed class HeadersFirstBodyFeature : IHttpResponseBodyFeature
{
    private readonly IHttpResponseBodyFeature _inner;
    private readonly HttpContext _context;
    private readonly ServedPolicy _served;
    private readonly CorsKitReason? _originVerdict;
    private readonly StringValues _origin;
    private HeadersFirstStream? _stream;
    private HeadersFirstPipeWriter? _writer;
    private bool _written;

    // originVerdict: the origin's verdict when a resolver already gave it; null to check the allowlist.
    public HeadersFirstBodyFeature(
        IHttpResponseBodyFeature inner, HttpContext context, ServedPolicy served, CorsKitReason? originVerdict, StringValues origin)
    {
        _inner = inner;
        _context = context;
        _served = served;
        _originVerdict = originVerdict;
        _origin = origin;
    }

    public Stream Stream => _stream ??= new HeadersFirstStream(this, _inner.Stream);

    public PipeWriter Writer => _writer ??= new HeadersFirstPipeWriter(this, _inner.Writer);

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        WriteHeaders();
        return _inner.StartAsync(cancellationToken);
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        WriteHeaders();
        return _inner.SendFileAsync(path, offset, count, cancellationToken);
    }

    public Task CompleteAsync()
    {
        WriteHeaders();
        return _inner.CompleteAsync();
    }

    /// <summary>
    /// Writes the headers once, as the OnStarting callback will write them again (idempotently) when the response
    /// really starts; that callback alone logs and counts the request.
    /// </summary>
    public void WriteHeaders()
    {
        if (_written || _context.Response.HasStarted) return;
        _written = true;
        ActualAnswer.Decide(_served.Policy, _origin, _originVerdict, _served.Settings.DebugMode).WriteTo(_context.Response.Headers);
    }
}
