using System.Text.Json.Serialization;
using NewsFeed.Articles;

namespace NewsFeed.Publishing;

/// <summary>
/// An article as a client sends it to the admin API. Every field is optional here so that a missing one
/// is reported by name, like any other validation error, instead of failing the whole document.
/// </summary>
internal sealed record ArticleInput
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
    /// <summary>Defaults to the time the article is first published (a draft's creation time does not count).</summary>
    [JsonConverter(typeof(Rfc3339Converter))]
    public DateTimeOffset? Published { get; init; }
    /// <summary>
    /// Server-managed unless given: a change to the article moves it to the time of the write. A value
    /// not later than the stored one (a client sending back what it read) counts as not given.
    /// </summary>
    [JsonConverter(typeof(Rfc3339Converter))]
    public DateTimeOffset? Updated { get; init; }
    public string? Language { get; init; }
    /// <summary>draft, published (the default) or retracted.</summary>
    public ArticleStatus? Status { get; init; }
    [JsonConverter(typeof(Rfc3339Converter))]
    public DateTimeOffset? EmbargoUntil { get; init; }
    public HeroImage? Image { get; init; }

    /// <summary>
    /// The article this input makes, given what is stored under the id. Returns null with errors when a
    /// required field is missing. <c>updated</c> keeps the stored value here; the publisher moves it to the
    /// time of the write if the article changed (see <see cref="ServerMovesUpdated"/>), so sending the same
    /// document twice writes nothing the second time.
    /// </summary>
    public Article? ToArticle(Guid id, Article? previous, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (Id is { } given && given != id) errors["id"] = ["The id in the body must match the id in the URL."];
        if (string.IsNullOrWhiteSpace(Title)) errors["title"] = ["The field is required."];
        if (string.IsNullOrWhiteSpace(Slug)) errors["slug"] = ["The field is required."];
        if (string.IsNullOrWhiteSpace(Url)) errors["url"] = ["The field is required."];
        if (errors.Count > 0) return null;

        var status = Status ?? previous?.Status ?? ArticleStatus.Published;
        // Not given: kept once the article has left draft; a draft being published goes out now, not at the
        // time the draft was started; a draft that stays one keeps its time, so the same PUT stays idempotent.
        var published = Published
            ?? (previous is not null && (previous.Status != ArticleStatus.Draft || status == ArticleStatus.Draft) ? previous.Published : now);
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
            Updated = (Updated is { } sentUpdated && (previous is null || sentUpdated > previous.Updated) ? sentUpdated : (DateTimeOffset?)null)
                ?? (previous is not null && previous.Updated > published ? previous.Updated : published),
            Language = Language ?? "en",
            Status = status,
            EmbargoUntil = EmbargoUntil,
            Image = Image,
        };
        return article;
    }

    /// <summary>
    /// Whether the server moves <c>updated</c> if the article differs from what is stored: yes unless the
    /// client sent a later <c>updated</c> of its own.
    /// </summary>
    public bool ServerMovesUpdated(Article? previous) => previous is not null && !(Updated is { } sent && sent > previous.Updated);
}
