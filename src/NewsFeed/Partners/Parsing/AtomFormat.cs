using System.Xml;
using System.Xml.Linq;

namespace NewsFeed.Partners.Parsing;

/// <summary>Atom 1.0 (RFC 4287), and Atom 0.3's few different names: text constructs, links by rel, xml:base.</summary>
internal static class AtomFormat
{
    public static void Read(XmlReader reader, Uri baseUri, PartnerFeedBuilder feed)
    {
        XNamespace atom = reader.NamespaceURI;
        feed.Format = atom == SafeXml.Atom ? "Atom 1.0" : "Atom 0.3";
        string? feedAuthor = null;
        XmlFeedDocument.ReadChildren(reader, baseUri, _ => false, (element, b) =>
        {
            if (element.Name == atom + "entry") return feed.Add(() => Entry(element, b, atom, feedAuthor), XmlFeedDocument.Label(element));
            if (element.Name == atom + "title") feed.Title ??= Text(element);
            if (element.Name == atom + "link") feed.Link ??= Alternate([element], b, atom);
            if (element.Name == atom + "author") feedAuthor ??= FeedAuthor.Name(Value(element, atom + "name"));
            return true;
        }, feed, "entry");
    }

    private static FeedEntry Entry(XElement entry, Uri feedBase, XNamespace atom, string? feedAuthor)
    {
        var b = SafeXml.BaseOf(entry, feedBase);
        var content = entry.Element(atom + "content");
        // Out-of-line content (src="…", RFC 4287 §4.1.3.2) has nothing to show here.
        var body = content?.Attribute("src") is null ? Text(content) : null;
        var summary = Text(entry.Element(atom + "summary"));
        var enclosure = entry.Elements(atom + "link").FirstOrDefault(l =>
            (string?)l.Attribute("rel") == "enclosure" && (((string?)l.Attribute("type"))?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ?? false));

        return new FeedEntry
        {
            Id = Value(entry, atom + "id"),
            Title = Text(entry.Element(atom + "title")),
            Link = Alternate(entry.Elements(atom + "link"), feedBase, atom),
            Summary = summary,
            Content = body ?? summary,
            ContentBase = content is not null && body is not null ? SafeXml.BaseOf(content, feedBase) : b,
            // Atom 0.3 says issued, created and modified; Dublin Core dates stand in where Atom's are missing.
            Published = FeedEntry.Dates(Value(entry, atom + "published"), Value(entry, atom + "issued"), Value(entry, atom + "created"),
                Value(entry, SafeXml.DublinCoreTerms + "issued"), Value(entry, SafeXml.DublinCoreTerms + "created"), Value(entry, SafeXml.DublinCore + "date")),
            Updated = FeedEntry.Dates(Value(entry, atom + "updated"), Value(entry, atom + "modified"), Value(entry, SafeXml.DublinCoreTerms + "modified")),
            Author = FeedAuthor.First([.. entry.Elements(atom + "author").Select(a => Value(a, atom + "name")), Value(entry, SafeXml.DublinCore + "creator")]) ?? feedAuthor,
            Image = FeedUrl.Resolve((string?)enclosure?.Attribute("href"), enclosure is null ? b : SafeXml.BaseOf(enclosure, feedBase))
                ?? RssFormat.MediaImage(entry, b),
            Categories = [.. entry.Elements(atom + "category").Select(c => (string?)c.Attribute("label") ?? (string?)c.Attribute("term") ?? "")],
        };
    }

    /// <summary>An Atom text construct (RFC 4287 §3.1) by its type; other media types carry nothing readable.</summary>
    private static FeedText? Text(XElement? element)
    {
        if (element is null) return null;
        // Atom 0.3 (§3.1.2) says how content is put: "escaped" markup is text to read as HTML; base64 is not read.
        var mode = ((string?)element.Attribute("mode"))?.Trim().ToLowerInvariant();
        if (mode == "base64") return null;
        return ((string?)element.Attribute("type"))?.Trim().ToLowerInvariant() switch
        {
            null or "" or "text" or "text/plain" => FeedText.Text(element.Value),
            "html" or "text/html" => FeedText.Html(element.Value),
            // RFC 4287 §3.1.1.3: the content is one xhtml:div, itself not part of the content; its text
            // is text ("&lt;blink&gt;" is a word about a tag), so it stays escaped in the HTML.
            "xhtml" or "application/xhtml+xml" when mode == "escaped" => FeedText.Html(element.Value),
            "xhtml" or "application/xhtml+xml" => FeedText.Html(SafeXml.Markup(element.Element(SafeXml.Xhtml + "div") ?? element)),
            _ => null,
        };
    }

    /// <summary>The alternate link (a link with no rel is one, RFC 4287 §4.2.7.2), an HTML one first.</summary>
    private static Uri? Alternate(IEnumerable<XElement> links, Uri feedBase, XNamespace atom) =>
        links.Where(l => l.Name == atom + "link" && ((string?)l.Attribute("rel") ?? "alternate") == "alternate")
            .OrderBy(l => ((string?)l.Attribute("type") ?? "text/html").Contains("html", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .Select(l => FeedUrl.Resolve((string?)l.Attribute("href"), SafeXml.BaseOf(l, feedBase)))
            .FirstOrDefault(u => u is not null && FeedUrl.IsHttp(u));

    private static string? Value(XElement parent, XName name) =>
        parent.Element(name)?.Value is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
