using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Data.Sqlite;
using NewsFeed.Articles;

namespace NewsFeed.Benchmarks;

/// <summary>
/// Issue 17's deep pages: the time to answer a page of latest and of a section at several depths (page 1, 1,000
/// items in, half-way, 90 % of the way; the samples of a depth are the pages that follow it), each request a variant
/// nobody asked for before, so each is a cold render.
/// A depth is asked as <c>?limit=L&amp;page=P</c>; a server that answers that with a redirect to its cursor form is
/// followed, and only the last request is timed; one that refuses the page number is walked to the depth through
/// its <c>next</c> links instead. Writes one line per request: store, feed, depth bucket, depth, how reached, ms.
/// </summary>
internal static class DeepPages
{
    private const int Limit = 100;
    private static readonly string[] Formats = ["rss", "atom", "json"];

    public static async Task<int> RunAsync(Uri server, string storeFile, string storeName, int samples, string output)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        await using var writer = new StreamWriter(output, append: true);
        foreach (var (feed, length) in await FeedsOf(storeFile))
        {
            // Warm-up (not recorded): the JIT and the store's first reads.
            foreach (var format in Formats) await TimedAsync(http, new Uri(server, $"{feed}.{format}?limit=10"));
            foreach (var (bucket, depth) in Buckets(length))
            {
                for (var sample = 0; sample < samples; sample++)
                {
                    var format = Formats[sample % Formats.Length];
                    // Page 1: a limit not asked before; deeper: the next page from the bucket's depth on, so each is a new variant.
                    var limit = depth == 0 ? Limit - sample : Limit;
                    var at = depth == 0 ? 0 : Math.Max(Limit, Math.Min(depth + sample * Limit, length - Limit));
                    var page = at / limit + 1;
                    var url = new Uri(server, string.Create(CultureInfo.InvariantCulture, $"{feed}.{format}?limit={limit}{(page > 1 ? $"&page={page}" : "")}"));
                    var (ms, how) = await TimedAsync(http, url);
                    if (how == "refused")
                    {
                        (ms, how) = await WalkedAsync(http, server, feed, format, at, sample);
                    }
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{storeName}\t{feed}\t{bucket}\t{at}\t{how}\t{ms:F2}"));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {storeName} {feed} {bucket} (item {at}): {ms:F1} ms, {how}"));
                }
            }
        }
        return 0;
    }

    /// <summary>Page 1, 1,000 items in (when the feed is long enough), half-way and 90 % of the way (its pages follow the depth).</summary>
    private static IEnumerable<(string Bucket, int Depth)> Buckets(int length)
    {
        yield return ("page 1", 0);
        if (length > 4_000) yield return ("1,000 in", 1_000);
        yield return ("50 %", length / 2);
        yield return ("90 %", length * 9 / 10);
    }

    /// <summary>The feeds measured and their lengths, from the store file (read only): latest and the bench section.</summary>
    private static async Task<(string Feed, int Length)[]> FeedsOf(string storeFile)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = storeFile, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        async Task<int> Count(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$kind", (int)TermKind.Section);
            command.Parameters.AddWithValue("$slug", SyntheticArticles.BenchSection);
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        return
        [
            ("/feeds/latest", await Count("SELECT COUNT(*) FROM articles WHERE status = 1")),
            ($"/feeds/sections/{SyntheticArticles.BenchSection}", await Count("SELECT COUNT(*) FROM article_terms WHERE kind = $kind AND slug = $slug")),
        ];
    }

    /// <summary>
    /// The time of the request that answered the feed, after any redirects (the cursor form of a page number);
    /// "refused" when the page number was not accepted.
    /// </summary>
    private static async Task<(double Ms, string How)> TimedAsync(HttpClient http, Uri url)
    {
        var how = "page";
        for (var hop = 0; hop < 4; hop++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            await response.Content.ReadAsByteArrayAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                url = new Uri(url, location);
                how = "redirect";
                continue;
            }
            if (status == 200) return (ms, how);
            if (status is 400 or 404) return (0, "refused");
            throw new InvalidOperationException($"{url} answered {status}.");
        }
        throw new InvalidOperationException($"{url} redirected more than 3 times.");
    }

    /// <summary>
    /// Follows JSON Feed next links at the full limit from page 1 to the depth (each hop is timed too, so a walk is
    /// also the cost of reaching the depth), then times that page in <paramref name="format"/> with a limit not asked before.
    /// </summary>
    private static async Task<(double Ms, string How)> WalkedAsync(HttpClient http, Uri server, string feed, string format, int depth, int sample)
    {
        var url = new Uri(server, string.Create(CultureInfo.InvariantCulture, $"{feed}.json?limit={Limit}"));
        for (var at = 0; at + Limit <= depth; at += Limit)
        {
            using var response = await http.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK || FeedLinks.NextOf(body, "json", server) is not { } next)
            {
                throw new InvalidOperationException($"Walking {feed} stopped at item {at}: {(int)response.StatusCode}.");
            }
            url = next;
        }
        var query = string.Join('&', url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("limit=", StringComparison.Ordinal)));
        var measured = new Uri(server, string.Create(CultureInfo.InvariantCulture,
            $"{feed}.{format}?limit={Limit - 1 - sample}{(query.Length > 0 ? "&" + query : "")}"));
        var (ms, how) = await TimedAsync(http, measured);
        return (ms, how == "refused" ? "refused" : "walked");
    }
}
