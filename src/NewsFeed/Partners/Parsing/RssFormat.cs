using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// RSS 0.90, 0.91, 0.92, 2.0 (items inside channel) and RSS 1.0 (RDF: items beside channel), with
/// the extensions partners use: content:encoded, dc:creator/date/subject, Media RSS, enclosures.
/// </summary>
internal static partial class RssFormat
{
    // RSS elements carry no namespace, except in RSS 1.0 / 0.90 and the odd RSS 2.0 that declares one.
    private static readonly HashSet<XNamespace> Core =
        [XNamespace.None, SafeXml.Rss10, SafeXml.Rss090, "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss"];

    [GeneratedRegex(@"^\d\.\d{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    public static void ReadRss(XmlReader reader, Uri baseUri, PartnerFeedBuilder feed)
    {
        var version = reader.GetAttribute("version")?.Trim();
        feed.Format = version is not null && VersionPattern().IsMatch(version) ? "RSS " + version : "RSS";
        XmlFeedDocument.ReadChildren(reader, baseUri, r => r.LocalName == "channel" && r.Depth == 1, (element, b) => OnChild(element, b, feed), feed, "item");
    }

    public static void ReadRdf(XmlReader reader, Uri baseUri, PartnerFeedBuilder feed)
    {
        feed.Format = "RSS 1.0";
        XmlFeedDocument.ReadChildren(reader, baseUri, _ => false, (element, b) =>
        {
            if (element.Name.Namespace == SafeXml.Rss090) feed.Format = "RSS 0.90";
            if (element.Name.LocalName != "channel") return OnChild(element, b, feed);
            ReadChannelHead(element, b, feed);
            return true;
        }, feed, "item");
    }

    private static bool OnChild(XElement element, Uri baseUri, PartnerFeedBuilder feed)
    {
        if (!IsCore(element)) return true;
        if (element.Name.LocalName == "item") return feed.Add(() => Entry(element, baseUri), XmlFeedDocument.Label(element));
        if (element.Name.LocalName == "title") feed.Title ??= FeedText.Html(element.Value);
        if (element.Name.LocalName == "link") feed.Link ??= FeedUrl.Resolve(element.Value, baseUri);
        return true;
    }

    private static void ReadChannelHead(XElement channel, Uri baseUri, PartnerFeedBuilder feed)
    {
        var b = SafeXml.BaseOf(channel, baseUri);
        feed.Title ??= FeedText.Html(CoreValue(channel, "title"));
        feed.Link ??= FeedUrl.Resolve(CoreValue(channel, "link"), b);
    }

    private static FeedEntry Entry(XElement item, Uri containerBase)
    {
        var b = SafeXml.BaseOf(item, containerBase);
        var guid = CoreChild(item, "guid");
        var id = guid?.Value ?? (string?)item.Attribute(SafeXml.Rdf + "about");
        // RSS 2.0: a guid is a permalink unless isPermaLink="false"; many feeds forget to say so
        // of ids that are not URLs, so only an absolute http(s) guid is taken as the link.
        var permalink = guid is not null && !string.Equals(((string?)guid.Attribute("isPermaLink"))?.Trim(), "false", StringComparison.OrdinalIgnoreCase)
            && Uri.TryCreate(guid.Value.Trim(), UriKind.Absolute, out var guidUri) && FeedUrl.IsHttp(guidUri)
            ? guidUri
            : null;
        var description = CoreChild(item, "description");
        var encoded = item.Element(SafeXml.Content + "encoded");
        var html = encoded ?? description;

        return new FeedEntry
        {
            Id = id,
            Title = FeedText.Html(CoreValue(item, "title")),
            Link = FeedUrl.Resolve(CoreValue(item, "link"), b) ?? AlternateLink(item, b) ?? permalink,
            Summary = description is null ? null : FeedText.Html(SafeXml.InnerHtml(description)),
            Content = html is null ? null : FeedText.Html(SafeXml.InnerHtml(html)),
            ContentBase = html is null ? b : SafeXml.BaseOf(html, containerBase),
            Published = FeedEntry.Dates(CoreValue(item, "pubDate"), Value(item, SafeXml.DublinCore + "date"), Value(item, SafeXml.DublinCoreTerms + "issued"),
                Value(item, SafeXml.DublinCoreTerms + "created"), Value(item, SafeXml.DublinCoreTerms + "date"), Value(item, SafeXml.Atom + "published")),
            Updated = FeedEntry.Dates(Value(item, SafeXml.DublinCoreTerms + "modified"), Value(item, SafeXml.Atom + "updated")),
            // RSS 2.0 <author> is an email address, usually with the name: FeedAuthor keeps the name only.
            Author = FeedAuthor.First(Value(item, SafeXml.DublinCore + "creator"), CoreValue(item, "author"), Value(item, SafeXml.ITunes + "author")),
            Image = MediaImage(item, b) ?? EnclosureImage(item, b),
            Categories = [.. item.Elements().Where(e => (e.Name.LocalName == "category" && IsCore(e)) || e.Name == SafeXml.DublinCore + "subject").Select(e => e.Value)],
        };
    }

    /// <summary>Media RSS: the first image media:content (also inside media:group), else media:thumbnail.</summary>
    internal static Uri? MediaImage(XElement item, Uri baseUri)
    {
        var media = item.Elements(SafeXml.Media + "content").Concat(item.Elements(SafeXml.Media + "group").Elements(SafeXml.Media + "content"));
        var image = media.FirstOrDefault(IsImage) ?? item.Descendants(SafeXml.Media + "thumbnail").FirstOrDefault();
        return FeedUrl.Resolve((string?)image?.Attribute("url"), baseUri);

        static bool IsImage(XElement content)
        {
            var medium = (string?)content.Attribute("medium");
            var type = (string?)content.Attribute("type");
            return medium == "image" || (type?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ?? false)
                || (medium is null && type is null && LooksLikeImage((string?)content.Attribute("url")));
        }
    }

    private static Uri? EnclosureImage(XElement item, Uri baseUri)
    {
        var enclosure = CoreChildren(item, "enclosure").FirstOrDefault(e => ((string?)e.Attribute("type"))?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ?? LooksLikeImage((string?)e.Attribute("url")));
        return FeedUrl.Resolve((string?)enclosure?.Attribute("url") ?? (string?)item.Element(SafeXml.ITunes + "image")?.Attribute("href"), baseUri);
    }

    private static Uri? AlternateLink(XElement item, Uri baseUri) =>
        item.Elements(SafeXml.Atom + "link").Where(l => ((string?)l.Attribute("rel") ?? "alternate") == "alternate")
            .Select(l => FeedUrl.Resolve((string?)l.Attribute("href"), baseUri)).FirstOrDefault(u => u is not null);

    private static bool LooksLikeImage(string? url) =>
        url is not null && Path.GetExtension(url.Split('?', '#')[0]).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".gif" or ".webp" or ".avif";

    private static bool IsCore(XElement element) => Core.Contains(element.Name.Namespace);

    private static IEnumerable<XElement> CoreChildren(XElement parent, string name) =>
        parent.Elements().Where(e => e.Name.LocalName == name && IsCore(e));

    private static XElement? CoreChild(XElement parent, string name) => CoreChildren(parent, name).FirstOrDefault();

    private static string? CoreValue(XElement parent, string name) => NullIfBlank(CoreChild(parent, name)?.Value);

    private static string? Value(XElement parent, XName name) => NullIfBlank(parent.Element(name)?.Value);

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
