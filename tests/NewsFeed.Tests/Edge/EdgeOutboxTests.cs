using Microsoft.Extensions.Time.Testing;
using NewsFeed.Articles;
using NewsFeed.Storage;
using NewsFeed.Tests.Articles;
using NewsFeed.Tests.Storage;

namespace NewsFeed.Tests.Edge;

/// <summary>
/// What a write queues for the edge, on both engines: the feeds and archive months of the version it replaced and
/// of the one it wrote, in the write's transaction, for recipients that take archive topics; hubs get the feeds only.
/// </summary>
public sealed class EdgeOutboxTests
{
    private const string Hub = "https://hub.example/";
    private const string Purger = "varnish http://127.0.0.1:6081/";
    private static readonly DateTimeOffset November = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Theory, OnSqlite, OnPostgres]
    public async Task CorrectionMovingAnArchivedStory_QueuesBothVersionsFeedsAndMonths_ArchivesForThePurgerOnly(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var recipients = new OutboxRecipients([Hub, Purger], [Purger]);
        var store = db.Articles(new FakeTimeProvider(November.AddMonths(1)), recipients);
        var outbox = db.Outbox();
        var story = ArticleStoreContractTests.Article("story", November);
        await store.UpsertAsync(story, CancellationToken.None);
        await DrainAsync(outbox, Hub);
        await DrainAsync(outbox, Purger);

        // A correction that moves the story to another section and to October.
        var moved = story with { Title = "Corrected", Sections = [new Term("business", "Business")], Published = November.AddMonths(-1), Updated = November.AddDays(1) };
        await store.UpsertAsync(moved, CancellationToken.None);

        string[] feeds = ["latest", "sections/world", "sections/business", "authors/writer", "tags/tag-story"];
        var months = feeds.Where(feed => feed != "sections/business").Select(feed => feed + "/archive/2026-11")
            .Concat(feeds.Where(feed => feed != "sections/world").Select(feed => feed + "/archive/2026-10"));
        Assert.Equal(feeds.Order(StringComparer.Ordinal), await DrainAsync(outbox, Hub));
        Assert.Equal(feeds.Concat(months).Order(StringComparer.Ordinal), await DrainAsync(outbox, Purger));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Retraction_QueuesTheRetractedVersionsFeedsAndMonth(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var recipients = new OutboxRecipients([Purger], [Purger]);
        var store = db.Articles(new FakeTimeProvider(November.AddDays(1)), recipients);
        var outbox = db.Outbox();
        var story = ArticleStoreContractTests.Article("story", November);
        await store.UpsertAsync(story, CancellationToken.None);
        await DrainAsync(outbox, Purger);

        await store.UpsertAsync(story with { Status = ArticleStatus.Retracted }, CancellationToken.None);

        string[] feeds = ["latest", "sections/world", "authors/writer", "tags/tag-story"];
        Assert.Equal(feeds.Concat(feeds.Select(feed => feed + "/archive/2026-11")).Order(StringComparer.Ordinal), await DrainAsync(outbox, Purger));
    }

    /// <summary>Claims and completes every message of one recipient: their topics, in order.</summary>
    private static async Task<List<string>> DrainAsync(IOutbox outbox, string recipient)
    {
        var now = DateTimeOffset.UtcNow.AddYears(5);
        var claimed = await outbox.ClaimAsync(recipient, "test", now, TimeSpan.FromMinutes(1), 1000, CancellationToken.None);
        foreach (var message in claimed) await outbox.CompleteAsync(message, "test", now, CancellationToken.None);
        return [.. claimed.Select(message => message.Topic).Order(StringComparer.Ordinal)];
    }
}
