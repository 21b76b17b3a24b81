using System.ServiceModel.Syndication;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Text;
using static NewsFeed.Feeds.FeedXml;

namespace NewsFeed.Feeds;

/// <summary>
/// RSS 2.0 through <see cref="Rss20FeedFormatter"/>, with Atom-in-RSS links, content:encoded,
/// dc:creator and Media RSS added as extensions. Dates are written here, not by the formatter,
/// which would write UTC as "... Z" rather than the "GMT" every validator and reader expects.
/// </summary>
internal static class RssFeedWriter
{
    public static byte[] Write(FeedDocument doc)
    {
        var site = doc.Site;
        var feed = new ExtensibleFeed
        {
            Title = new TextSyndicationContent(doc.Title),
            Description = new TextSyndicationContent(PlainTextAsHtml(doc.Description)),
            Language = site.Language,
            Copyright = site.Copyright is { } copyright ? new TextSyndicationContent(SafeText.Clean(copyright)) : null,
            ImageUrl = site.LogoUrl is { } logo ? new Uri(logo) : null,
            Generator = "NewsFeed",
            TimeToLive = doc.TimeToLive,
            Items = doc.Items.Select(article => ToItem(article, doc.Sources.GetValueOrDefault(article.Id))).ToList(),
            Extensions = writer =>
            {
                writer.WriteElementString("lastBuildDate", FeedDates.Rfc822(doc.Updated));
                WriteAtomLink(writer, "self", doc.SelfUrl, FeedFormat.Rss.MediaType());
                foreach (var hub in doc.Hubs) WriteAtomLink(writer, "hub", hub);
                foreach (var (rel, url) in doc.NavigationLinks()) WriteAtomLink(writer, rel, url, FeedFormat.Rss.MediaType());
                if (doc.IsArchive) WriteArchiveMark(writer);
            },
        };
        feed.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(site.Link)));
        DeclareNamespace(feed, "atom", AtomNamespace);
        DeclareNamespace(feed, "content", ContentNamespace);
        DeclareNamespace(feed, "dc", DublinCoreNamespace);
        DeclareNamespace(feed, "media", MediaNamespace);
        if (doc.IsArchive) DeclareNamespace(feed, "fh", HistoryNamespace);

        return FeedXml.Write(new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: false), doc, writer => new RssTextXmlWriter(writer));
    }

    private static ExtensibleItem ToItem(Article article, PartnerSource? source)
    {
        var item = new ExtensibleItem
        {
            // Not the URL: a correction may change the URL, never the guid (isPermaLink="false").
            Id = FeedIds.ForArticle(article),
            Title = new TextSyndicationContent(article.Title),
            Summary = new TextSyndicationContent(PlainTextAsHtml(article.Summary)),
            Extensions = writer =>
            {
                writer.WriteElementString("pubDate", FeedDates.Rfc822(article.Published));
                foreach (var author in article.Authors)
                {
                    writer.WriteElementString("dc", "creator", DublinCoreNamespace, author.Name);
                }
                writer.WriteElementString("content", "encoded", ContentNamespace, article.Body);
                if (article.Image is { } image) WriteMedia(writer, image);
                if (source is not null)
                {
                    // RSS 2.0 <source>: the channel the item came from, named.
                    writer.WriteStartElement("source");
                    writer.WriteAttributeString("url", source.FeedUrl);
                    writer.WriteString(SafeText.Clean(source.Name));
                    writer.WriteEndElement();
                }
            },
        };
        item.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(article.Url)));
        AddEnclosureAndCategories(item, article);
        return item;
    }
}
