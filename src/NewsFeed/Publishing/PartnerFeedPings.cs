using NewsFeed.Feeds;
using NewsFeed.Partners;

namespace NewsFeed.Publishing;

/// <summary>
/// Partner feeds advertise the hubs like every feed, so a poll (or an admin change) that changes what
/// they show is announced too: the all-partners feed and the partner's own, in every format. Section
/// feeds that include partner items (<c>Partners:IncludeInSections</c>) are not pinged for partner writes.
/// </summary>
internal sealed class PartnerFeedPings(PartnerStore partners, WebSubNotifier notifier) : IHostedService
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
        notifier.EnqueueTopics(notifier.TopicsOf(FeedKind.Partners, null).Concat(notifier.TopicsOf(FeedKind.Partner, partnerId)));
}
