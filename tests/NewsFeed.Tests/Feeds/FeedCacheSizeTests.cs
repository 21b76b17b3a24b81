using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Feeds;

namespace NewsFeed.Tests.Feeds;

/// <summary>The rendered-feed cache counts every form it holds (identity, gzip, Brotli, browser HTML) against its limit.</summary>
public sealed class FeedCacheSizeTests
{
    private const long Megabyte = 1024 * 1024;

    [Fact]
    public async Task ManyVariants_CacheHoldsNoMoreBytesThanItsLimit_BrowserViewsIncluded()
    {
        using var app = new NewsFeedApp { Settings = { ["Feeds:CacheSizeMegabytes"] = "1" } };
        using var client = app.CreateClient();
        long received = 0;

        foreach (var limit in Enumerable.Range(1, 100))
        {
            foreach (var format in new[] { "rss", "atom", "json" })
            {
                // ?limit=20 is the default, which the canonical URL leaves out.
                var url = $"/feeds/latest.{format}" + (limit == 20 ? "" : $"?limit={limit}");
                foreach (var coding in new[] { "br", "gzip" })
                {
                    received += await GetAsync(client, url, coding, browser: false);
                }
                if (format != "json")
                {
                    received += await GetAsync(client, url, "gzip", browser: true);
                }
            }
        }

        // MemoryCache refuses an entry that does not fit and compacts afterwards, on a background task: one more
        // small view, once there is room, is held as an entry beside the feeds. Asked again until the compaction
        // has run (CI saw it still running at the first ask).
        var cache = app.Services.GetRequiredService<FeedCache>();
        var views = 0;
        do
        {
            if (views++ > 0) await Task.Delay(100);
            await GetAsync(client, "/feeds/latest.rss?limit=1", "gzip", browser: true);
        }
        while (views < 50 && !cache.Held().Any(response => response.ContentType.StartsWith("text/html", StringComparison.Ordinal)));
        var held = cache.Held().ToList();
        // Every byte array the cache keeps alive, through every entry it holds (compressed forms are made on first demand).
        var heldBytes = held.Sum(response => response.MadeForms().Sum(form => (long)form.Body.Length));
        Assert.True(received > 2 * Megabyte, $"the variants asked for ({received} compressed bytes) should not all fit");
        Assert.True(heldBytes <= Megabyte, $"the cache holds {heldBytes} bytes under a 1 MB limit");
        Assert.True(held.Sum(response => response.Size) <= Megabyte);
        // The browser views are entries of the cache, counted like the feeds.
        Assert.Contains(held, response => response.ContentType.StartsWith("text/html", StringComparison.Ordinal));
        // Still well used: eviction makes room rather than emptying it.
        Assert.True(heldBytes > Megabyte / 4, $"the cache holds only {heldBytes} bytes");
    }

    private static async Task<long> GetAsync(HttpClient client, string url, string coding, bool browser)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd(coding);
        if (browser) request.Headers.Add("Sec-Fetch-Dest", "document");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(coding, Assert.Single(response.Content.Headers.ContentEncoding));
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }
}
