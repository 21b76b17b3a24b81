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
/// Each compressed form is made once, on the first request that wants it: most variants are asked for in one
/// coding only (a flood of distinct variants in particular), and compressing a 230 KB feed both ways took more
/// than the rest of its render. The cache that holds the response is told when a form is made
/// (<see cref="OnGrown"/>) and counts the entry again at its new <see cref="Size"/>, so its size limit stays a
/// limit in bytes.
/// </remarks>
internal sealed class CachedResponse
{
    /// <summary>What an entry costs beyond its bytes: this object, three <see cref="CachedBody"/>s and their ETag strings.</summary>
    private const long Overhead = 512;

    private readonly Lazy<CachedBody> _gzip;
    private readonly Lazy<CachedBody> _brotli;
    private readonly long _headerBytes;
    private Action<CachedResponse>? _grown;
    private CancellationTokenSource? _superseded;

    /// <summary>
    /// The feed this document is counted under by Readers (its path stem below <c>feeds/</c>, the same for every
    /// format and page), or null when it is not counted (archives, HTML views, headlines).
    /// </summary>
    public string? CountAs { get; init; }

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
        _gzip = new(() => new CachedBody(Gzip(body), "gzip"), LazyThreadSafetyMode.ExecutionAndPublication);
        _brotli = new(() => new CachedBody(Brotli(body), "br"), LazyThreadSafetyMode.ExecutionAndPublication);
        // Strings are UTF-16: two bytes a character.
        _headerBytes = 2L * (contentType.Length + linkHeader.Length + (LastModifiedHeader?.Length ?? 0)) + Overhead;
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

    /// <summary>The edge cache's keys and lifetime, made with the render (<see cref="EdgeTagging"/>); null when the edge is not configured.</summary>
    public EdgeHeaders? Edge { get; init; }

    public CachedBody Identity { get; }
    public CachedBody GzipEncoded => Made(_gzip);
    public CachedBody BrotliEncoded => Made(_brotli);

    /// <summary>
    /// Cache accounting: the bytes of every form made so far and the header strings, which is everything this
    /// response holds, so a cache limited by the sum of its entries' sizes is limited in bytes.
    /// </summary>
    public long Size => Identity.Body.LongLength
        + (_gzip.IsValueCreated ? _gzip.Value.Body.LongLength : 0)
        + (_brotli.IsValueCreated ? _brotli.Value.Body.LongLength : 0)
        + _headerBytes
        + (Edge?.Size ?? 0);

    /// <summary>The forms this response holds so far: identity, and each compressed form once made.</summary>
    public IEnumerable<CachedBody> MadeForms()
    {
        yield return Identity;
        if (_gzip.IsValueCreated) yield return _gzip.Value;
        if (_brotli.IsValueCreated) yield return _brotli.Value;
    }

    /// <summary>Makes both compressed forms now, for a holder that counts its size once (the headline snapshots).</summary>
    public CachedResponse Compressed()
    {
        _ = _gzip.Value;
        _ = _brotli.Value;
        return this;
    }

    /// <summary>
    /// Cancelled once a render of a newer version has taken this response's place in the cache (<see cref="Supersede"/>):
    /// what was made from these bytes alone (the browser view) is never asked for again, and goes with it.
    /// </summary>
    public CancellationToken Superseded => LazyInitializer.EnsureInitialized(ref _superseded).Token;

    /// <summary>Says that a newer render replaced this one (<see cref="Superseded"/>); nothing when nothing was made from it.</summary>
    public void Supersede() => Volatile.Read(ref _superseded)?.Cancel();

    /// <summary>Called with this response each time a compressed form has been made, so the cache holding it can count it again.</summary>
    public void OnGrown(Action<CachedResponse> grown) => _grown = grown;

    private CachedBody Made(Lazy<CachedBody> form)
    {
        if (form.IsValueCreated) return form.Value;
        var made = form.Value;
        _grown?.Invoke(this);
        return made;
    }

    // The compressors write into pooled render buffers; only the finished bytes are a new array.
    private static byte[] Gzip(byte[] body)
    {
        using var output = new RenderBuffer(body.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }

    private static byte[] Brotli(byte[] body)
    {
        var output = LargeBuffers.Pool.Rent(BrotliEncoder.GetMaxCompressedLength(body.Length));
        try
        {
            // Quality 6 compresses a 100 KB feed in a few milliseconds, close to quality 11's size.
            if (!BrotliEncoder.TryCompress(body, output, out var written, quality: 6, window: BrotliWindow(body.Length)))
            {
                throw new InvalidOperationException("Brotli compression failed.");
            }
            return output.AsSpan(0, written).ToArray();
        }
        finally
        {
            LargeBuffers.Pool.Return(output);
        }
    }

    /// <summary>
    /// The smallest Brotli window (RFC 7932 §9.1: 2^w - 16 bytes, w from 10 to 24) that spans the whole body, at
    /// most 22: a window larger than the document finds no more matches, yet the encoder allocates native memory
    /// in proportion to it (its ring buffer and hash chains), for every form it compresses.
    /// </summary>
    internal static int BrotliWindow(int length)
    {
        var window = 10;
        while (window < 22 && (1 << window) - 16 < length) window++;
        return window;
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
