using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;

namespace NewsFeed.Tests.Embed;

/// <summary>A story whose title is markup that would run script if any page ever treated it as HTML.</summary>
public static class HostileArticle
{
    public const string Title = "<img src=x onerror=alert(1)>";

    public static readonly Guid Id = Guid.Parse("5f0c8a52-6d1e-4a7f-9c43-1b2d3e4f5a6b");

    /// <summary>Publishes it in "world", an hour before <see cref="NewsFeedApp.Now"/>, so it leads every list it is in.</summary>
    public static async Task PublishAsync(NewsFeedApp app)
    {
        var published = NewsFeedApp.Now.AddHours(-1);
        var article = ArticleRules.Normalize(new Article
        {
            Id = Id,
            Slug = "hostile-title",
            Url = "https://news.example.com/world/2026/11/24/hostile-title",
            Title = Title,
            Summary = "<script>alert(2)</script> A summary that is also markup.",
            Body = "<p>Body.</p>",
            Sections = [new Term("world", "World")],
            Authors = [new Author("World Desk", "world-desk")],
            Published = published,
            Updated = published,
        }, ContentSanitizer.Default);
        Assert.Empty(ArticleRules.Validate(article));
        await app.Services.GetRequiredService<IArticleStore>().UpsertAsync(article, CancellationToken.None);
    }
}
