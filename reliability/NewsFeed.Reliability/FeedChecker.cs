using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml;

namespace NewsFeed.Reliability;

/// <summary>One answer a checking reader got: status 0 when none came (refused, reset, timed out).</summary>
internal sealed record ReaderAnswer(DateTimeOffset Asked, DateTimeOffset Answered, string Path, int Status, string? Problem, string? ServedBy);

/// <summary>
/// A feed reader that checks every answer it gets while the soak runs: 200 or 304 only; a 304 only for the
/// ETag it sent; a 200 with the right media type, a strong ETag, the coding asked for, and a body that parses
/// (XML with no DTD, or JSON); and no JSON feed that lists an article whose retraction was acknowledged before
/// the request was sent (plus a grace: instances of a cluster learn of a write a little after it is acknowledged).
/// Optionally it pauses between requests, and reports every answer to <c>record</c> (the cluster phase judges
/// answers by when they came, against its fault windows).
/// </summary>
internal sealed class FeedChecker(
    Uri server, IReadOnlyList<string> paths, IReadOnlyCollection<Newsroom> newsrooms,
    TimeSpan pause = default, TimeSpan retractionGrace = default, Action<ReaderAnswer>? record = null)
{
    private static readonly XmlReaderSettings XmlSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private readonly ConcurrentDictionary<string, EntityTagHeaderValue> _etags = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private long _checked;
    private long _notModified;
    private long _serverErrors;
    private long _failureCount;

    public long Checked => Interlocked.Read(ref _checked);
    public long NotModified => Interlocked.Read(ref _notModified);
    public long ServerErrors => Interlocked.Read(ref _serverErrors);
    public long FailureCount => Interlocked.Read(ref _failureCount);
    public IEnumerable<string> Failures => _failures;

    public async Task RunAsync(int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };
        while (!stop.IsCancellationRequested)
        {
            var path = paths[random.Next(paths.Count)];
            var coding = random.Next(3) switch { 0 => "gzip", 1 => "br", _ => null };
            // Now and then a browser opens an RSS or Atom feed: it gets the feed's HTML view.
            var navigate = random.Next(10) == 0 && MediaType(path, navigation: false).EndsWith("+xml", StringComparison.Ordinal);
            var key = path + "|" + coding + "|" + navigate;
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (navigate) request.Headers.Add("Sec-Fetch-Dest", "document");
            if (coding is not null) request.Headers.AcceptEncoding.ParseAdd(coding);
            var sent = random.Next(2) == 0 && _etags.TryGetValue(key, out var known) ? known : null;
            if (sent is not null) request.Headers.IfNoneMatch.Add(sent);
            var asked = DateTimeOffset.UtcNow;
            try
            {
                using var response = await client.SendAsync(request, stop);
                var problem = await CheckAsync(path, navigate, coding, sent, asked, response, stop);
                Interlocked.Increment(ref _checked);
                if (problem is not null) Fail($"{path} ({coding ?? "identity"}): {problem}");
                else if (response.Headers.ETag is { } etag) _etags[key] = etag;
                record?.Invoke(new ReaderAnswer(asked, DateTimeOffset.UtcNow, path, (int)response.StatusCode, problem, LoadBalancer.ServedBy(response)));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref _checked);
                Fail($"{path}: {error.GetType().Name}: {error.Message}");
                record?.Invoke(new ReaderAnswer(asked, DateTimeOffset.UtcNow, path, 0, $"{error.GetType().Name}: {error.Message}", null));
            }
            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// One unconditional request for <paramref name="path"/>, checked as the readers check theirs (200, media type,
    /// strong ETag, the coding asked for, a body that parses), for a phase that wants one document checked.
    /// </summary>
    /// <returns>What is wrong (null when nothing), the status, the ETag, and the body as sent.</returns>
    public async Task<(string? Problem, int Status, string? ETag, byte[] Body)> CheckOnceAsync(string path, string? coding = null, CancellationToken cancellationToken = default)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (coding is not null) request.Headers.AcceptEncoding.ParseAdd(coding);
        using var response = await client.SendAsync(request, cancellationToken);
        var problem = await CheckAsync(path, navigate: false, coding, sent: null, DateTimeOffset.UtcNow, response, cancellationToken);
        // SendAsync buffered the body, so it can be read again after the check.
        return (problem, (int)response.StatusCode, response.Headers.ETag?.Tag, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    private async Task<string?> CheckAsync(string path, bool navigate, string? coding, EntityTagHeaderValue? sent, DateTimeOffset asked, HttpResponseMessage response, CancellationToken stop)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) Interlocked.Increment(ref _serverErrors);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            Interlocked.Increment(ref _notModified);
            if (sent is null) return "304 to an unconditional request";
            return response.Headers.ETag?.Tag == sent.Tag ? null : $"304 with ETag {response.Headers.ETag} for If-None-Match {sent}";
        }
        if (response.StatusCode != HttpStatusCode.OK) return $"status {status}";
        var expectedType = MediaType(path, navigate);
        if (response.Content.Headers.ContentType?.MediaType != expectedType) return $"Content-Type {response.Content.Headers.ContentType}, expected {expectedType}";
        var encoding = response.Content.Headers.ContentEncoding.SingleOrDefault();
        // Rendered answers (feeds, their HTML views, headlines) carry a strong ETag and every coding; the home page
        // and the static stylesheet are small and sent as they are.
        var rendered = path != "/" && !path.EndsWith(".xsl", StringComparison.Ordinal);
        if (rendered && response.Headers.ETag is not { IsWeak: false }) return "no strong ETag";
        if ((rendered || encoding is not null) && encoding != coding) return $"Content-Encoding {encoding ?? "none"} for Accept-Encoding {coding ?? "none"}";

        var bytes = await response.Content.ReadAsByteArrayAsync(stop);
        if (response.Content.Headers.ContentLength is { } length && length != bytes.Length) return $"Content-Length {length} but {bytes.Length} bytes";
        using var body = Decode(bytes, encoding);
        try
        {
            switch (expectedType)
            {
                case "application/rss+xml" or "application/atom+xml" or "text/xml":
                    using (var reader = XmlReader.Create(body, XmlSettings))
                    {
                        while (reader.Read())
                        {
                        }
                    }
                    return null;
                case "text/html":
                    return null;
                default:
                    using (var json = await JsonDocument.ParseAsync(body, cancellationToken: stop))
                    {
                        return expectedType == "application/feed+json" ? ListsRetracted(json, asked) : null;
                    }
            }
        }
        catch (Exception error) when (error is XmlException or JsonException or InvalidDataException or InvalidOperationException)
        {
            return $"not well-formed: {error.Message}";
        }
    }

    private string? ListsRetracted(JsonDocument feed, DateTimeOffset asked)
    {
        foreach (var item in feed.RootElement.GetProperty("items").EnumerateArray())
        {
            var id = item.GetProperty("id").GetString();
            if (id is null || !id.StartsWith("urn:uuid:", StringComparison.Ordinal) || !Guid.TryParse(id.AsSpan(9), out var guid)) continue;
            foreach (var newsroom in newsrooms)
            {
                if (newsroom.Retracted.TryGetValue(guid, out var retractedAt) && retractedAt + retractionGrace < asked)
                {
                    return $"lists {guid}, retracted (acknowledged) {(asked - retractedAt).TotalMilliseconds:F0} ms before the request";
                }
            }
        }
        return null;
    }

    private static Stream Decode(byte[] bytes, string? coding)
    {
        Stream raw = new MemoryStream(bytes);
        return coding switch
        {
            "gzip" => new GZipStream(raw, CompressionMode.Decompress),
            "br" => new BrotliStream(raw, CompressionMode.Decompress),
            _ => raw,
        };
    }

    public static string MediaType(string path, bool navigation)
    {
        var bare = path.Split('?')[0];
        if (bare.StartsWith("/api/", StringComparison.Ordinal)) return "application/json";
        if (bare.StartsWith("/embed/", StringComparison.Ordinal) || bare == "/") return "text/html";
        return Path.GetExtension(bare) switch
        {
            ".rss" or ".atom" when navigation => "text/html",
            ".rss" => "application/rss+xml",
            ".atom" => "application/atom+xml",
            ".xsl" => "text/xml",
            _ => "application/feed+json",
        };
    }

    private void Fail(string message)
    {
        Interlocked.Increment(ref _failureCount);
        if (_failures.Count < 20) _failures.Enqueue(message);
    }
}
