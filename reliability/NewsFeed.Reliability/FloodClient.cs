using System.IO.Compression;
using System.Net;

namespace NewsFeed.Reliability;

/// <summary>
/// One client of the variant flood, asking in one <see cref="FloodShape"/> until told to stop: mostly a page one of
/// the long-reads section at a limit of its choosing, then deeper pages by following each page's own <c>next</c>
/// link (and any redirect on the way), whatever form the link takes; now and then a non-canonical spelling (301,
/// followed) or a malformed value (400). It reads every body to its end, decoding it as a reader would, and
/// records each answer in the <see cref="FloodTally"/>. A request it has started runs to its end (or its timeout).
/// </summary>
internal sealed class FloodClient(Uri server, FloodShape shape, FloodTally tally, int seed)
{
    /// <summary>Longer than any page of the section takes on a healthy server; an answer not complete by then counts as none.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private const int MaxRedirects = 5;
    private const double FollowNext = 0.7;

    private readonly Random _random = new(seed);
    private readonly byte[] _buffer = new byte[65536];

    public async Task RunAsync(CancellationToken stopAsking)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = server,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        while (!stopAsking.IsCancellationRequested)
        {
            var roll = _random.NextDouble();
            if (roll < 0.10)
            {
                await SendAsync(client, FloodAsk.Malformed, FloodVariants.Malformed(_random, shape.Format));
            }
            else if (roll < 0.25)
            {
                var target = FloodVariants.NonCanonical(_random, shape.Format);
                var answer = await SendAsync(client, FloodAsk.NonCanonical, target);
                if (answer.Status == 301 && answer.Location is { } location) await SendAsync(client, FloodAsk.Variant, Resolve(target, location));
            }
            else
            {
                await WalkAsync(client, FloodVariants.Canonical(shape.Format, FloodVariants.PickLimit(_random)), stopAsking);
            }
        }
    }

    /// <summary>Page one, then each <c>next</c> link in turn while the dice say so and the flood lasts.</summary>
    private async Task WalkAsync(HttpClient client, string target, CancellationToken stopAsking)
    {
        var ask = FloodAsk.Variant;
        for (var depth = 1; ; depth++)
        {
            var answer = await SendAsync(client, ask, target);
            for (var hops = 0; answer.Status is 301 or 302 or 307 or 308 && answer.Location is { } location && hops < MaxRedirects; hops++)
            {
                tally.Redirected();
                target = Resolve(target, location);
                answer = await SendAsync(client, ask, target);
            }
            if (answer.Status == 200) tally.ReachedPage(depth);
            if (answer.Status != 200 || answer.Next is null || stopAsking.IsCancellationRequested || _random.NextDouble() >= FollowNext) return;
            target = Resolve(target, answer.Next);
            ask = FloodAsk.NextPage;
        }
    }

    private async Task<(int Status, string? Location, string? Next)> SendAsync(HttpClient client, FloodAsk ask, string target)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        if (shape.Coding is { } coding) request.Headers.AcceptEncoding.ParseAdd(coding);
        if (shape.Navigation)
        {
            request.Headers.Add("Sec-Fetch-Dest", "document");
            request.Headers.Add("Sec-Fetch-Mode", "navigate");
        }
        using var timeout = new CancellationTokenSource(RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception error) when (error is HttpRequestException or IOException or OperationCanceledException)
        {
            tally.Record(ask, target, 0, 0, Describe(error, timeout));
            // As a reader would, rather than spin on a server that refuses connections.
            await Task.Delay(100, CancellationToken.None);
            return (0, null, null);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var scanner = new NextLinkScanner();
            var (bytes, problem) = await ReadAsync(response, status == 200 ? scanner : null, timeout);
            tally.Record(ask, target, status, bytes, problem);
            var next = scanner.Found ?? (response.Headers.TryGetValues("Link", out var links) ? NextLinkScanner.FromLinkHeader(links) : null);
            return (status, response.Headers.Location?.OriginalString, problem is null ? next : null);
        }
    }

    /// <summary>Reads the body to its end through the decoder its Content-Encoding names; the bytes as sent, and what went wrong.</summary>
    private async Task<(long Bytes, string? Problem)> ReadAsync(HttpResponseMessage response, NextLinkScanner? scanner, CancellationTokenSource timeout)
    {
        var counted = new CountingStream(await response.Content.ReadAsStreamAsync(timeout.Token));
        try
        {
            var coding = response.Content.Headers.ContentEncoding.SingleOrDefault();
            await using Stream decoded = coding switch
            {
                "gzip" => new GZipStream(counted, CompressionMode.Decompress),
                "br" => new BrotliStream(counted, CompressionMode.Decompress),
                null => counted,
                _ => throw new InvalidDataException($"Content-Encoding {coding}"),
            };
            int read;
            while ((read = await decoded.ReadAsync(_buffer, timeout.Token)) > 0) scanner?.Feed(_buffer.AsSpan(0, read));
            if (response.Content.Headers.ContentLength is { } length && length != counted.Count) return (counted.Count, $"cut short: {counted.Count:N0} of {length:N0} bytes");
            return (counted.Count, null);
        }
        catch (Exception error) when (error is HttpRequestException or IOException or OperationCanceledException or InvalidDataException)
        {
            return (counted.Count, $"body broken after {counted.Count:N0} bytes: {Describe(error, timeout)}");
        }
    }

    private static string Describe(Exception error, CancellationTokenSource timeout) =>
        timeout.IsCancellationRequested ? $"no complete answer within {RequestTimeout.TotalSeconds:F0} s" : $"{error.GetType().Name}: {error.Message}";

    /// <summary>A link or Location against the URL it came from, as a path and query on this server (links are built on Site:PublicUrl).</summary>
    private string Resolve(string current, string link) => new Uri(new Uri(server, current), link).PathAndQuery;

    /// <summary>The stream of a body, counting the bytes that came over the wire (before decoding).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        private int Counted(int read)
        {
            Count += read;
            return read;
        }
    }
}
