using System.Text.Json;
using NewsFeed.Articles;
using NewsFeed.Tests.Storage;
using static NewsFeed.Tests.Articles.ArticleStoreContractTests;

namespace NewsFeed.Tests.Articles;

/// <summary>
/// A feed read gives a document larger than <see cref="ArticleStoreReads.WholeDocumentChars"/> without its body and
/// says how long the body is (<see cref="KeyedRow{T}.UnreadBody"/>), so the byte budget can leave it unread;
/// <see cref="IArticleStore.GetAtAsync"/> gives it whole. Every other field comes back as stored. On both engines.
/// </summary>
public sealed class ArticleStoreLongDocumentTests
{
    private static readonly TermRef World = new(TermKind.Section, "world");

    [Theory, OnSqlite, OnPostgres]
    public async Task FeedReads_LongDocument_LeaveItsBodyUnreadAndSayHowLong(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        // Non-ASCII, characters outside the BMP and markup in the fields the read keeps and in the body it leaves.
        var body = "<p>" + string.Concat(Enumerable.Repeat("Ünïcödé “quotes” & <b>tags</b> 🗞 עברית. ", 2_000)) + "</p>";
        var long1 = Article("long", Start.AddHours(2)) with { Title = "A “long” read 🗞 & <more>", Summary = "Sommaire: été", Body = body };
        var small = Article("small", Start.AddHours(1));
        await store.UpsertAsync(long1, CancellationToken.None);
        await store.UpsertAsync(small, CancellationToken.None);
        var now = Start.AddDays(1);

        foreach (var rows in new[] { await ReadAsync(store.ReadNewestAsync(World, now, RowKey.Top, 10, CancellationToken.None)),
                                     await ReadAsync(store.ReadArchivedAsync(null, now, Start, RowKey.Top, 10, CancellationToken.None)) })
        {
            Assert.Equal(["long", "small"], rows.Select(r => r.Item.Slug));
            var (longRow, smallRow) = (rows[0], rows[1]);
            Assert.Equal(body.EnumerateRunes().Count(), longRow.UnreadBody);
            Assert.Equal("", longRow.Item.Body);
            Assert.Equal(Json(long1 with { Body = "" }), Json(longRow.Item));
            Assert.Equal(0, smallRow.UnreadBody);
            Assert.Equal(Json(small), Json(smallRow.Item));

            var whole = await store.GetAtAsync(longRow.Key, CancellationToken.None);
            Assert.Equal(Json(long1), Json(whole));
        }

        // Whole for callers that want articles, not rows (headlines, the admin).
        Assert.Equal(Json(long1), Json((await store.GetNewestAsync(null, now, 1, CancellationToken.None))[0]));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task GetAt_RetractedOrUnknownPosition_IsNull(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Articles();
        var article = Article("gone", Start) with { Body = new string('x', ArticleStoreReads.WholeDocumentChars * 2) };
        await store.UpsertAsync(article, CancellationToken.None);
        var row = (await ReadAsync(store.ReadNewestAsync(null, Start.AddDays(1), RowKey.Top, 1, CancellationToken.None)))[0];

        Assert.Null(await store.GetAtAsync(new RowKey(row.Key.Time, row.Key.Seq + 1_000), CancellationToken.None));
        await store.UpsertAsync(article with { Status = ArticleStatus.Retracted, Updated = Start.AddHours(1) }, CancellationToken.None);
        Assert.Null(await store.GetAtAsync(row.Key, CancellationToken.None));
    }

    private static async Task<List<KeyedRow<Article>>> ReadAsync(IAsyncEnumerable<KeyedRow<Article>> rows)
    {
        var list = new List<KeyedRow<Article>>();
        await foreach (var row in rows) list.Add(row);
        return list;
    }

    private static string Json(Article? article) => JsonSerializer.Serialize(article, ArticleJson.Default.Article!);
}
