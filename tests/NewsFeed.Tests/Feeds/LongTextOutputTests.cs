using System.IO.Compression;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;
using NewsFeed.Feeds;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// A story far longer than the writers' working pieces comes out whole and exact in every format and coding: the RSS
/// writer sends text between references in runs of a few thousand characters, the JSON Feed writer sends long strings
/// in segments of 8,192, the store reads a long document through SQLite's blob I/O, and Brotli's window follows the
/// document's size. Characters outside the BMP sit across each of those seams, where half a surrogate pair would
/// break the text.
/// </summary>
public sealed class LongTextOutputTests
{
    [Fact]
    public async Task LongStory_SurrogatePairsAcrossEverySeam_ComesOutExactInEveryFormatAndCoding()
    {
        // "abcde" and an emoji: the emoji's high surrogate is at index 7k + 5, so it sits on the last character of
        // a 4,096-character run (index 24,575 = 6 x 4,096 - 1) and of a 8,192-character segment (3 x 8,192 - 1).
        var run = string.Concat(Enumerable.Repeat("abcde\U0001F5DE", 10_000));
        Assert.True(char.IsHighSurrogate(run[24_575]));
        var body = run + "<p>Ünïcödé “quotes” & <b>tags</b> \"json\" \\ עברית\t</p>" + run[..9_000];
        var article = Article("long-seams", NewsFeedApp.Now.AddHours(-1)) with { Tags = [new Term("seams", "Seams")], Body = body };
        using var app = new NewsFeedApp();
        await app.Services.GetRequiredService<IArticleStore>().UpsertAsync(article, CancellationToken.None);
        using var client = app.CreateClient();

        foreach (var format in new[] { "rss", "atom", "json" })
        {
            foreach (var coding in new[] { "identity", "gzip", "br" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/feeds/tags/seams.{format}");
                request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
                using var response = await client.SendAsync(request);
                response.EnsureSuccessStatusCode();
                Assert.Equal(coding == "identity" ? [] : [coding], response.Content.Headers.ContentEncoding);
                Assert.Equal(body, BodyIn(format, Decoded(coding, await response.Content.ReadAsByteArrayAsync())));
            }
        }
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1_000, 10)]
    [InlineData(1_008, 10)]
    [InlineData(1_009, 11)]
    [InlineData(1_048_560, 20)]
    [InlineData(1_048_561, 21)]
    [InlineData(100_000_000, 22)]
    public void BrotliWindow_IsTheSmallestThatSpansTheBody(int length, int window) =>
        Assert.Equal(window, CachedResponse.BrotliWindow(length));

    private static byte[] Decoded(string coding, byte[] sent)
    {
        if (coding == "identity") return sent;
        using var input = new MemoryStream(sent);
        using Stream decoder = coding == "gzip" ? new GZipStream(input, CompressionMode.Decompress) : new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    private static string BodyIn(string format, byte[] document)
    {
        switch (format)
        {
            case "rss":
                FeedAssert.ValidRss(document);
                return XDocument.Load(new MemoryStream(document)).Root!.Element("channel")!.Element("item")!.Element(FeedAssert.Content + "encoded")!.Value;
            case "atom":
                FeedAssert.ValidAtom(document);
                return XDocument.Load(new MemoryStream(document)).Root!.Element(FeedAssert.Atom + "entry")!.Element(FeedAssert.Atom + "content")!.Value;
            default:
                return (string)FeedAssert.ValidJsonFeed(document)["items"]![0]!["content_html"]!;
        }
    }
}
