using System.Globalization;
using NewsFeed.Articles;

namespace NewsFeed.Feeds;

internal enum FeedKind
{
    Latest,
    Section,
    Author,
    Tag,
    /// <summary>Every partner's items (<c>/feeds/partners.{format}</c>).</summary>
    AllPartners,
    /// <summary>One partner's items; the slug is the partner id.</summary>
    Partner,
}

internal enum FeedFormat
{
    Rss,
    Atom,
    Json,
}

/// <summary>One cacheable feed variant: which articles, in which format, which slice.</summary>
/// <param name="Before">Where the page starts: below the last item of the previous page (null: the first page).</param>
internal readonly record struct FeedKey(FeedKind Kind, string? Slug, FeedFormat Format, int Limit, FeedCursor? Before)
{
    public TermRef? Term => Kind switch
    {
        FeedKind.Section => new TermRef(TermKind.Section, Slug!),
        FeedKind.Author => new TermRef(TermKind.Author, Slug!),
        FeedKind.Tag => new TermRef(TermKind.Tag, Slug!),
        _ => null,
    };

    /// <summary>
    /// The month of the RFC 5005 archive document this key is (docs/feeds.md, "Archives"); null for the feed
    /// itself and its pages.
    /// </summary>
    public FeedMonth? Archive { get; init; }

    /// <summary>The feed's path below the public base URL, e.g. <c>feeds/sections/world.atom</c>.</summary>
    public string PathFor(FeedFormat format) => PathOf(Kind, Slug, format);

    /// <summary>The path of a feed below the public base URL, e.g. <c>feeds/sections/world.atom</c>.</summary>
    public static string PathOf(FeedKind kind, string? slug, FeedFormat format) => $"{StemOf(kind, slug)}.{format.Extension()}";

    /// <summary>The path of one of this feed's archive documents, e.g. <c>feeds/sections/world/archive/2026-11.atom</c>.</summary>
    public string ArchivePathFor(FeedMonth month, FeedFormat format) => $"{StemOf(Kind, Slug)}/archive/{month}.{format.Extension()}";

    /// <summary>The feed as Readers counts it: its path stem below <c>feeds/</c>, one name for every format and page (<c>latest</c>, <c>sections/world</c>).</summary>
    public string CountingName => StemOf(Kind, Slug)["feeds/".Length..];

    /// <summary>The path of a feed without its format extension, e.g. <c>feeds/sections/world</c>.</summary>
    private static string StemOf(FeedKind kind, string? slug) => kind switch
    {
        FeedKind.Latest => "feeds/latest",
        FeedKind.Section => $"feeds/sections/{slug}",
        FeedKind.Author => $"feeds/authors/{slug}",
        FeedKind.AllPartners => "feeds/partners",
        FeedKind.Partner => $"feeds/partners/{slug}",
        _ => $"feeds/tags/{slug}",
    };

    /// <summary>The kind of feed of an article feed (null: latest).</summary>
    public static FeedKind KindOf(TermRef? term) => term?.Kind switch
    {
        TermKind.Section => FeedKind.Section,
        TermKind.Author => FeedKind.Author,
        TermKind.Tag => FeedKind.Tag,
        _ => FeedKind.Latest,
    };

    /// <summary>The absolute URL of a page of this feed; default values stay out of the query so the first page has one URL.</summary>
    public string UrlFor(string baseUrl, FeedFormat format, FeedCursor? before, int defaultLimit) =>
        baseUrl + PathFor(format) + QueryFor(before, defaultLimit);

    /// <summary>
    /// The canonical query of a page of this feed: <c>limit</c> before <c>before</c>, each only when given (the
    /// limit only when it is not the default), nothing else (empty for the first page at the default limit).
    /// Feeds link with it; any other spelling of the same page is redirected to it.
    /// </summary>
    public string QueryFor(FeedCursor? before, int defaultLimit)
    {
        var query = new List<string>(2);
        if (Limit != defaultLimit) query.Add("limit=" + Limit.ToString(CultureInfo.InvariantCulture));
        if (before is { } cursor) query.Add(FeedCursorParameter.Name + "=" + cursor);
        return query.Count > 0 ? "?" + string.Join('&', query) : "";
    }

    /// <summary>A feed of partner items only.</summary>
    public bool IsPartnerFeed => Kind is FeedKind.AllPartners or FeedKind.Partner;

    public override string ToString() => Archive is { } month ? ArchivePathFor(month, Format) : $"{PathFor(Format)}?limit={Limit}&before={Before}";
}

internal static class FeedFormats
{
    public static string Extension(this FeedFormat format) => format switch
    {
        FeedFormat.Rss => "rss",
        FeedFormat.Atom => "atom",
        _ => "json",
    };

    public static string ContentType(this FeedFormat format) => format switch
    {
        FeedFormat.Rss => "application/rss+xml; charset=utf-8",
        FeedFormat.Atom => "application/atom+xml; charset=utf-8",
        _ => "application/feed+json; charset=utf-8",
    };

    /// <summary>The media type without parameters, as used in link elements.</summary>
    public static string MediaType(this FeedFormat format) => format.ContentType().Split(';')[0];

    public static bool TryParse(string? extension, out FeedFormat format)
    {
        switch (extension)
        {
            case "rss": format = FeedFormat.Rss; return true;
            case "atom": format = FeedFormat.Atom; return true;
            case "json": format = FeedFormat.Json; return true;
            default: format = default; return false;
        }
    }
}
