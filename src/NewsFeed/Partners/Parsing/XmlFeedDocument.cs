using System.Xml;
using System.Xml.Linq;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Reads an XML feed one item at a time over <see cref="SafeXml.CreateReader"/>, so the items
/// before a well-formedness error are already in hand when it comes. The root element, not the
/// Content-Type, says which format it is.
/// </summary>
internal static class XmlFeedDocument
{
    private static readonly string[] LabelNames = ["guid", "id", "link", "title"];
    private static readonly string TooDeep = $"elements nest more than {SafeXml.MaxDepth} levels deep";

    public static void Read(string text, Uri baseUri, PartnerFeedBuilder feed)
    {
        using var reader = SafeXml.CreateReader(XmlTextRepair.Repair(text, feed));
        try
        {
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element) throw new PartnerFeedException("Not a feed: the document has no root element.");
            var rootBase = FeedUrl.Rebase(reader.GetAttribute("base", XNamespace.Xml.NamespaceName), baseUri);
            XNamespace ns = reader.NamespaceURI;
            switch (reader.LocalName)
            {
                case "rss":
                    RssFormat.ReadRss(reader, rootBase, feed);
                    break;
                case "RDF" when ns == SafeXml.Rdf:
                    RssFormat.ReadRdf(reader, rootBase, feed);
                    break;
                case "feed" when ns == SafeXml.Atom || ns == SafeXml.Atom03:
                    AtomFormat.Read(reader, rootBase, feed);
                    break;
                case var name when name.Equals("html", StringComparison.OrdinalIgnoreCase):
                    throw new PartnerFeedException("Not a feed: the document is an HTML page.");
                case var name:
                    throw new PartnerFeedException($"Not a feed: the root element is <{PartnerText.PlainText(name, 40)}>, not rss, rdf:RDF or an Atom feed.");
            }
        }
        catch (XmlException e)
        {
            feed.Malformed("XML", e.LineNumber, e.LinePosition, e.Message);
        }
    }

    /// <summary>
    /// Walks the children of the element the reader is on, handing each to <paramref name="onChild"/>
    /// as an XElement with the base URI in force; a child for which <paramref name="descend"/> is
    /// true (RSS channel) is walked into instead. Stops when <paramref name="onChild"/> says false.
    /// A child that nests too deep is passed over (an <paramref name="itemName"/> counted as a skipped
    /// item), so the children after it are still read. Never reads past the end of the root, so junk
    /// after it does no harm.
    /// </summary>
    public static bool ReadChildren(XmlReader reader, Uri baseUri, Func<XmlReader, bool> descend, Func<XElement, Uri, bool> onChild,
        PartnerFeedBuilder feed, string itemName)
    {
        if (reader.IsEmptyElement)
        {
            if (reader.Depth > 0) reader.Read();
            return true;
        }
        var depth = reader.Depth;
        reader.Read();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
            }
            else if (descend(reader))
            {
                var inner = FeedUrl.Rebase(reader.GetAttribute("base", XNamespace.Xml.NamespaceName), baseUri);
                if (!ReadChildren(reader, inner, descend, onChild, feed, itemName)) return false;
            }
            else
            {
                var (name, line) = (reader.LocalName, ((IXmlLineInfo)reader).LineNumber);
                var more = SafeXml.ReadElement(reader) is { } element ? onChild(element, baseUri)
                    : name == itemName ? feed.Skip($", at line {line}", $"its {TooDeep}")
                    : Warned(feed, $"Skipped <{PartnerText.PlainText(name, 40)}> at line {line}: its {TooDeep}.");
                if (!more) return false;
            }
        }
        if (reader.EOF)
        {
            var at = (IXmlLineInfo)reader;
            throw new XmlException("Unexpected end of document.", null, at.LineNumber, at.LinePosition);
        }
        if (depth > 0) reader.Read();
        return true;
    }

    /// <summary>How warnings name an item that could not be read: its guid or id, else its link, else its title, as written.</summary>
    public static string? Label(XElement item) =>
        LabelNames.Select(name => item.Elements().FirstOrDefault(e => e.Name.LocalName == name) is { } e ? (string?)e.Attribute("href") ?? e.Value : null)
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    private static bool Warned(PartnerFeedBuilder feed, string warning)
    {
        feed.Warn(warning);
        return true;
    }
}
