using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using NewsFeed.Tests.Publishing;

namespace NewsFeed.Tests.Telemetry;

/// <summary>The NewsFeed activity source's spans: a feed render and an article publish, each with the id it concerns.</summary>
public sealed class ActivityTests
{
    [Fact]
    public async Task RenderAndPublish_StartNewsFeedActivitiesWithTheirIds()
    {
        var seen = new ConcurrentBag<(string Name, string? Tag)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "NewsFeed",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => seen.Add((activity.OperationName,
                activity.GetTagItem("newsfeed.feed") as string ?? activity.GetTagItem("newsfeed.article.id") as string)),
        };
        ActivitySource.AddActivityListener(listener);
        using var app = new NewsFeedApp { Settings = { ["Partners:PollingEnabled"] = "false" } };
        using var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();

        (await admin.GetAsync("/feeds/authors/world-desk.atom")).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/articles/{id}", ArticlesApiTests.NewArticle(id))).EnsureSuccessStatusCode();

        Assert.Contains(seen, span => span.Name == "feed.render" && span.Tag!.StartsWith("feeds/authors/world-desk.atom", StringComparison.Ordinal));
        Assert.Contains(seen, span => span.Name == "article.publish" && span.Tag == id.ToString());
    }
}
