using System.Diagnostics;
using System.Text.Json;
using NewsFeed.Articles;

namespace NewsFeed.Publishing;

/// <summary>
/// The one write path of the admin API: validate, clean, store durably. The store moves the version of exactly
/// the feeds the article was or is in, so the next GET of any of them renders afresh, and writes the hub pings
/// to its outbox in the same transaction; they are sent in the background and never hold up or fail the write.
/// </summary>
internal sealed partial class ArticlePublisher(
    IArticleStore store,
    ContentSanitizer html,
    EmbargoLiftAnnouncer embargoes,
    TimeProvider time,
    PublishingMetrics metrics,
    ILogger<ArticlePublisher> logger)
{
    /// <summary>
    /// Stores the article, or returns the validation errors keyed by field and stores nothing. With
    /// <paramref name="createOnly"/>, an existing id is a conflict (Result and Errors both empty). With
    /// <paramref name="correctionOf"/>, the stored version: if the article differs from it, this is a
    /// correction and <c>updated</c> moves to now (ids and guids stay).
    /// </summary>
    public async Task<(UpsertResult? Result, Dictionary<string, string[]> Errors)> SaveAsync(
        Article article, CancellationToken cancellationToken, bool createOnly = false, Article? correctionOf = null)
    {
        using var activity = NewsFeedActivity.Source.StartActivity("article.publish");
        activity?.SetTag("newsfeed.article.id", article.Id.ToString());
        var started = Stopwatch.GetTimestamp();
        var errors = ArticleRules.Validate(article);
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var normalized = ArticleRules.Normalize(article, html);
        if (correctionOf is not null && !SameContent(normalized, correctionOf))
        {
            var now = time.GetUtcNow();
            normalized = normalized with { Updated = now > normalized.Published ? now : normalized.Published };
        }
        var result = createOnly
            ? await store.CreateAsync(normalized, cancellationToken)
            : await store.UpsertAsync(normalized, cancellationToken);
        if (result is null)
        {
            return (null, errors);
        }
        if (result.Outcome != UpsertOutcome.Unchanged)
        {
            if (normalized.EmbargoUntil is not null) embargoes.Wake();
            LogSaved(article.Id, result.Outcome, article.Status, result.ChangedFeeds.Count);
        }
        metrics.Published(result.Outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return (result, errors);
    }

    /// <summary>Retracts the article: it leaves every feed, its record stays. Null when there is no such article.</summary>
    public async Task<UpsertResult?> RetractAsync(Guid id, CancellationToken cancellationToken)
    {
        var article = await store.GetAsync(id, cancellationToken);
        if (article is null) return null;
        if (article.Status == ArticleStatus.Retracted) return new UpsertResult(UpsertOutcome.Unchanged, article, []);
        var now = time.GetUtcNow();
        var (result, _) = await SaveAsync(article with { Status = ArticleStatus.Retracted, Updated = now > article.Updated ? now : article.Updated }, cancellationToken);
        return result;
    }

    private static bool SameContent(Article candidate, Article stored) =>
        JsonSerializer.Serialize(candidate with { Updated = stored.Updated }, ArticleJson.Default.Article)
        == JsonSerializer.Serialize(stored, ArticleJson.Default.Article);

    [LoggerMessage(Level = LogLevel.Information, Message = "Article {ArticleId} {Outcome} as {Status}; {Feeds} feeds invalidated")]
    private partial void LogSaved(Guid articleId, UpsertOutcome outcome, ArticleStatus status, int feeds);
}
