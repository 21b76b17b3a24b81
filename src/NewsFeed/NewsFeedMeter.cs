namespace NewsFeed;

/// <summary>The name of the one meter every NewsFeed instrument is on ("NewsFeed"), for OpenTelemetry to listen to.</summary>
internal static class NewsFeedMeter
{
    public const string Name = "NewsFeed";
}
