using NewsFeed.Feeds;
using NewsFeed.Partners;

namespace NewsFeed.WebSub;

/// <summary>
/// Partner feeds advertise the hubs like every feed, so a poll (or an admin change) that changes what
/// they show is announced too: the all-partners feed and the partner's own, in every format. Section
/// feeds that include partner items (<c>Partners:IncludeInSections</c>) are not pinged for partner writes.
/// </summary>
internal sealed class PartnerFeedPings(IPartnerStore partners, WebSubNotifier notifier, WebSubTopics topics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        partners.FeedsChanged += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        partners.FeedsChanged -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(string partnerId) =>
        notifier.EnqueueTopics(topics.Of(FeedKind.AllPartners, null).Concat(topics.Of(FeedKind.Partner, partnerId)));
}
