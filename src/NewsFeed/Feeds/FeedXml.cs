using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using NewsFeed.Articles;
using NewsFeed.Text;

namespace NewsFeed.Feeds;

/// <summary>What the RSS and Atom writers share: namespaces, the document frame, Media RSS, enclosures and categories.</summary>
internal static class FeedXml
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";
    public const string DublinCoreNamespace = "http://purl.org/dc/elements/1.1/";
    public const string MediaNamespace = "http://search.yahoo.com/mrss/";
    /// <summary>RFC 5005 Feed History (<c>fh:archive</c>).</summary>
    public const string HistoryNamespace = "http://purl.org/syndication/history/1.0";
    public const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        Indent = true,
        IndentChars = "  ",
        // Left on as a safety net: every string has been through SafeText.Clean (Article.XmlSafe), so this never fires.
        CheckCharacters = true,
    };

    /// <summary>Plain text for an element whose content readers treat as HTML (RSS description).</summary>
    public static string PlainTextAsHtml(string? text) =>
        SafeText.Clean(text).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static void DeclareNamespace(SyndicationFeed feed, string prefix, string ns) =>
        feed.AttributeExtensions.Add(new XmlQualifiedName(prefix, XmlnsNamespace), ns);

    /// <summary>The document: XML declaration, the xml-stylesheet that browsers render, then the formatter's element.</summary>
    public static byte[] Write(SyndicationFeedFormatter formatter, FeedDocument doc, Func<XmlWriter, XmlWriter>? wrap = null)
    {
        using var buffer = new RenderBuffer(doc.ExpectedBytes());
        using (var writer = (wrap ?? (w => w))(XmlWriter.Create(buffer, Settings)))
        {
            writer.WriteStartDocument();
            writer.WriteProcessingInstruction("xml-stylesheet", $"type=\"text/xsl\" href=\"{new Uri(doc.StylesheetUrl).AbsoluteUri}\"");
            formatter.WriteTo(writer);
            writer.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    public static void WriteAtomLink(XmlWriter writer, string rel, string href, string? type = null)
    {
        writer.WriteStartElement("atom", "link", AtomNamespace);
        writer.WriteAttributeString("rel", rel);
        writer.WriteAttributeString("href", href);
        if (type is not null) writer.WriteAttributeString("type", type);
        writer.WriteEndElement();
    }

    /// <summary>The hero image as Media RSS: content with caption and credit, and a thumbnail.</summary>
    /// <summary>RFC 5005 §4: the empty <c>fh:archive</c> that marks an archive document (feed or channel level).</summary>
    public static void WriteArchiveMark(XmlWriter writer)
    {
        writer.WriteStartElement("fh", "archive", HistoryNamespace);
        writer.WriteEndElement();
    }

    public static void WriteMedia(XmlWriter writer, HeroImage image)
    {
        writer.WriteStartElement("media", "content", MediaNamespace);
        writer.WriteAttributeString("url", image.Url);
        writer.WriteAttributeString("medium", "image");
        if (ImageType(image) is { } type) writer.WriteAttributeString("type", type);
        if (image.Width is { } width) writer.WriteAttributeString("width", width.ToString(CultureInfo.InvariantCulture));
        if (image.Height is { } height) writer.WriteAttributeString("height", height.ToString(CultureInfo.InvariantCulture));
        if (image.Length is > 0) writer.WriteAttributeString("fileSize", image.Length.Value.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(image.Caption))
        {
            writer.WriteStartElement("media", "description", MediaNamespace);
            writer.WriteAttributeString("type", "plain");
            writer.WriteString(image.Caption);
            writer.WriteEndElement();
        }
        if (!string.IsNullOrWhiteSpace(image.Credit))
        {
            writer.WriteElementString("media", "credit", MediaNamespace, image.Credit);
        }
        writer.WriteEndElement();

        writer.WriteStartElement("media", "thumbnail", MediaNamespace);
        writer.WriteAttributeString("url", image.Url);
        if (image.Width is { } thumbWidth) writer.WriteAttributeString("width", thumbWidth.ToString(CultureInfo.InvariantCulture));
        if (image.Height is { } thumbHeight) writer.WriteAttributeString("height", thumbHeight.ToString(CultureInfo.InvariantCulture));
        writer.WriteEndElement();
    }

    /// <summary>The image's media type: as stored, else from the file extension.</summary>
    public static string? ImageType(HeroImage image)
    {
        if (!string.IsNullOrEmpty(image.Type)) return image.Type;
        var path = Uri.TryCreate(image.Url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : image.Url;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            ".avif" => "image/avif",
            _ => null,
        };
    }

    /// <summary>The names an article is filed under in every format: its sections, then its tags.</summary>
    public static IEnumerable<string> CategoryNames(Article article) =>
        article.Sections.Concat(article.Tags).Select(term => term.Name);

    /// <summary>What RSS items and Atom entries share: the hero image as enclosure, and the categories.</summary>
    public static void AddEnclosureAndCategories(SyndicationItem item, Article article)
    {
        if (Enclosure(article.Image) is { } enclosure) item.Links.Add(enclosure);
        foreach (var name in CategoryNames(article)) item.Categories.Add(new SyndicationCategory(name));
    }

    /// <summary>An enclosure needs a type and a length (RSS 2.0); without both the image is only in Media RSS.</summary>
    public static SyndicationLink? Enclosure(HeroImage? image) =>
        image is { Length: > 0 } && ImageType(image) is { } type
            ? new SyndicationLink(new Uri(image.Url), "enclosure", null, type, image.Length.Value)
            : null;

}
