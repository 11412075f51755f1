using System.IO.Pipelines;

namespace CorsKit.Internal;

/// <summary>
/// The response pipe of a <see cref="HeadersFirstBodyFeature"/>: CorsKit's headers before the app gets any buffer to
/// write into, so they are in place before a byte can reach the cache behind this writer.
/// </summary>
internal sealed class HeadersFirstPipeWriter : PipeWriter
{
    private readonly HeadersFirstBodyFeature _feature;
    private readonly PipeWriter _inner;

    public HeadersFirstPipeWriter(HeadersFirstBodyFeature feature, PipeWriter inner)
    {
        _feature = feature;
        _inner = inner;
    }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void Advance(int bytes) => _inner.Advance(bytes);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (exception is null) _feature.WriteHeaders();
        _inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        if (exception is null) _feature.WriteHeaders();
        return _inner.CompleteAsync(exception);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        _feature.WriteHeaders();
        return _inner.FlushAsync(cancellationToken);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        _feature.WriteHeaders();
        return _inner.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        _feature.WriteHeaders();
        return _inner.GetSpan(sizeHint);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        _feature.WriteHeaders();
        return _inner.WriteAsync(source, cancellationToken);
    }
}
