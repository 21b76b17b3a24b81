namespace NewsFeed.Feeds;

/// <summary>
/// Where a feed writer and the compressors put their bytes: a write-only stream over arrays rented from
/// <see cref="LargeBuffers.Pool"/>. A feed of full articles is up to <c>Feeds:MaxFeedBytes</c>, so a <see cref="MemoryStream"/>
/// would allocate (and zero, and later collect in gen 2) a large buffer at every doubling of every render; here
/// the working buffer is reused between renders, and only the finished bytes (<see cref="ToArray"/>, which the
/// cache keeps) are a new array.
/// </summary>
internal sealed class RenderBuffer(int capacity) : Stream
{
    private byte[] _buffer = LargeBuffers.Pool.Rent(Math.Max(capacity, 4_096));
    private int _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length > _buffer.Length - _length) Grow(_length + buffer.Length);
        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    /// <summary>The bytes written, in an array of their own.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_buffer.Length > 0)
        {
            LargeBuffers.Pool.Return(_buffer);
            _buffer = [];
        }
        base.Dispose(disposing);
    }

    private void Grow(int needed)
    {
        var larger = LargeBuffers.Pool.Rent((int)Math.Min(Math.Max(needed, 2L * _buffer.Length), Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        LargeBuffers.Pool.Return(_buffer);
        _buffer = larger;
    }
}
