namespace NewsFeed.Feeds;

/// <summary>The writer of each format, in one place: the renderer writes a document, the byte budget measures one.</summary>
internal static class FeedWriters
{
    public static byte[] Write(FeedDocument doc) => doc.Key.Format switch
    {
        FeedFormat.Rss => RssFeedWriter.Write(doc),
        FeedFormat.Atom => AtomFeedWriter.Write(doc),
        _ => JsonFeedWriter.Write(doc),
    };
}
