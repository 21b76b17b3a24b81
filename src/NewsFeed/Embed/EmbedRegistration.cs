using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NewsFeed.Articles;
using NewsFeed.Feeds;

namespace NewsFeed.Embed;

/// <summary>Headlines for partner sites: the JSON API, the iframe page and the script widget.</summary>
public static class EmbedRegistration
{
    public static WebApplicationBuilder AddEmbed(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmbedOptions>().BindConfiguration(EmbedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<HeadlinesCache>();
        builder.Services.AddSingleton<HeadlinesEndpoint>();
        builder.Services.AddSingleton<HeadlinesWidget>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEmbed(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        // Same CORS policy as the feeds: any origin may read, with the validators exposed.
        app.MapMethods("/api/headlines", methods, (HttpContext context, HeadlinesEndpoint endpoint) => endpoint.JsonAsync(context))
            .RequireCors(FeedsRegistration.CorsPolicy).WithTags("Embed");
        var embed = app.MapGroup("/embed").WithTags("Embed");
        embed.MapMethods("/headlines", methods, (HttpContext context, HeadlinesEndpoint endpoint) => endpoint.PageAsync(context));
        // Readable cross-origin too, so a partner may load it with crossorigin="anonymous" (and SRI).
        embed.MapMethods("/headlines.js", methods, (HttpContext context, HeadlinesWidget widget) => widget.Serve(context))
            .RequireCors(FeedsRegistration.CorsPolicy);
        return app;
    }
}

/// <summary>
/// /api/headlines and /embed/headlines: read the query as strictly as the feeds do, then send the
/// cached render with the feeds' caching (ETag, gzip/Brotli, 304, Cache-Control).
/// </summary>
internal sealed class HeadlinesEndpoint(HeadlinesCache cache, FeedMetrics metrics, IOptions<EmbedOptions> options, IOptions<FeedOptions> feedOptions)
{
    private readonly string _cacheControl = FeedEndpoint.CacheControl(feedOptions.Value);

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
        return new FeedResult(snapshot.Json, _cacheControl, metrics);
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
        return new FeedResult(snapshot.Page(theme), _cacheControl, metrics);
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

/// <summary>
/// /embed/headlines.js, kept beside this code as an embedded resource. Its bytes never change while
/// the process runs, so the ETag is computed once and the framework answers If-None-Match.
/// </summary>
internal sealed class HeadlinesWidget
{
    private const string ResourceName = "NewsFeed.Embed.headlines.js";

    private readonly byte[] _script;
    private readonly EntityTagHeaderValue _etag;
    private readonly string _cacheControl;

    public HeadlinesWidget(IOptions<FeedOptions> feedOptions)
    {
        using var stream = typeof(HeadlinesWidget).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        _script = buffer.ToArray();
        _etag = new EntityTagHeaderValue(new FeedRepresentation(_script, null).ETag);
        _cacheControl = FeedEndpoint.CacheControl(feedOptions.Value);
    }

    public IResult Serve(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = _cacheControl;
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(_script, "text/javascript; charset=utf-8", entityTag: _etag);
    }
}
