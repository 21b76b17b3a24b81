using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.Feeds;

namespace NewsFeed.Embed;

/// <summary>
/// /api/headlines and /embed/headlines: read the query as strictly as the feeds do, then send the
/// cached render with the feeds' caching (ETag, gzip/Brotli, 304, Cache-Control).
/// </summary>
internal sealed class HeadlinesEndpoint(HeadlinesCache cache, FeedMetrics metrics, IOptions<EmbedOptions> options, IOptions<FeedOptions> feedOptions)
{
    private readonly string _cacheControl = feedOptions.Value.CacheControl();

    public async Task<IResult> JsonAsync(HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var (section, limit) = ReadListQuery(context.Request.Query, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The headlines query is not valid.");
        }
        if (await cache.GetAsync(section, limit, context.RequestAborted) is not { } snapshot)
        {
            return SectionNotFound(section);
        }
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return new CachedResponseResult(snapshot.Json, _cacheControl, metrics);
    }

    public async Task<IResult> PageAsync(HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        var (section, limit) = ReadListQuery(context.Request.Query, errors);
        var theme = EmbedTheme.Auto;
        if (context.Request.Query.TryGetValue("theme", out var values)
            && !(values.Count == 1 && HeadlinesPage.TryParseTheme(values[0], out theme)))
        {
            errors["theme"] = ["'theme' must be given once, as light, dark or auto."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The headlines query is not valid.");
        }
        if (await cache.GetAsync(section, limit, context.RequestAborted) is not { } snapshot)
        {
            return SectionNotFound(section);
        }
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = HeadlinesPage.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        return new CachedResponseResult(snapshot.Page(theme), _cacheControl, metrics);
    }

    private (string? Section, int Limit) ReadListQuery(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        string? section = null;
        if (query.TryGetValue("section", out var values))
        {
            if (values.Count == 1 && values[0] is { Length: > 0 and <= ArticleRules.MaxSlugLength } slug && ArticleRules.SlugPattern().IsMatch(slug))
            {
                section = slug;
            }
            else
            {
                errors["section"] = ["'section' must be given once, as a section slug such as 'world'."];
            }
        }
        var settings = options.Value;
        var limit = QueryParameters.BoundedInt(query, "limit", settings.DefaultLimit, settings.MaxLimit, errors);
        return (section, limit);
    }

    private static ProblemHttpResult SectionNotFound(string? section) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Section not found", detail: $"There is no section '{section}'.");
}
