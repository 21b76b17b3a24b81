namespace NewsFeed.Feeds;

/// <summary>The writer of each format, in one place: the renderer writes a document, the byte budget measures one.</summary>
internal static class FeedWriters
{
    /// <summary>The document's bytes, written into a pooled <see cref="RenderBuffer"/> and copied out once.</summary>
    public static byte[] Write(FeedDocument doc)
    {
        using var buffer = new RenderBuffer(doc.ExpectedBytes());
        WriteTo(doc, buffer);
        return buffer.ToArray();
    }

    /// <summary>How many bytes <see cref="Write"/> would return, counted as the writer writes them and kept nowhere.</summary>
    public static long SizeOf(FeedDocument doc)
    {
        using var counter = new ByteCounter();
        WriteTo(doc, counter);
        return counter.Length;
    }

    private static void WriteTo(FeedDocument doc, Stream output)
    {
        switch (doc.Key.Format)
        {
            case FeedFormat.Rss: RssFeedWriter.Write(doc, output); break;
            case FeedFormat.Atom: AtomFeedWriter.Write(doc, output); break;
            default: JsonFeedWriter.Write(doc, output); break;
        }
    }

    /// <summary>A stream that only counts what is written to it.</summary>
    private sealed class ByteCounter : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override void WriteByte(byte value) => _length++;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
