using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace NewsFeed.Tests.Feeds;

/// <summary>Checks every feed must pass, and structural comparison against golden files.</summary>
public static partial class FeedAssert
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    public static readonly XNamespace Media = "http://search.yahoo.com/mrss/";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    // RFC 822 as RSS 2.0 uses it, in the one form we write: "Tue, 03 Nov 2026 08:15:00 GMT".
    [GeneratedRegex(@"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$")]
    public static partial Regex Rfc822();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    public static partial Regex Rfc3339();

    [GeneratedRegex("""(?:href|src)\s*=\s*["']([^"']*)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlUrl();

    /// <summary>Parses like a strict, safe consumer: no DTD, every character checked.</summary>
    public static XDocument WellFormedXml(byte[] body)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, CheckCharacters = true, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(body), settings);
        var doc = XDocument.Load(reader);
        Assert.False(body.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte order mark");
        return doc;
    }

    public static void ValidRss(byte[] body)
    {
        var doc = WellFormedXml(body);
        var channel = doc.Root!.Element("channel")!;
        Assert.Equal("rss", doc.Root.Name.LocalName);
        Assert.Equal("2.0", (string?)doc.Root.Attribute("version"));
        foreach (var name in new[] { "title", "link", "description" })
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)channel.Element(name)), $"channel/{name}");
        }
        Assert.Single(channel.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
        foreach (var date in channel.Descendants().Where(e => e.Name.LocalName is "pubDate" or "lastBuildDate"))
        {
            Assert.Matches(Rfc822(), date.Value);
            DateTimeOffset.ParseExact(date.Value, "r", CultureInfo.InvariantCulture);
        }
        foreach (var item in channel.Elements("item"))
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)item.Element("title")), "item/title");
            Assert.NotNull(item.Element("guid"));
            Assert.NotNull(item.Element("pubDate"));
            // Full content, or (an item that gave it up for the byte budget) the summary alone.
            Assert.True(item.Element(Content + "encoded") is not null || item.Element("description") is not null, "content:encoded or description");
            var enclosure = item.Element("enclosure");
            if (enclosure is not null)
            {
                Assert.True(long.Parse((string)enclosure.Attribute("length")!, CultureInfo.InvariantCulture) > 0);
                Assert.StartsWith("image/", (string)enclosure.Attribute("type")!, StringComparison.Ordinal);
            }
        }
        AllUrlsAbsolute(doc, item => item.Element(Content + "encoded")?.Value);
    }

    public static void ValidAtom(byte[] body)
    {
        var doc = WellFormedXml(body);
        var feed = doc.Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.False(string.IsNullOrWhiteSpace((string?)feed.Element(Atom + "id")));
        Assert.Single(feed.Elements(Atom + "link"), l => (string?)l.Attribute("rel") == "self");
        foreach (var date in feed.Descendants().Where(e => e.Name == Atom + "updated" || e.Name == Atom + "published"))
        {
            Assert.Matches(Rfc3339(), date.Value);
        }
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            foreach (var required in new[] { "id", "title", "updated" })
            {
                Assert.NotNull(entry.Element(Atom + required));
            }
            // RFC 4287 §4.1.1: entries without an author inherit the feed's.
            Assert.True(entry.Elements(Atom + "author").Any() || feed.Elements(Atom + "author").Any());
        }
        AllUrlsAbsolute(doc, entry => entry.Element(Atom + "content")?.Value);
    }

    public static JsonObject ValidJsonFeed(byte[] body)
    {
        var feed = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("https://jsonfeed.org/version/1.1", (string?)feed["version"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)feed["title"]));
        foreach (var key in new[] { "home_page_url", "feed_url", "next_url", "icon", "favicon" })
        {
            if (feed[key] is { } url) AbsoluteUrl((string)url!);
        }
        foreach (var hub in feed["hubs"]?.AsArray() ?? [])
        {
            Assert.Equal("WebSub", (string?)hub!["type"]);
            AbsoluteUrl((string)hub["url"]!);
        }
        var ids = new HashSet<string>();
        foreach (var item in feed["items"]!.AsArray())
        {
            Assert.True(ids.Add((string)item!["id"]!), "item ids are unique");
            Assert.True(item["content_html"] is not null || item["content_text"] is not null, "content_html or content_text");
            foreach (var key in new[] { "date_published", "date_modified" })
            {
                if (item[key] is { } date) Assert.Matches(Rfc3339(), (string)date!);
            }
            foreach (var key in new[] { "url", "image", "banner_image", "external_url" })
            {
                if (item[key] is { } url) AbsoluteUrl((string)url!);
            }
            foreach (var author in item["authors"]?.AsArray() ?? [])
            {
                if (author!["url"] is { } url) AbsoluteUrl((string)url!);
            }
            foreach (var attachment in item["attachments"]?.AsArray() ?? [])
            {
                AbsoluteUrl((string)attachment!["url"]!);
                Assert.False(string.IsNullOrEmpty((string?)attachment["mime_type"]));
            }
            foreach (Match match in HtmlUrl().Matches((string?)item["content_html"] ?? ""))
            {
                AbsoluteUrl(match.Groups[1].Value);
            }
            AssertNoControlCharacters(item.ToJsonString());
        }
        return feed;
    }

    public static void AbsoluteUrl(string url) =>
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "urn" or "mailto", $"absolute URL expected: '{url}'");

    /// <summary>Compares as XML trees (names, attributes, text), not as strings; reports the first difference.</summary>
    public static void SameXml(XDocument expected, XDocument actual)
    {
        var difference = FirstDifference(expected.Root!, actual.Root!, "/");
        Assert.True(difference is null, difference);
        Assert.Equal(
            expected.Nodes().OfType<XProcessingInstruction>().Select(p => p.ToString()),
            actual.Nodes().OfType<XProcessingInstruction>().Select(p => p.ToString()));
    }

    public static void SameJson(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"JSON differs:\nexpected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");

    private static void AllUrlsAbsolute(XDocument doc, Func<XElement, string?> html)
    {
        var stylesheet = doc.Nodes().OfType<XProcessingInstruction>().Single(p => p.Target == "xml-stylesheet");
        AbsoluteUrl(Regex.Match(stylesheet.Data, "href=\"([^\"]+)\"").Groups[1].Value);
        foreach (var element in doc.Descendants())
        {
            foreach (var attribute in element.Attributes().Where(a => a.Name.LocalName is "href" or "url" or "src" or "uri"))
            {
                AbsoluteUrl(attribute.Value);
            }
            if (element.Name.LocalName is "link" or "uri" or "logo" or "icon" && !element.HasElements && element.Value.Length > 0)
            {
                AbsoluteUrl(element.Value);
            }
            if (element.Name.LocalName is "item" or "entry")
            {
                foreach (Match match in HtmlUrl().Matches(html(element) ?? ""))
                {
                    AbsoluteUrl(match.Groups[1].Value);
                }
            }
            foreach (var text in element.Nodes().OfType<XText>())
            {
                AssertNoControlCharacters(text.Value);
            }
        }
    }

    private static void AssertNoControlCharacters(string text) =>
        Assert.DoesNotContain(text, c => c is < ' ' and not ('\t' or '\n' or '\r') or (>= '\u007F' and <= '\u009F'));

    private static string? FirstDifference(XElement expected, XElement actual, string path)
    {
        path += expected.Name.LocalName;
        if (expected.Name != actual.Name) return $"{path}: element {actual.Name} instead of {expected.Name}";
        var expectedAttributes = Attributes(expected);
        var actualAttributes = Attributes(actual);
        if (!expectedAttributes.SequenceEqual(actualAttributes))
        {
            return $"{path}: attributes [{string.Join(", ", actualAttributes)}] instead of [{string.Join(", ", expectedAttributes)}]";
        }
        var expectedChildren = expected.Elements().ToList();
        var actualChildren = actual.Elements().ToList();
        if (expectedChildren.Count == 0 && actualChildren.Count == 0)
        {
            return expected.Value == actual.Value ? null : $"{path}: text '{actual.Value}' instead of '{expected.Value}'";
        }
        if (expectedChildren.Count != actualChildren.Count)
        {
            return $"{path}: {actualChildren.Count} child elements instead of {expectedChildren.Count}";
        }
        for (var i = 0; i < expectedChildren.Count; i++)
        {
            if (FirstDifference(expectedChildren[i], actualChildren[i], $"{path}[{i}]/") is { } difference) return difference;
        }
        return null;
    }

    // Namespace declarations are prefix bookkeeping, not content: compare the rest, in name order.
    private static List<string> Attributes(XElement element) => element.Attributes()
        .Where(a => !a.IsNamespaceDeclaration)
        .Select(a => $"{a.Name}={a.Value}")
        .Order(StringComparer.Ordinal)
        .ToList();
}
