namespace NewsFeed.Site;

internal static class SiteRegistration
{
    /// <summary>The publisher's identity and public address, which feeds, embeds, the home page and the partner fetcher's User-Agent all use.</summary>
    public static WebApplicationBuilder AddSite(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiteOptions>().BindConfiguration(SiteOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
