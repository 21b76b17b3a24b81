namespace NewsFeed.Publishing;

internal static class PublishingRegistration
{
    public static WebApplicationBuilder AddPublishing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublishingOptions>().BindConfiguration(PublishingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Articles go out in the same JSON shape they come in (and that feeds/articles holds): string enums, camelCase.
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, PublishingJson.Default));
        builder.Services.AddSingleton<PublishingMetrics>();
        builder.Services.AddSingleton<ArticlePublisher>();
        return builder;
    }
}
