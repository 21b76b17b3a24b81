using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;

namespace NewsFeed.Tests.Browser;

/// <summary>
/// Stories that test the browser view's layout: a Hebrew one with a Hebrew byline, one whose title is a single
/// 200-letter word with an Arabic co-author, both tagged with a term whose name carries a &lt;style&gt; element.
/// </summary>
public static class BidiArticles
{
    public const string TagSlug = "style-tag";
    public const string TagName = "CSS <style>body{display:none}</style> tricks";
    public const string HebrewTitle = "ועדת המים מאשרת תוכנית חירום";
    public const string HebrewAuthor = "רות כהן";
    public const string ArabicAuthor = "ليلى حداد";
    public static readonly string LongTitle = string.Concat(Enumerable.Repeat("Donaudampfschiff", 12)) + "fahrt";

    /// <summary>Publishes both, hours before <see cref="NewsFeedApp.Now"/>, in a section of their own (no other test's first item moves).</summary>
    public static async Task PublishAsync(NewsFeedApp app)
    {
        var store = app.Services.GetRequiredService<IArticleStore>();
        await store.UpsertAsync(Article(Guid.Parse("0b1d2a3c-4e5f-4a6b-8c7d-9e0f1a2b3c4d"), "mayim", HebrewTitle, [new Author(HebrewAuthor, "rut-cohen")], hoursAgo: 3, "he"), CancellationToken.None);
        await store.UpsertAsync(Article(Guid.Parse("1c2e3b4d-5f6a-4b7c-9d8e-0f1a2b3c4d5e"), "long-word", LongTitle, [new Author(ArabicAuthor, "layla-haddad"), new Author("Ada Quill", "ada-quill")], hoursAgo: 4, "en"), CancellationToken.None);
    }

    private static Article Article(Guid id, string slug, string title, List<Author> authors, int hoursAgo, string language)
    {
        var published = NewsFeedApp.Now.AddHours(-hoursAgo);
        var article = ArticleRules.Normalize(new Article
        {
            Id = id,
            Slug = slug,
            Url = $"https://news.example.com/bidi/2026/11/24/{slug}",
            Title = title,
            Summary = title,
            Body = "<p>Body.</p>",
            Sections = [new Term("bidi", "Bidi")],
            Tags = [new Term(TagSlug, TagName)],
            Authors = authors,
            Published = published,
            Updated = published,
            Language = language,
        }, ContentSanitizer.Default);
        Assert.Empty(ArticleRules.Validate(article));
        return article;
    }
}
