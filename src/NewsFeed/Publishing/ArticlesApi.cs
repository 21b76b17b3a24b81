using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NewsFeed.Admin;
using NewsFeed.Articles;

namespace NewsFeed.Publishing;

/// <summary>
/// The admin API for articles: <c>GET/POST /api/articles</c>, <c>GET/PUT/DELETE /api/articles/{id}</c>.
/// Every error is an RFC 9457 problem document; validation errors name each bad field.
/// </summary>
internal static class ArticlesApi
{
    public static IEndpointRouteBuilder MapArticlesApi(this IEndpointRouteBuilder app)
    {
        var articles = app.MapAdminGroup("/api/articles").WithTags("Articles")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        articles.MapGet("/", ListAsync)
            .WithSummary("Lists articles of every status, newest first.");
        articles.MapGet("/{id:guid}", GetAsync)
            .WithSummary("One article as stored (sanitized, absolute URLs, UTC).");
        articles.MapPost("/", CreateAsync)
            .Accepts<ArticleInput>("application/json")
            .Produces<Article>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Publishes a new article (or stores a draft); the id is made when not given.");
        articles.MapPut("/{id:guid}", PutAsync)
            .Accepts<ArticleInput>("application/json")
            .Produces<Article>(StatusCodes.Status200OK)
            .Produces<Article>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Creates or replaces the article with this id. Idempotent: the same document twice changes nothing.");
        articles.MapDelete("/{id:guid}", DeleteAsync)
            .WithSummary("Retracts the article: it leaves every feed at once.");
        return app;
    }

    private static async Task<Results<Ok<ArticleList>, ValidationProblem>> ListAsync(
        IArticleStore store, HttpContext context, string? status, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        ArticleStatus? filter = null;
        if (status is not null)
        {
            filter = status switch
            {
                "draft" => ArticleStatus.Draft,
                "published" => ArticleStatus.Published,
                "retracted" => ArticleStatus.Retracted,
                _ => null,
            };
            if (filter is null) errors["status"] = ["The status must be draft, published or retracted."];
        }
        var limit = QueryParameters.BoundedInt(context.Request.Query, "limit", 50, 500, errors);
        var page = QueryParameters.BoundedInt(context.Request.Query, "page", 1, 100_000, errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The query is not valid.");

        var rows = await ListPage<Article>.ReadAsync(page, limit, (offset, count) => store.ListAsync(filter, offset, count, cancellationToken));
        var next = rows.HasNext
            ? $"/api/articles?page={(page + 1).ToString(CultureInfo.InvariantCulture)}&limit={limit.ToString(CultureInfo.InvariantCulture)}" + (status is null ? "" : "&status=" + filter!.Value.ToString().ToLowerInvariant())
            : null;
        return TypedResults.Ok(new ArticleList(rows.Items, page, limit, next));
    }

    private static async Task<Results<Ok<Article>, ProblemHttpResult>> GetAsync(Guid id, IArticleStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } article ? TypedResults.Ok(article) : NotFound(id);

    private static async Task<IResult> CreateAsync(HttpContext context, IArticleStore store, ArticlePublisher publisher, TimeProvider time, IOptions<PublishingOptions> options)
    {
        var (input, problem) = await ReadAsync(context, options.Value.MaxRequestBytes);
        if (input is null) return problem!;
        var id = input.Id ?? Guid.NewGuid();
        return await SaveAsync(input, id, null, store, publisher, time, context.RequestAborted, createOnly: true);
    }

    private static async Task<IResult> PutAsync(Guid id, HttpContext context, IArticleStore store, ArticlePublisher publisher, TimeProvider time, IOptions<PublishingOptions> options)
    {
        var (input, problem) = await ReadAsync(context, options.Value.MaxRequestBytes);
        if (input is null) return problem!;
        var previous = await store.GetAsync(id, context.RequestAborted);
        return await SaveAsync(input, id, previous, store, publisher, time, context.RequestAborted);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, ArticlePublisher publisher, CancellationToken cancellationToken) =>
        await publisher.RetractAsync(id, cancellationToken) is null ? NotFound(id) : TypedResults.NoContent();

    private static async Task<IResult> SaveAsync(ArticleInput input, Guid id, Article? previous, IArticleStore store, ArticlePublisher publisher, TimeProvider time, CancellationToken cancellationToken, bool createOnly = false)
    {
        var errors = new Dictionary<string, string[]>();
        var article = input.ToArticle(id, previous, time.GetUtcNow(), errors);
        if (article is null) return Invalid(errors);
        var (result, validation) = await publisher.SaveAsync(article, cancellationToken, createOnly, input.ServerMovesUpdated(previous) ? previous : null);
        if (result is null && validation.Count == 0)
        {
            // Checked under the store's write lock: two POSTs of one id cannot both create it.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The article exists",
                detail: $"An article with id {id} exists; change it with PUT /api/articles/{id}.");
        }
        if (result is null) return Invalid(validation);
        var location = $"/api/articles/{id}";
        var stored = await store.GetAsync(id, cancellationToken);
        return result.Outcome == UpsertOutcome.Created ? TypedResults.Created(location, stored) : TypedResults.Ok(stored);
    }

    /// <summary>
    /// Reads the JSON body with a size cap. Wrong media type: 415; too large: 413; not JSON or a wrong
    /// type for a field: 400 naming the field from the reader's JSON path.
    /// </summary>
    private static async Task<(ArticleInput? Input, IResult? Problem)> ReadAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON is required",
                detail: "Send the article as 'Content-Type: application/json'."));
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes) return (null, TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        try
        {
            var input = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), PublishingJson.Default.ArticleInput);
            return input is null ? (null, Invalid(new() { ["$"] = ["The body must be a JSON object."] })) : (input, null);
        }
        catch (JsonException exception)
        {
            var field = FieldOf(exception.Path);
            var message = exception.Message.StartsWith("The JSON property", StringComparison.Ordinal) && exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "This field is not part of an article."
                : exception.Message.Contains("null", StringComparison.Ordinal) && !exception.Message.StartsWith('\'')
                    ? "The field is required and must not be null."
                : exception.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                    ? "The value has the wrong type or form for this field (times are RFC 3339, e.g. 2026-11-24T12:00:00Z; status is draft, published or retracted)."
                    : string.Create(CultureInfo.InvariantCulture, $"The body is not well-formed JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}).");
            return (null, Invalid(new() { [field] = [message] }));
        }
    }

    /// <summary>"$.authors[0].name" → "authors[0].name", the names <see cref="ArticleRules.Validate"/> uses.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The article is not valid.");

    private static ProblemHttpResult TooLarge(int maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large",
            detail: $"The admin API reads at most {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes per request.");

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Article not found", detail: $"There is no article with id {id}.");
}
