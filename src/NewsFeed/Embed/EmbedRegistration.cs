using NewsFeed.Feeds;

namespace NewsFeed.Embed;

/// <summary>Headlines for partner sites: the JSON API, the iframe page and the script widget.</summary>
internal static class EmbedRegistration
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
