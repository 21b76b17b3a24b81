using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace NewsFeed.Feeds;

/// <summary>
/// One render of one feed variant: the exact bytes, their compressed forms (each made at most once,
/// on first demand) and the validators HTTP needs. Requests only copy these bytes out.
/// Other renders of a feed's items (its HTML view, the embeddable headlines) reuse it with their own
/// <c>contentType</c>, so they get the same ETag, compression and 304 handling.
/// </summary>
public sealed class RenderedFeed
{
    private readonly Lazy<FeedRepresentation> _gzip;
    private readonly Lazy<FeedRepresentation> _brotli;

    public RenderedFeed(FeedKey key, byte[] body, DateTimeOffset? lastModified, string linkHeader, long version, DateTimeOffset? validUntil, string? contentType = null)
    {
        Key = key;
        ContentType = contentType ?? key.Format.ContentType();
        LastModified = lastModified;
        LastModifiedHeader = lastModified is { } modified ? HeaderUtilities.FormatDate(modified) : null;
        LinkHeader = linkHeader;
        Version = version;
        ValidUntil = validUntil;
        Identity = new FeedRepresentation(body, null);
        _gzip = new(() => new FeedRepresentation(Gzip(body), "gzip"), LazyThreadSafetyMode.ExecutionAndPublication);
        _brotli = new(() => new FeedRepresentation(Brotli(body), "br"), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public FeedKey Key { get; }
    public string ContentType { get; }
    /// <summary>The newest item's update time, truncated to whole seconds as HTTP dates are.</summary>
    public DateTimeOffset? LastModified { get; }
    /// <summary><see cref="LastModified"/> as an HTTP date, formatted once per render rather than per request.</summary>
    public string? LastModifiedHeader { get; }
    public string LinkHeader { get; }
    /// <summary>The feed's version in the store that this render reflects.</summary>
    public long Version { get; }
    /// <summary>When an embargo lifts and this render stops being the truth, if ever.</summary>
    public DateTimeOffset? ValidUntil { get; }

    public FeedRepresentation Identity { get; }
    public FeedRepresentation GzipEncoded => _gzip.Value;
    public FeedRepresentation BrotliEncoded => _brotli.Value;

    /// <summary>Cache accounting: the body plus room for its compressed forms (feeds compress to well under a quarter).</summary>
    public long EstimatedSize => Identity.Body.Length + (Identity.Body.Length / 2) + 1024;

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream(body.Length / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }

    private static byte[] Brotli(byte[] body)
    {
        var output = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        // Quality 6 compresses a 100 KB feed in a few milliseconds, close to quality 11's size.
        if (!BrotliEncoder.TryCompress(body, output, out var written, quality: 6, window: 22))
        {
            throw new InvalidOperationException("Brotli compression failed.");
        }
        return output.AsSpan(0, written).ToArray();
    }
}

/// <summary>Bytes as sent, with their strong ETag (RFC 9110 §8.8.3: a validator per content coding).</summary>
public sealed class FeedRepresentation(byte[] body, string? contentEncoding)
{
    public byte[] Body { get; } = body;
    public string? ContentEncoding { get; } = contentEncoding;
    public string ETag { get; } = "\"" + Convert.ToBase64String(SHA256.HashData(body), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
}
