using System.Text.Json;

namespace NewsFeed.Articles;

/// <summary>
/// Fills the store from a folder of article JSON files (the shape of <see cref="Article"/>).
/// Idempotent: an unchanged file writes nothing. A bad file is reported and skipped; it never
/// stops the others or touches what the store already holds. The feeds an import changes are announced to the
/// WebSub hubs (through the store's outbox) unless it is the first start's seeding.
/// </summary>
internal sealed partial class ArticleImporter(IArticleStore store, ContentSanitizer html, ILogger<ArticleImporter> logger)
{
    public async Task<ImportReport> ImportDirectoryAsync(string directory, CancellationToken cancellationToken, bool announce = true)
    {
        var report = new ImportReport();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            try
            {
                await using var stream = File.OpenRead(file);
                var article = await JsonSerializer.DeserializeAsync(stream, ArticleJson.Default.Article, cancellationToken)
                    ?? throw new JsonException("The file holds null.");
                var errors = ArticleRules.Validate(article);
                if (errors.Count > 0)
                {
                    var reason = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
                    report.Failed.Add((name, reason));
                    LogRejected(name, reason);
                    continue;
                }
                var result = await store.UpsertAsync(ArticleRules.Normalize(article, html), announce, cancellationToken);
                report.Count(result.Outcome);
            }
            catch (JsonException exception)
            {
                report.Failed.Add((name, exception.Message));
                LogRejected(name, exception.Message);
            }
        }
        LogImported(directory, report.Created, report.Updated, report.Unchanged, report.Failed.Count);
        return report;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Article file {File} rejected: {Reason}")]
    private partial void LogRejected(string file, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Directory}: {Created} created, {Updated} updated, {Unchanged} unchanged, {Failed} rejected")]
    private partial void LogImported(string directory, int created, int updated, int unchanged, int failed);
}

internal sealed class ImportReport
{
    public int Created { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }
    public List<(string File, string Reason)> Failed { get; } = [];

    internal void Count(UpsertOutcome outcome)
    {
        switch (outcome)
        {
            case UpsertOutcome.Created: Created++; break;
            case UpsertOutcome.Updated: Updated++; break;
            default: Unchanged++; break;
        }
    }
}
