using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;
using NewsFeed.Storage;
using NewsFeed.Tests.Feeds;
using NewsFeed.Tests.WebSub;
using NewsFeed.WebSub;

namespace NewsFeed.Tests.Publishing;

/// <summary>The edges of the write path: races, drafts, corrections sent back by clients, limits.</summary>
public sealed class PublishingEdgeTests
{
    [Fact]
    public async Task ParallelPostsOfOneId_CreateOnce_TheRestAre409()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        var responses = await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 4).Select(i =>
            admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle(id, $"Attempt {i}")))));

        foreach (var group in responses.GroupBy(r => r.Headers.Location?.OriginalString ?? ""))
        {
            Assert.DoesNotContain(responses, r => r.StatusCode == HttpStatusCode.OK);
        }
        Assert.Equal(ids.Count, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(responses.Length - ids.Count, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task RetractingADraft_RevealsNoFeed()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();
        var draft = ArticlesApiTests.NewArticle(id);
        draft["status"] = "draft";
        draft["tags"] = new JsonArray(new JsonObject { ["slug"] = "merger-with-acme", ["name"] = "Merger with Acme" });
        (await admin.PutAsJsonAsync($"/api/articles/{id}", draft)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/articles/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/feeds/tags/merger-with-acme.json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/feeds/sections/science.rss")).StatusCode);
        Assert.Equal("retracted", (string?)(await admin.GetFromJsonAsync<JsonObject>($"/api/articles/{id}"))!["status"]);
    }

    [Fact]
    public async Task DraftPublishedLater_GoesOutAtThePublishTime_AndPutWithoutStatusKeepsItADraft()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();
        var draft = ArticlesApiTests.NewArticle(id);
        draft.Remove("published");
        draft["status"] = "draft";
        (await admin.PutAsJsonAsync($"/api/articles/{id}", draft)).EnsureSuccessStatusCode();
        app.Time.Advance(TimeSpan.FromDays(2));

        // An edit that leaves "status" out keeps the draft a draft.
        draft.Remove("status");
        draft["title"] = "Edited draft";
        (await admin.PutAsJsonAsync($"/api/articles/{id}", draft)).EnsureSuccessStatusCode();
        Assert.Equal("draft", (string?)(await admin.GetFromJsonAsync<JsonObject>($"/api/articles/{id}"))!["status"]);
        app.Time.Advance(TimeSpan.FromDays(1));

        draft["status"] = "published";
        var published = (await (await admin.PutAsJsonAsync($"/api/articles/{id}", draft)).Content.ReadFromJsonAsync<JsonObject>())!;

        var publishTime = NewsFeedApp.Now.AddDays(3);
        Assert.Equal(publishTime, DateTimeOffset.Parse((string)published["published"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(publishTime, DateTimeOffset.Parse((string)published["updated"]!, System.Globalization.CultureInfo.InvariantCulture));
        var latest = JsonNode.Parse(await admin.GetStringAsync("/feeds/latest.json"))!["items"]![0]!;
        Assert.Equal("Edited draft", (string?)latest["title"]);
    }

    [Fact]
    public async Task ClientSendingBackTheUpdatedItRead_StillMovesUpdatedOnACorrection()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();
        var created = (await (await admin.PutAsJsonAsync($"/api/articles/{id}", ArticlesApiTests.NewArticle(id))).Content.ReadFromJsonAsync<JsonObject>())!;
        app.Time.Advance(TimeSpan.FromMinutes(20));

        // Read, edit, write back the whole document, "updated" included.
        created["title"] = "Corrected title";
        var corrected = (await (await admin.PutAsJsonAsync($"/api/articles/{id}", created)).Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal("2026-11-24T12:20:00+00:00", (string?)corrected["updated"]);
    }

    [Fact]
    public async Task EmbargoLift_PingsTheFeedsTheArticleEntered()
    {
        using var hubs = WireMock.Server.WireMockServer.Start();
        hubs.Given(WireMock.RequestBuilders.Request.Create().UsingPost()).RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(204));
        using var app = new NewsFeedApp { Settings = { ["WebSub:Hubs:0"] = hubs.Url + "/hub" } };
        using var admin = app.CreateAdminClient();
        var article = ArticlesApiTests.NewArticle();
        article["embargoUntil"] = "2026-11-24T12:30:00Z";

        (await admin.PostAsJsonAsync("/api/articles", article)).EnsureSuccessStatusCode();
        // Nothing is public yet, so no ping is even queued (and no secret tag URL leaks to a third party).
        var outbox = app.Services.GetRequiredService<IOutbox>();
        Assert.Equal(0, await outbox.CountPendingAsync(CancellationToken.None));
        Assert.Empty(hubs.LogEntries);

        app.Time.Advance(TimeSpan.FromMinutes(31));

        await Eventually.WaitUntilAsync(async () => hubs.LogEntries.Count >= 12 && await outbox.CountPendingAsync(CancellationToken.None) == 0, TimeSpan.FromSeconds(20),
            () => $"{hubs.LogEntries.Count} of 12 pings reached the hub.");
        var topics = hubs.LogEntries.Select(e => WebSubTests.Form(e.RequestMessage.Body!)["hub.url"]).ToHashSet();
        Assert.Equal(12, topics.Count);
        Assert.Contains("http://localhost/feeds/tags/space-weather.atom", topics);
    }

    [Fact]
    public async Task WriteFromAnotherProcess_BetweenOurOwnWrites_IsStillNoticed()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var store = app.Services.GetRequiredService<IArticleStore>();
        Assert.DoesNotContain("A new story", await admin.GetStringAsync("/feeds/sections/world.rss"), StringComparison.Ordinal);

        // The import command writes, then the server writes before its watcher looks at the file.
        using (var outside = new SqliteArticleStore(new SqliteFile(app.DatabasePath)))
        {
            await outside.UpsertAsync(FeedInvalidationTests.SampleArticle(NewsFeedApp.Now.AddHours(-1)), CancellationToken.None);
        }
        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle())).EnsureSuccessStatusCode();
        await store.CatchUpAsync(CancellationToken.None);

        Assert.Contains("A new story", await admin.GetStringAsync("/feeds/sections/world.rss"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MoreInvalidFields() => new()
    {
        { """ "published":"2026-11-24T10:00:00" """, "published" },
        { """ "embargoUntil":"2026-11-24 10:00:00Z" """, "embargoUntil" },
        { """ "language":"en-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd-eeeeeeee" """, "language" },
        { $$""" "authors":[{"name":"A","slug":"a","bio":"{{new string('b', 2_001)}}"}] """, "authors[0].bio" },
        { $$""" "image":{"url":"https://x.example/a.jpg","caption":"{{new string('c', 1_001)}}"} """, "image.caption" },
        { $$""" "image":{"url":"https://x.example/a.jpg","alt":"{{new string('a', 301)}}"} """, "image.alt" },
        { $$""" "image":{"url":"https://x.example/a.jpg","credit":"{{new string('a', 301)}}"} """, "image.credit" },
        { """ "authors":[{"name":null,"slug":"a"}] """, "authors[0].name" },
        { $$""" "body":"{{string.Concat(Enumerable.Repeat("<div>", 300))}}" """, "body" },
    };

    [Theory]
    [MemberData(nameof(MoreInvalidFields))]
    public async Task Post_MoreInvalidFields_Are400NamingTheField(string field, string name)
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var json = $$"""{"title":"T","slug":"a-story","url":"https://news.example.com/a",{{field}}}""";

        using var response = await admin.PostAsync("/api/articles", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(name), errors.ToJsonString());
    }

    [Fact]
    public async Task Post_ThousandsOfBadTags_AnswerStaysSmall()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();
        var article = ArticlesApiTests.NewArticle();
        article["tags"] = new JsonArray([.. Enumerable.Range(0, 20_000).Select(_ => (JsonNode)new JsonObject { ["slug"] = "", ["name"] = "" })]);

        using var response = await admin.PostAsJsonAsync("/api/articles", article);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 20_000, $"{body.Length} characters");
        Assert.True(JsonNode.Parse(body)!["errors"]!.AsObject().ContainsKey("tags"));
    }
}
