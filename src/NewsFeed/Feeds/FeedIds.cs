using NewsFeed.Articles;

namespace NewsFeed.Feeds;

/// <summary>Identities that never change once an article exists.</summary>
internal static class FeedIds
{
    /// <summary>RFC 4122 URN of the article's id: a valid Atom id, RSS guid and JSON Feed id.</summary>
    public static string ForArticle(Article article) => "urn:uuid:" + article.Id.ToString("D");
}
