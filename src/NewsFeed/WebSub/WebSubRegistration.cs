using Microsoft.Extensions.Options;
using NewsFeed.Outbox;
using NewsFeed.Feeds;

namespace NewsFeed.WebSub;

/// <summary>
/// WebSub publishing (W3C WebSub §7): the hubs every feed advertises, and the pings that tell them of each
/// change the stores wrote to the outbox: article writes, embargo lifts and partner feed changes.
/// </summary>
internal static class WebSubRegistration
{
    public static WebApplicationBuilder AddWebSub(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebSubOptions>().BindConfiguration(WebSubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Feeds advertise the hubs; which hubs there are is this feature's setting.
        builder.Services.AddSingleton(services => new FeedHubs(services.GetRequiredService<IOptions<WebSubOptions>>().Value.Hubs));
        builder.Services.AddSingleton<WebSubTopics>();
        builder.Services.AddSingleton<WebSubMetrics>();
        // The hubs are outbox recipients: the stores write one message per hub and changed feed in each write.
        builder.Services.AddOutboxSender<WebSubSender>();
        builder.Services.AddOutboxHttpClient<WebSubClient, WebSubOptions>("NewsFeed-WebSub/1.0", "websub", "WebSub hub");
        return builder;
    }
}
