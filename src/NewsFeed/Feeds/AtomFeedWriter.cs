using System.ServiceModel.Syndication;
using System.Xml;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Text;
using static NewsFeed.Feeds.FeedXml;

namespace NewsFeed.Feeds;

/// <summary>Atom 1.0 (RFC 4287) through <see cref="Atom10FeedFormatter"/>, with Media RSS for the hero image.</summary>
internal static class AtomFeedWriter
{
    public static byte[] Write(FeedDocument doc)
    {
        var site = doc.Site;
        var atomType = FeedFormat.Atom.MediaType();
        var feed = new ExtensibleFeed
        {
            Id = doc.Id,
            Title = new TextSyndicationContent(doc.Title),
            Description = new TextSyndicationContent(doc.Description),
            Language = site.Language,
            Copyright = site.Copyright is { } copyright ? new TextSyndicationContent(SafeText.Clean(copyright)) : null,
            ImageUrl = site.LogoUrl is { } logo ? new Uri(logo) : null,
            Generator = "NewsFeed",
            LastUpdatedTime = doc.Updated,
            Items = doc.Items.Select(item => ToEntry(item, site.Language, doc.Sources.GetValueOrDefault(item.Id))).ToList(),
            Extensions = site.IconUrl is null && !doc.IsArchive ? null : writer =>
            {
                if (site.IconUrl is { } icon) writer.WriteElementString("icon", AtomNamespace, icon);
                if (doc.IsArchive) WriteArchiveMark(writer);
            },
        };
        // RFC 4287 §4.1.1: a feed needs an author unless every entry has one; the publisher is the fallback.
        feed.Authors.Add(new SyndicationPerson(null, SafeText.Clean(site.Title), site.Link));
        feed.Links.Add(new SyndicationLink(new Uri(doc.SelfUrl), "self", null, atomType, 0));
        feed.Links.Add(new SyndicationLink(new Uri(site.Link), "alternate", null, "text/html", 0));
        foreach (var hub in doc.Hubs) feed.Links.Add(new SyndicationLink(new Uri(hub), "hub", null, null, 0));
        foreach (var (rel, url) in doc.NavigationLinks()) feed.Links.Add(new SyndicationLink(new Uri(url), rel, null, atomType, 0));
        DeclareNamespace(feed, "media", MediaNamespace);
        if (doc.IsArchive) DeclareNamespace(feed, "fh", HistoryNamespace);

        return FeedXml.Write(new Atom10FeedFormatter(feed), doc);
    }

    private static ExtensibleItem ToEntry(Article article, string feedLanguage, PartnerSource? source)
    {
        var entry = new ExtensibleItem
        {
            Id = FeedIds.ForArticle(article),
            Title = new TextSyndicationContent(article.Title),
            Summary = new TextSyndicationContent(article.Summary),
            Content = new TextSyndicationContent(article.Body, TextSyndicationContentKind.Html),
            PublishDate = article.Published,
            LastUpdatedTime = article.Updated,
            Extensions = article.Image is null && source is null ? null : writer =>
            {
                if (article.Image is { } image) WriteMedia(writer, image);
                if (source is not null) WriteSource(writer, source);
            },
        };
        if (!string.Equals(article.Language, feedLanguage, StringComparison.OrdinalIgnoreCase))
        {
            entry.AttributeExtensions.Add(new XmlQualifiedName("lang", XmlNamespace), article.Language);
        }
        foreach (var author in article.Authors)
        {
            entry.Authors.Add(new SyndicationPerson(author.Email, author.Name, author.Url));
        }
        entry.Links.Add(new SyndicationLink(new Uri(article.Url), "alternate", null, "text/html", 0));
        AddEnclosureAndCategories(entry, article);
        return entry;
    }

    /// <summary>
    /// RFC 4287 §4.2.11 atom:source: the partner feed the entry was copied from. Its author is the partner,
    /// so an entry without its own author is credited to the partner, not to us (§4.2.1).
    /// </summary>
    private static void WriteSource(XmlWriter writer, PartnerSource source)
    {
        writer.WriteStartElement("source", AtomNamespace);
        writer.WriteElementString("id", AtomNamespace, source.FeedUrl);
        writer.WriteElementString("title", AtomNamespace, SafeText.Clean(source.Name));
        writer.WriteElementString("updated", AtomNamespace, FeedDates.Rfc3339(source.FetchedAt));
        writer.WriteStartElement("author", AtomNamespace);
        writer.WriteElementString("name", AtomNamespace, SafeText.Clean(source.Name));
        if (source.SiteUrl is not null) writer.WriteElementString("uri", AtomNamespace, source.SiteUrl);
        writer.WriteEndElement();
        writer.WriteStartElement("link", AtomNamespace);
        writer.WriteAttributeString("rel", "self");
        writer.WriteAttributeString("href", source.FeedUrl);
        writer.WriteEndElement();
        if (source.SiteUrl is not null)
        {
            writer.WriteStartElement("link", AtomNamespace);
            writer.WriteAttributeString("rel", "alternate");
            writer.WriteAttributeString("type", "text/html");
            writer.WriteAttributeString("href", source.SiteUrl);
            writer.WriteEndElement();
        }
        if (source.Attribution is { Length: > 0 } attribution) writer.WriteElementString("rights", AtomNamespace, SafeText.Clean(attribution));
        writer.WriteEndElement();
    }
}
