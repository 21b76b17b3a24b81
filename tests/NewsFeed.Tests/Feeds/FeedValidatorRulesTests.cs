using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// Every paged variant a reader can reach passes the W3C validator's link rules (<see cref="FeedValidatorRules"/>):
/// page one and every page after it, followed by its own <c>next</c> links, at several limits, in every format,
/// with the self link the very address the page was fetched from. Archives are checked in <see cref="FeedArchiveTests"/>.
/// </summary>
public sealed class FeedValidatorRulesTests(NewsFeedApp app) : AppEndpointTests(app)
{
    private const string Base = "http://localhost";

    [Theory]
    [InlineData("/feeds/latest", 2)]
    [InlineData("/feeds/latest", 5)]
    [InlineData("/feeds/sections/world", 1)]
    [InlineData("/feeds/tags/local-government", 2)]
    [InlineData("/feeds/partners", 1)]
    public async Task EveryPage_FollowedByItsNextLinks_PassesTheValidatorsLinkRules(string feed, int limit)
    {
        foreach (var format in new[] { "rss", "atom", "json" })
        {
            var url = $"{Base}{feed}.{format}?limit={limit}";
            var pages = 0;
            var ids = new HashSet<string>();
            while (url is not null)
            {
                var body = await Client.GetByteArrayAsync(url);
                pages++;
                string? next;
                if (format == "json")
                {
                    var json = FeedAssert.ValidJsonFeed(body);
                    Assert.Equal(url, (string?)json["feed_url"]);
                    next = (string?)json["next_url"];
                    foreach (var item in json["items"]!.AsArray()) Assert.True(ids.Add((string)item!["id"]!), "an item on two pages");
                }
                else
                {
                    var doc = FeedValidatorRules.Check(body, url, archive: false);
                    var isAtom = doc.Root!.Name == FeedAssert.Atom + "feed";
                    var head = isAtom ? doc.Root : doc.Root.Element("channel")!;
                    next = (string?)head.Elements(FeedAssert.Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") == "next")?.Attribute("href");
                    var entries = isAtom
                        ? head.Elements(FeedAssert.Atom + "entry").Select(e => (string)e.Element(FeedAssert.Atom + "id")!)
                        : head.Elements("item").Select(e => (string)e.Element("guid")!);
                    foreach (var id in entries) Assert.True(ids.Add(id), "an item on two pages");
                    Assert.Equal($"{Base}{feed}.{format}", (string?)head.Elements(FeedAssert.Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") == "first")?.Attribute("href") is { } first ? first.Split('?')[0] : null);
                }
                Assert.True(next is null || next.StartsWith($"{Base}{feed}.{format}?", StringComparison.Ordinal), $"next link {next}");
                url = next;
                Assert.True(pages < 100, "the next links never end");
            }
            Assert.True(limit > 1 || pages > 1 || ids.Count <= 1, $"{feed}.{format}: {ids.Count} items on {pages} pages of {limit}");
        }
    }
}
