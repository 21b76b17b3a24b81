using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Site;

namespace NewsFeed.Feeds;

/// <summary>
/// Everything one feed variant says, already resolved to absolute URLs and made XML-safe
/// (<see cref="Article.XmlSafe"/>); the writers only format it.
/// </summary>
internal sealed record FeedDocument
{
    public required FeedKey Key { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    /// <summary>Stable feed identity (Atom id): the URL of the first page in this format.</summary>
    public required string Id { get; init; }
    public required string SelfUrl { get; init; }
    public required string FirstUrl { get; init; }
    public string? NextUrl { get; init; }
    public string? PreviousUrl { get; init; }
    /// <summary>RFC 5005 §4: whether this is an archive document (<c>fh:archive</c>, with <see cref="CurrentUrl"/>).</summary>
    public bool IsArchive { get; init; }
    /// <summary>The subscription document an archive belongs to (<c>current</c>).</summary>
    public string? CurrentUrl { get; init; }
    /// <summary>The next older archive document (<c>prev-archive</c>).</summary>
    public string? PrevArchiveUrl { get; init; }
    /// <summary>The next newer archive document (<c>next-archive</c>, archives only).</summary>
    public string? NextArchiveUrl { get; init; }
    /// <summary>The newest <see cref="Article.Updated"/> among the items (render time for an empty feed).</summary>
    public required DateTimeOffset Updated { get; init; }
    public required IReadOnlyList<Article> Items { get; init; }
    public required IReadOnlyList<string> Hubs { get; init; }
    public required SiteOptions Site { get; init; }
    public required string StylesheetUrl { get; init; }
    public required TimeSpan TimeToLive { get; init; }
    /// <summary>Where partner items came from, by item id: every format credits the source.</summary>
    public IReadOnlyDictionary<Guid, PartnerSource> Sources { get; init; } = new Dictionary<Guid, PartnerSource>();

    /// <summary>
    /// A little more than the rendered document will take, to size the writer's <see cref="RenderBuffer"/>
    /// once instead of growing it by copies: the text a quarter over for escaping and UTF-8 (typographic quotes
    /// take three bytes), plus room for each item's markup.
    /// </summary>
    public int ExpectedBytes()
    {
        var bytes = 4_096L;
        foreach (var item in Items)
        {
            var text = item.Title.Length + item.Summary.Length + item.Body.Length + (item.Image?.Caption?.Length ?? 0) + (item.Image?.Alt?.Length ?? 0);
            bytes += text + (text / 4) + 1_536;
        }
        return (int)Math.Min(bytes, Array.MaxLength);
    }

    /// <summary>
    /// RFC 5005 paging (§3) and archive (§4) links, in the order every format writes them. An archive document is
    /// not a page: it links to its subscription document and its neighbouring archives only.
    /// </summary>
    public IEnumerable<(string Rel, string Url)> NavigationLinks()
    {
        if (IsArchive)
        {
            yield return ("current", CurrentUrl!);
        }
        else
        {
            yield return ("first", FirstUrl);
            if (PreviousUrl is not null) yield return ("previous", PreviousUrl);
            if (NextUrl is not null) yield return ("next", NextUrl);
        }
        if (PrevArchiveUrl is not null) yield return ("prev-archive", PrevArchiveUrl);
        if (NextArchiveUrl is not null) yield return ("next-archive", NextArchiveUrl);
    }
}
