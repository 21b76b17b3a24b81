using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;

namespace NewsFeed.Tests.Articles;

public sealed class ArticleImporterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("newsfeed-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task FirstStart_EmptyStore_ImportsEverySampleArticle()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();

        var store = app.Services.GetRequiredService<IArticleStore>();
        Assert.Equal(Directory.GetFiles(RepoPaths.Articles, "*.json").Length, await store.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Import_SameFolderTwice_WritesNothingTheSecondTime()
    {
        using var app = new NewsFeedApp();
        using var client = app.CreateClient();
        var importer = app.Services.GetRequiredService<ArticleImporter>();
        var revision = await app.Services.GetRequiredService<IArticleStore>().VersionOfAsync(null, CancellationToken.None);

        var report = await importer.ImportDirectoryAsync(RepoPaths.Articles, CancellationToken.None);

        Assert.Equal(0, report.Created + report.Updated);
        Assert.Empty(report.Failed);
        Assert.Equal(revision, await app.Services.GetRequiredService<IArticleStore>().VersionOfAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Import_BadFiles_AreRejectedWithReasonsAndOthersImported()
    {
        File.Copy(Directory.GetFiles(RepoPaths.Articles, "*.json").Order(StringComparer.Ordinal).First(), Path.Combine(_folder, "good.json"));
        File.WriteAllText(Path.Combine(_folder, "truncated.json"), "{\"id\": \"6f1c1d7e-8a0b-4c55-9a53-2b0a7f9d1e0");
        File.WriteAllText(Path.Combine(_folder, "not-an-object.json"), "[1, 2, 3]");
        File.WriteAllText(Path.Combine(_folder, "missing-title.json"), """
            {"id": "0b0a7f9d-1e01-4c55-9a53-6f1c1d7e8a0b", "slug": "x", "url": "https://news.example.com/x",
             "published": "2026-11-01T00:00:00Z", "updated": "2026-11-01T00:00:00Z"}
            """);
        File.WriteAllText(Path.Combine(_folder, "relative-url.json"), """
            {"id": "1b0a7f9d-1e01-4c55-9a53-6f1c1d7e8a0b", "slug": "y", "url": "/world/y", "title": "T",
             "published": "2026-11-01T00:00:00Z", "updated": "2026-10-01T00:00:00Z", "sections": [{"slug": "Bad Slug", "name": "S"}]}
            """);

        using var app = new NewsFeedApp { SeedDirectory = _folder };
        using var client = app.CreateClient();
        var report = await app.Services.GetRequiredService<ArticleImporter>().ImportDirectoryAsync(_folder, CancellationToken.None);

        Assert.Equal(1, await app.Services.GetRequiredService<IArticleStore>().CountAsync(CancellationToken.None));
        var reasons = report.Failed.ToDictionary(f => f.File, f => f.Reason);
        Assert.Equal(4, reasons.Count);
        Assert.Contains("title", reasons["missing-title.json"], StringComparison.Ordinal);
        Assert.Contains("url", reasons["relative-url.json"], StringComparison.Ordinal);
        Assert.Contains("updated", reasons["relative-url.json"], StringComparison.Ordinal);
        Assert.Contains("sections[0].slug", reasons["relative-url.json"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/feeds/latest.rss")).StatusCode);
    }

    [Theory]
    [InlineData("url", "https://news.example.com/a\u0001b")]
    [InlineData("url", "https://news.example.com/a b")]
    [InlineData("url", "javascript:alert(1)")]
    [InlineData("authors[0].email", "x\u0001@news.example.com")]
    [InlineData("authors[0].url", "https://news.example.com/\u0007")]
    [InlineData("image.type", "image/\u0001jpeg")]
    [InlineData("image.type", "text/html")]
    [InlineData("image.url", "/relative.jpg")]
    public void Validate_StructuralFieldWithUnsafeCharacters_IsRejectedNamingIt(string field, string value)
    {
        var article = new Article
        {
            Id = Guid.NewGuid(),
            Slug = "s",
            Url = field == "url" ? value : "https://news.example.com/s",
            Title = "T",
            Authors = [new Author("A", "a", field == "authors[0].url" ? value : null, field == "authors[0].email" ? value : null)],
            Image = new HeroImage(field == "image.url" ? value : "https://news.example.com/i.jpg", Type: field == "image.type" ? value : "image/jpeg"),
            Published = DateTimeOffset.UnixEpoch,
            Updated = DateTimeOffset.UnixEpoch,
        };

        Assert.Contains(field, ArticleRules.Validate(article).Keys);
    }

    [Fact]
    public void Normalize_HostileBody_KeepsTextDropsScriptAndMakesUrlsAbsolute()
    {
        var article = new Article
        {
            Id = Guid.NewGuid(),
            Slug = "s",
            Url = "https://news.example.com/world/2026/11/01/s",
            Title = "T",
            Body = """<p onclick="x()">Text <a href="/other">link</a><a href="javascript:alert(1)">bad</a></p><script>alert(1)</script><img src="pic.jpg" onerror="alert(1)"><iframe src="https://evil.example"></iframe>""",
            Published = DateTimeOffset.UnixEpoch,
            Updated = DateTimeOffset.UnixEpoch,
        };

        var body = ArticleRules.Normalize(article, ContentSanitizer.Default).Body;

        Assert.Contains("Text", body, StringComparison.Ordinal);
        Assert.Contains("href=\"https://news.example.com/other\"", body, StringComparison.Ordinal);
        Assert.Contains("src=\"https://news.example.com/world/2026/11/01/pic.jpg\"", body, StringComparison.Ordinal);
        foreach (var banned in new[] { "script", "onclick", "onerror", "javascript:", "iframe" })
        {
            Assert.DoesNotContain(banned, body, StringComparison.OrdinalIgnoreCase);
        }
    }
}
