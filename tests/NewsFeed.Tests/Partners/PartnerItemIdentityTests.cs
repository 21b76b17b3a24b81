using NewsFeed.Partners;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// Identity across polls: a partner that gives the same story a new guid on every request updates the stored
/// item in place (same id in our feeds, same first-seen date) instead of flooding its feed.
/// </summary>
public sealed class PartnerItemIdentityTests(PartnerHarness harness) : IClassFixture<PartnerHarness>
{
    [Fact]
    public async Task Poll_GuidsRegeneratedOnEveryRequest_ThreePollsOfThreeItemsStoreThree()
    {
        const string path = "/regenerating.rss";
        await harness.AddPartnerAsync("regenerating", path);
        var firstPoll = harness.App.Time.GetUtcNow();
        harness.ServeFeed(path, Rss(Story("poll1-a", "a"), Story("poll1-b", "b"), Story("poll1-c", "c")));
        await harness.Poller.PollAsync("regenerating", CancellationToken.None);
        var ids = await IdsByLinkAsync("regenerating");

        for (var poll = 2; poll <= 3; poll++)
        {
            harness.App.Time.Advance(TimeSpan.FromMinutes(15));
            harness.ServeFeed(path, Rss(Story($"poll{poll}-a", "a"), Story($"poll{poll}-b", "b"), Story($"poll{poll}-c", "c")));
            Assert.Equal(PollOutcome.Unchanged, (await harness.Poller.PollAsync("regenerating", CancellationToken.None)).Outcome);
        }

        var stored = await harness.Store.GetNewestAsync("regenerating", null, 100, CancellationToken.None);
        Assert.Equal(3, stored.Count);
        Assert.Equal(ids, await IdsByLinkAsync("regenerating"));
        Assert.All(stored, item => Assert.Equal(firstPoll, item.FirstSeen));
        Assert.Equal(["poll1-a", "poll1-b", "poll1-c"], await harness.KeysAsync("regenerating"));
    }

    [Fact]
    public async Task Poll_RegeneratedGuidWithAnEdit_UpdatesTheStoredItemInPlace()
    {
        const string path = "/regenerating-edit.rss";
        await harness.AddPartnerAsync("regenerating-edit", path);
        harness.ServeFeed(path, Rss(Story("x1", "a", "Mayor resigns"), Story("y1", "b")));
        await harness.Poller.PollAsync("regenerating-edit", CancellationToken.None);
        var ids = await IdsByLinkAsync("regenerating-edit");
        var firstSeen = (await harness.Store.GetNewestAsync("regenerating-edit", null, 10, CancellationToken.None)).Select(i => i.FirstSeen).Distinct().Single();
        harness.App.Time.Advance(TimeSpan.FromHours(1));

        harness.ServeFeed(path, Rss(Story("x2", "a", "Mayor resigns, deputy steps in"), Story("y2", "b")));
        Assert.Equal(PollOutcome.Updated, (await harness.Poller.PollAsync("regenerating-edit", CancellationToken.None)).Outcome);

        var stored = await harness.Store.GetNewestAsync("regenerating-edit", null, 10, CancellationToken.None);
        Assert.Equal(2, stored.Count);
        var edited = Assert.Single(stored, i => i.Item.Url == "https://partner.example.org/stories/a");
        Assert.Equal("Mayor resigns, deputy steps in", edited.Item.Title);
        Assert.Equal(firstSeen, edited.FirstSeen);
        Assert.Equal(ids, await IdsByLinkAsync("regenerating-edit"));
    }

    [Fact]
    public async Task Poll_EveryItemLinksTheHomePage_NewItemsAreStillAdded()
    {
        // Some feeds give every item the site's home page as its link: the link identifies nothing there.
        const string path = "/home-links.rss";
        await harness.AddPartnerAsync("home-links", path);
        harness.ServeFeed(path, Rss(("g1", "https://partner.example.org/", "One"), ("g2", "https://partner.example.org/", "Two")));
        await harness.Poller.PollAsync("home-links", CancellationToken.None);

        harness.ServeFeed(path, Rss(("g3", "https://partner.example.org/", "Three"), ("g1", "https://partner.example.org/", "One"), ("g2", "https://partner.example.org/", "Two")));
        await harness.Poller.PollAsync("home-links", CancellationToken.None);
        harness.ServeFeed(path, Rss(("g4", "https://partner.example.org/", "Four")));
        await harness.Poller.PollAsync("home-links", CancellationToken.None);

        Assert.Equal(["g1", "g2", "g3", "g4"], await harness.KeysAsync("home-links"));
    }

    [Fact]
    public async Task Poll_NewGuidSharingTheLinkOfAnItemStillListed_IsASecondItem()
    {
        const string path = "/shared-link.rss";
        await harness.AddPartnerAsync("shared-link", path);
        harness.ServeFeed(path, Rss(Story("live-1", "live")));
        await harness.Poller.PollAsync("shared-link", CancellationToken.None);

        // A live blog posts an update as a new item with the same link, and keeps the first one listed.
        harness.ServeFeed(path, Rss(Story("live-2", "live", "Update"), Story("live-1", "live")));
        await harness.Poller.PollAsync("shared-link", CancellationToken.None);

        Assert.Equal(["live-1", "live-2"], await harness.KeysAsync("shared-link"));
    }

    private async Task<Dictionary<string, Guid>> IdsByLinkAsync(string partnerId) =>
        (await harness.Store.GetNewestAsync(partnerId, null, 100, CancellationToken.None))
            .ToDictionary(i => i.Item.Url!, i => PartnerArticles.IdOf(partnerId, i.Item.Key));

    private static (string Guid, string Link, string Title) Story(string guid, string slug, string? title = null) =>
        (guid, $"https://partner.example.org/stories/{slug}", title ?? $"Story {slug}");

    private static string Rss(params (string Guid, string Link, string Title)[] items) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Partner</title><link>https://partner.example.org/</link><description>d</description>
        {string.Concat(items.Select(i => $"<item><title>{i.Title}</title><link>{i.Link}</link><guid isPermaLink=\"false\">{i.Guid}</guid><description>About {i.Title}</description></item>"))}
        </channel></rss>
        """;
}
