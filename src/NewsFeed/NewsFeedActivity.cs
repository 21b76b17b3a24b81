using System.Diagnostics;

namespace NewsFeed;

/// <summary>
/// The one <see cref="ActivitySource"/> ("NewsFeed") of the spans NewsFeed makes itself: <c>feed.render</c>,
/// <c>partner.poll</c> and <c>article.publish</c>. Without a listener (no OTLP endpoint configured) starting one
/// returns null and costs a check.
/// </summary>
internal static class NewsFeedActivity
{
    public static readonly ActivitySource Source = new(NewsFeedMeter.Name);
}
