using System.Xml;
using System.Xml.Linq;

namespace NewsFeed.Partners.Parsing;

/// <summary>The namespaces partner feeds use, and the only way this parser opens an XmlReader.</summary>
internal static class SafeXml
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace Atom03 = "http://purl.org/atom/ns#";
    public static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    public static readonly XNamespace DublinCore = "http://purl.org/dc/elements/1.1/";
    public static readonly XNamespace DublinCoreTerms = "http://purl.org/dc/terms/";
    public static readonly XNamespace Media = "http://search.yahoo.com/mrss/";
    public static readonly XNamespace ITunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    public static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public static readonly XNamespace Rss10 = "http://purl.org/rss/1.0/";
    public static readonly XNamespace Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    public static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    /// <summary>How deep elements may nest inside one item or channel element.</summary>
    public const int MaxDepth = 100;

    // Prefixes feeds often use without declaring them; pre-declared so "<media:content>" in a feed
    // that forgot xmlns:media still reads (a document's own declarations take precedence).
    private static readonly (string Prefix, XNamespace Namespace)[] Predeclared =
    [
        ("atom", Atom), ("content", Content), ("dc", DublinCore), ("dcterms", DublinCoreTerms),
        ("media", Media), ("itunes", ITunes), ("rdf", Rdf),
    ];

    /// <summary>
    /// A reader that cannot reach outside the string: no DTD (a DOCTYPE is an error; the repair
    /// pass has already removed it), no resolver, so no external entity or DTD is ever fetched
    /// or read, and entity expansion capped in case one slipped through.
    /// </summary>
    public static XmlReader CreateReader(string text)
    {
        var names = new NameTable();
        var namespaces = new LenientNamespaces(names);
        foreach (var (prefix, ns) in Predeclared) namespaces.AddNamespace(prefix, ns.NamespaceName);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1_024,
            // Forbidden characters were removed by the repair pass and text is cleaned again on output.
            CheckCharacters = false,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            NameTable = names,
        };
        return XmlReader.Create(new StringReader(text), settings, new XmlParserContext(names, namespaces, null, XmlSpace.None));
    }

    /// <summary>
    /// Reads the element the reader is on into an XElement and moves past it, like XNode.ReadFrom,
    /// but not deeper than <see cref="MaxDepth"/> below it: XNode.ReadFrom takes time quadratic in
    /// depth, and no feed item is more than a few levels deep. An element that nests deeper is read
    /// past without being built, and null is returned, so the elements after it are still read.
    /// </summary>
    public static XElement? ReadElement(XmlReader reader)
    {
        var root = NewElement(reader);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return root;
        }
        var current = root;
        var depth = reader.Depth;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.Depth - depth > MaxDepth:
                    SkipToEndOf(reader, depth);
                    return null;
                case XmlNodeType.Element:
                    var child = NewElement(reader);
                    current.Add(child);
                    if (!reader.IsEmptyElement) current = child;
                    break;
                case XmlNodeType.EndElement when current == root:
                    reader.Read();
                    return root;
                case XmlNodeType.EndElement:
                    current = current.Parent!;
                    break;
                case XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    current.Add(new XText(reader.Value));
                    break;
                case XmlNodeType.CDATA:
                    current.Add(new XCData(reader.Value));
                    break;
            }
        }
        return root; // not reached: the reader throws at an early end of document
    }

    /// <summary>Reads on to just past the end tag of the element at <paramref name="depth"/>; the reader still checks well-formedness.</summary>
    private static void SkipToEndOf(XmlReader reader, int depth)
    {
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
        }
        reader.Read();
    }

    private static XElement NewElement(XmlReader reader)
    {
        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                // Namespace declarations are already in the names; LINQ to XML makes its own when writing.
                if (reader.NamespaceURI != XNamespace.Xmlns.NamespaceName) element.Add(new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        return element;
    }

    /// <summary>The base URI in force inside <paramref name="element"/>: every xml:base from its detached root down to it.</summary>
    public static Uri BaseOf(XElement element, Uri containerBase) =>
        element.AncestorsAndSelf().Reverse().Aggregate(containerBase, (uri, e) => FeedUrl.Rebase((string?)e.Attribute(XNamespace.Xml + "base"), uri));

    /// <summary>Markup as a feed puts it in an element: escaped or CDATA text, or (a common mistake) raw child elements.</summary>
    public static string InnerHtml(XElement element) => element.HasElements ? Markup(element) : element.Value;

    /// <summary>
    /// The element's content as markup: child elements as they are, text (CDATA too) escaped. For
    /// XHTML (RFC 4287 §3.1.1.3), where "&amp;lt;blink&amp;gt;" in the document is text, not a tag.
    /// </summary>
    public static string Markup(XElement element) =>
        string.Concat(element.Nodes().Select(n => n is XText text ? new XText(text.Value).ToString() : n.ToString(SaveOptions.DisableFormatting)));

    /// <summary>
    /// Looks up prefixes as the document declares them, and gives one it never declared (a common
    /// mistake: "&lt;georss:point&gt;" with no xmlns:georss) a namespace of its own instead of an
    /// error that would end the document there.
    /// </summary>
    private sealed class LenientNamespaces(XmlNameTable names) : XmlNamespaceManager(names)
    {
        public override string? LookupNamespace(string prefix) =>
            base.LookupNamespace(prefix) ?? (prefix.Length > 0 ? "urn:x-undeclared:" + prefix : null);
    }
}
