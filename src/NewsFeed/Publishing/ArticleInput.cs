using System.Text.Json;
using System.Text.Json.Serialization;
using NewsFeed.Articles;

namespace NewsFeed.Publishing;

/// <summary>
/// An article as a client sends it to the admin API. Every field is optional here so that a missing one
/// is reported by name, like any other validation error, instead of failing the whole document.
/// </summary>
public sealed record ArticleInput
{
    /// <summary>Optional on POST (a new id is made); on PUT it must match the URL when given.</summary>
    public Guid? Id { get; init; }
    public string? Slug { get; init; }
    public string? Url { get; init; }
    public string? Title { get; init; }
    public string? Summary { get; init; }
    public string? Body { get; init; }
    public IReadOnlyList<Author>? Authors { get; init; }
    public IReadOnlyList<Term>? Sections { get; init; }
    public IReadOnlyList<Term>? Tags { get; init; }
    /// <summary>Defaults to the time of the first publish.</summary>
    public DateTimeOffset? Published { get; init; }
    /// <summary>Server-managed unless given: a change to the article moves it to the time of the write.</summary>
    public DateTimeOffset? Updated { get; init; }
    public string? Language { get; init; }
    /// <summary>draft, published (the default) or retracted.</summary>
    public ArticleStatus? Status { get; init; }
    public DateTimeOffset? EmbargoUntil { get; init; }
    public HeroImage? Image { get; init; }

    /// <summary>
    /// The article this input makes, given what is stored under the id. Returns null with errors when a
    /// required field is missing. <c>updated</c> moves to <paramref name="now"/> only when the content
    /// changed, so sending the same document twice writes nothing the second time.
    /// </summary>
    public Article? ToArticle(Guid id, Article? previous, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (Id is { } given && given != id) errors["id"] = ["The id in the body must match the id in the URL."];
        if (string.IsNullOrWhiteSpace(Title)) errors["title"] = ["The field is required."];
        if (string.IsNullOrWhiteSpace(Slug)) errors["slug"] = ["The field is required."];
        if (string.IsNullOrWhiteSpace(Url)) errors["url"] = ["The field is required."];
        if (errors.Count > 0) return null;

        var published = Published ?? previous?.Published ?? now;
        var article = new Article
        {
            Id = id,
            Slug = Slug!,
            Url = Url!,
            Title = Title!,
            Summary = Summary ?? "",
            Body = Body ?? "",
            Authors = Authors ?? [],
            Sections = Sections ?? [],
            Tags = Tags ?? [],
            Published = published,
            Updated = Updated ?? previous?.Updated ?? published,
            Language = Language ?? "en",
            Status = Status ?? ArticleStatus.Published,
            EmbargoUntil = EmbargoUntil,
            Image = Image,
        };
        if (Updated is null && previous is not null && !SameContent(ArticleRules.Normalize(article), previous))
        {
            // A correction: the id and guid stay, "updated" (Atom updated, JSON Feed date_modified) moves.
            article = article with { Updated = now > published ? now : published };
        }
        return article;
    }

    private static bool SameContent(Article candidate, Article stored) =>
        JsonSerializer.Serialize(candidate with { Updated = stored.Updated }, ArticleJson.Default.Article)
        == JsonSerializer.Serialize(stored, ArticleJson.Default.Article);
}

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    // A misspelt field is an error the client should hear about, not a silently dropped value.
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    MaxDepth = 16)]
[JsonSerializable(typeof(ArticleInput))]
[JsonSerializable(typeof(Article))]
[JsonSerializable(typeof(ArticleList))]
internal sealed partial class PublishingJson : JsonSerializerContext;

/// <summary>A page of the admin article list.</summary>
public sealed record ArticleList(IReadOnlyList<Article> Articles, int Page, int Limit, string? Next);
