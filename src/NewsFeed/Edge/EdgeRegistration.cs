using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NewsFeed.Feeds;
using NewsFeed.Outbox;
using NewsFeed.Partners;

namespace NewsFeed.Edge;

/// <summary>
/// Edge caching (docs/edge.md): the tags every cacheable response carries, the edge lifetime, and the purges
/// of exactly what each committed write changed, through the transactional outbox WebSub uses.
/// </summary>
internal static class EdgeRegistration
{
    public static WebApplicationBuilder AddEdge(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Feeds and headlines are tagged as the settings say (Feeds registers "off" for when this feature is absent).
        builder.Services.Replace(ServiceDescriptor.Singleton(services =>
        {
            var options = services.GetRequiredService<IOptions<EdgeOptions>>().Value;
            return new EdgeTagging(options.EffectiveTagHeaders(), options.KeyPrefix, options.MaxAge,
                services.GetRequiredService<IOptions<PartnerOptions>>().Value.IncludeInSections);
        }));
        builder.Services.AddSingleton<EdgeMetrics>();
        // Each purger is an outbox recipient: the stores write one message per purger and changed key in each write.
        builder.Services.AddOutboxSender<EdgePurgeSender>();
        builder.Services.AddOutboxHttpClient<EdgePurgeClient, EdgeOptions>("NewsFeed-Edge/1.0", "edge", "Edge purger");
        return builder;
    }
}
