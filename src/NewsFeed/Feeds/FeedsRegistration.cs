using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NewsFeed.Feeds;

internal static class FeedsRegistration
{
    public const string CorsPolicy = "feeds";

    public static WebApplicationBuilder AddFeeds(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedOptions>().BindConfiguration(FeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(FeedHubs.None);
        // No edge headers unless the Edge feature replaces this.
        builder.Services.TryAddSingleton(EdgeTagging.Off);
        builder.Services.AddSingleton<FeedMetrics>();
        builder.Services.AddSingleton<FeedPageReader>();
        builder.Services.AddSingleton<FeedRenderer>();
        builder.Services.AddSingleton<MemoryLoad>();
        builder.Services.AddSingleton<RenderAdmission>();
        builder.Services.AddSingleton<RenderThreads>();
        builder.Services.AddSingleton<FeedCache>();
        builder.Services.AddSingleton<FeedEndpoint>();
        builder.Services.AddSingleton<FeedFastLane>();
        builder.Services.AddSingleton<FeedBrowserView>();
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods(HttpMethods.Get, HttpMethods.Head)
            // Conditional requests from browser scripts need a preflight that allows the validators.
            .WithHeaders("If-None-Match", "If-Modified-Since")
            .WithExposedHeaders("ETag", "Last-Modified", "Link")));
        return builder;
    }

    /// <summary>The feeds under /feeds, each answering browsers with its HTML view (<see cref="FeedBrowserView"/>).</summary>
    public static IEndpointRouteBuilder MapFeeds(this IEndpointRouteBuilder app)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        // The endpoint is a singleton taken from the app's services, not bound from each request's.
        var services = app.ServiceProvider;
        Task<IResult> Serve(HttpContext context, FeedKind kind, string? slug, string format) =>
            services.GetRequiredService<FeedEndpoint>().ServeAsync(context, kind, slug, format);
        var feeds = app.MapGroup("/feeds").RequireCors(CorsPolicy).WithTags("Feeds").WithBrowserView();
        feeds.MapMethods("/latest.{format}", methods, (string format, HttpContext context) => Serve(context, FeedKind.Latest, null, format));
        feeds.MapMethods("/sections/{slug}.{format}", methods, (string slug, string format, HttpContext context) => Serve(context, FeedKind.Section, slug, format));
        feeds.MapMethods("/authors/{slug}.{format}", methods, (string slug, string format, HttpContext context) => Serve(context, FeedKind.Author, slug, format));
        feeds.MapMethods("/partners.{format}", methods, (string format, HttpContext context) => Serve(context, FeedKind.AllPartners, null, format));
        feeds.MapMethods("/partners/{slug}.{format}", methods, (string slug, string format, HttpContext context) => Serve(context, FeedKind.Partner, slug, format));
        feeds.MapMethods("/tags/{slug}.{format}", methods, (string slug, string format, HttpContext context) => Serve(context, FeedKind.Tag, slug, format));

        // RFC 5005 archives of the article feeds, a month each (docs/feeds.md, "Archives").
        Task<IResult> ServeArchive(HttpContext context, FeedKind kind, string? slug, string period, string format) =>
            services.GetRequiredService<FeedEndpoint>().ServeArchiveAsync(context, kind, slug, period, format);
        feeds.MapMethods("/latest/archive/{period}.{format}", methods, (string period, string format, HttpContext context) => ServeArchive(context, FeedKind.Latest, null, period, format));
        feeds.MapMethods("/sections/{slug}/archive/{period}.{format}", methods, (string slug, string period, string format, HttpContext context) => ServeArchive(context, FeedKind.Section, slug, period, format));
        feeds.MapMethods("/authors/{slug}/archive/{period}.{format}", methods, (string slug, string period, string format, HttpContext context) => ServeArchive(context, FeedKind.Author, slug, period, format));
        feeds.MapMethods("/tags/{slug}/archive/{period}.{format}", methods, (string slug, string period, string format, HttpContext context) => ServeArchive(context, FeedKind.Tag, slug, period, format));
        return app;
    }
}
