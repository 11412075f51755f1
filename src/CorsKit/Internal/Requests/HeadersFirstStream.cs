namespace CorsKit.Internal;

/// <summary>The response stream of a <see cref="HeadersFirstBodyFeature"/>: CorsKit's headers before any byte or flush.</summary>
internal sealed class HeadersFirstStream : Stream
{
    private readonly HeadersFirstBodyFeature _feature;
    private readonly Stream _inner;

    public HeadersFirstStream(HeadersFirstBodyFeature feature, Stream inner)
    {
        _feature = feature;
        _inner = inner;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
        _feature.WriteHeaders();
        _inner.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        _feature.WriteHeaders();
        return _inner.FlushAsync(cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _feature.WriteHeaders();
        _inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _feature.WriteHeaders();
        _inner.Write(buffer);
    }

    public override void WriteByte(byte value)
    {
        _feature.WriteHeaders();
        _inner.WriteByte(value);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _feature.WriteHeaders();
        return _inner.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _feature.WriteHeaders();
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
