using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace NewsFeed.Feeds;

/// <summary>
/// A response rendered once and kept: the exact bytes, their gzip and Brotli forms and the validators HTTP
/// needs. Requests only copy these bytes out (<see cref="CachedResponseResult"/>). Feeds in every format,
/// their HTML views, the headline JSON and the iframe page are all kept as one, so all get the same ETags,
/// compression and 304 handling.
/// </summary>
/// <remarks>
/// Both compressed forms are made here, once per render, rather than on a first request that wants them: a
/// cache can then count what an entry really holds (<see cref="Size"/>) when it stores it, and an entry never
/// grows afterwards behind the cache's size limit. The render already paid for reading and writing the
/// document, so compressing it too is a small share of that work, done under the same admission
/// (<see cref="RenderAdmission"/>).
/// </remarks>
internal sealed class CachedResponse
{
    /// <summary>What an entry costs beyond its bytes: this object, three <see cref="CachedBody"/>s and their ETag strings.</summary>
    private const long Overhead = 512;

    /// <param name="version">The version of what it was rendered from (a feed's, a headline list's).</param>
    /// <param name="validUntil">When an embargo lifts and it stops being the truth, if ever.</param>
    public CachedResponse(byte[] body, string contentType, DateTimeOffset? lastModified, string linkHeader, long version, DateTimeOffset? validUntil)
    {
        ContentType = contentType;
        LastModified = lastModified;
        LastModifiedHeader = lastModified is { } modified ? HeaderUtilities.FormatDate(modified) : null;
        LinkHeader = linkHeader;
        Version = version;
        ValidUntil = validUntil;
        Identity = new CachedBody(body, null);
        GzipEncoded = new CachedBody(Gzip(body), "gzip");
        BrotliEncoded = new CachedBody(Brotli(body), "br");
        // Strings are UTF-16: two bytes a character.
        Size = body.LongLength + GzipEncoded.Body.LongLength + BrotliEncoded.Body.LongLength
            + 2L * (contentType.Length + linkHeader.Length + (LastModifiedHeader?.Length ?? 0)) + Overhead;
    }

    public string ContentType { get; }
    /// <summary>The newest item's update time, truncated to whole seconds as HTTP dates are.</summary>
    public DateTimeOffset? LastModified { get; }
    /// <summary><see cref="LastModified"/> as an HTTP date, formatted once per render rather than per request.</summary>
    public string? LastModifiedHeader { get; }
    public string LinkHeader { get; }
    /// <summary>The version of what this render reflects.</summary>
    public long Version { get; }
    /// <summary>When an embargo lifts and this render stops being the truth, if ever.</summary>
    public DateTimeOffset? ValidUntil { get; }

    public CachedBody Identity { get; }
    public CachedBody GzipEncoded { get; }
    public CachedBody BrotliEncoded { get; }

    /// <summary>
    /// Cache accounting: the bytes of all three forms and the header strings, which is everything this
    /// response holds, so a cache limited by the sum of its entries' sizes is limited in bytes.
    /// </summary>
    public long Size { get; }

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

/// <summary>Bytes as sent in one content coding, with their strong ETag (RFC 9110 §8.8.3: a validator per content coding).</summary>
internal sealed class CachedBody(byte[] body, string? contentEncoding)
{
    public byte[] Body { get; } = body;
    public string? ContentEncoding { get; } = contentEncoding;
    public string ETag { get; } = ETagOf(body);

    /// <summary>A strong ETag from the bytes themselves: the same bytes have the same tag on every instance and after every restart.</summary>
    public static string ETagOf(byte[] body) => "\"" + Convert.ToBase64String(SHA256.HashData(body), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
}
