using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NewsFeed.Articles;
using NewsFeed.RateLimits;

namespace NewsFeed.Feeds;

public static class FeedsRegistration
{
    public const string CorsPolicy = "feeds";

    public static WebApplicationBuilder AddFeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<FeedOptions>().BindConfiguration(FeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<WebSubOptions>().BindConfiguration(WebSubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<FeedMetrics>();
        builder.Services.AddSingleton<FeedRenderer>();
        builder.Services.AddSingleton<FeedCache>();
        builder.Services.AddSingleton<FeedEndpoint>();
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods(HttpMethods.Get, HttpMethods.Head)
            // Conditional requests from browser scripts need a preflight that allows the validators.
            .WithHeaders("If-None-Match", "If-Modified-Since")
            .WithExposedHeaders("ETag", "Last-Modified", "Link")));
        return builder;
    }

    /// <returns>The /feeds group, so other features can add conventions to every feed endpoint.</returns>
    public static RouteGroupBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        // The endpoint is a singleton taken from the app's services, not bound from each request's.
        var services = app.ServiceProvider;
        Task<IResult> Serve(HttpContext context, FeedKind kind, string? slug, string format) =>
            services.GetRequiredService<FeedEndpoint>().ServeAsync(context, kind, slug, format);
        var feeds = app.MapGroup("/feeds").RequireCors(CorsPolicy).WithTags("Feeds");
        feeds.MapMethods("/latest.{format}", methods, (string format, HttpContext context) => Serve(context, FeedKind.Latest, null, format));
        feeds.MapMethods("/sections/{slug}.{format}", methods, (string slug, string format, HttpContext context) => Serve(context, FeedKind.Section, slug, format));
        feeds.MapMethods("/authors/{slug}.{format}", methods, (string slug, string format, HttpContext context) => Serve(context, FeedKind.Author, slug, format));
        feeds.MapMethods("/partners.{format}", methods, (string format, HttpContext context) => Serve(context, FeedKind.Partners, null, format));
        feeds.MapMethods("/partners/{slug}.{format}", methods, (string slug, string format, HttpContext context) => Serve(context, FeedKind.Partner, slug, format));
        feeds.MapMethods("/tags/{slug}.{format}", methods, (string slug, string format, HttpContext context) => Serve(context, FeedKind.Tag, slug, format));
        return feeds;
    }
}

/// <summary>One feed request: read the query strictly, find or render the variant, send it.</summary>
internal sealed class FeedEndpoint(FeedCache cache, FeedMetrics metrics, FeedPollLimiter pollLimiter, IOptions<FeedOptions> options)
{
    private readonly string _cacheControl = CacheControl(options.Value);

    public async Task<IResult> ServeAsync(HttpContext context, FeedKind kind, string? slug, string format)
    {
        var settings = options.Value;
        if (!FeedFormats.TryParse(format, out var feedFormat))
        {
            return NotFound($"There is no feed format '{format}'; use rss, atom or json.");
        }
        if (slug is not null && (slug.Length > ArticleRules.MaxSlugLength || !ArticleRules.SlugPattern().IsMatch(slug)))
        {
            return NotFound($"There is no {kind.ToString().ToLowerInvariant()} with that slug.");
        }

        var errors = new Dictionary<string, string[]>();
        var limit = QueryParameters.BoundedInt(context.Request.Query, "limit", settings.DefaultLimit, settings.MaxLimit, errors);
        var page = QueryParameters.BoundedInt(context.Request.Query, "page", 1, settings.MaxPage, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The feed query is not valid.");
        }

        var key = new FeedKey(kind, slug, feedFormat, limit, page);
        var feed = await cache.GetAsync(key, context.RequestAborted);
        if (feed is null)
        {
            return NotFound(page > 1
                ? $"Page {page} is past the end of this feed."
                : $"There is no {kind.ToString().ToLowerInvariant()} '{slug}'.");
        }
        return new FeedResult(feed, _cacheControl, metrics, pollLimiter);
    }

    private static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Feed not found", detail: detail);

    internal static string CacheControl(FeedOptions options) => string.Create(CultureInfo.InvariantCulture,
        $"public, max-age={(long)options.MaxAge.TotalSeconds}, stale-while-revalidate={(long)options.StaleWhileRevalidate.TotalSeconds}, stale-if-error={(long)options.StaleIfError.TotalSeconds}");
}
