namespace NewsFeed.Feeds;

/// <summary>
/// The WebSub hubs every feed advertises (RSS and Atom <c>link rel="hub"</c>, the Link header, JSON Feed
/// <c>hubs</c>). Feeds only advertise them: which hubs there are is the WebSub feature's setting
/// (<c>WebSub:Hubs</c>), and the WebSub registration supplies this; without it, feeds name no hub.
/// </summary>
internal sealed record FeedHubs(IReadOnlyList<string> Urls)
{
    public static FeedHubs None { get; } = new([]);
}
