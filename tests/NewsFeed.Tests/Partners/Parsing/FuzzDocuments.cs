using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>
/// Feed documents for the item fuzz test: good items (known fields) among bad ones built from random
/// subsets of fields with hostile values: empty, whitespace, markup only, huge, malformed, too deep.
/// Every document stays well-formed XML or valid JSON: the point is items, not documents.
/// </summary>
internal static class FuzzDocuments
{
    public static readonly string[] Formats = ["RSS 0.91", "RSS 0.92", "RSS 1.0", "RSS 2.0", "Atom 0.3", "Atom 1.0", "JSON Feed 1.0", "JSON Feed 1.1"];

    /// <summary>A field's value: text, or (Raw) markup written into the document as it is.</summary>
    public sealed record Value(string Text, bool Raw = false);

    public sealed record Good(string Id, string Title, string Link, string Summary, DateTimeOffset Published, string Author);

    private static readonly string[] Fields = ["id", "title", "link", "summary", "content", "published", "updated", "author", "image", "category"];

    private static readonly string[] Hostile =
    [
        "", "   \n\t  ", "<img src=\"https://bad.example/i.png\">", "<p></p>", "<script>alert(1)</script>", "<div><span> </span></div>", "<br/>",
        "&bogus; &amp;amp; \u0001\u0008 control \uFFFE", "javascript:alert(1)", "http://[::1", "not a date", "2026-02-30T25:61:00Z",
        "Fri, 99 Foo 2026", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00-14:00", "me@example.com", "<me@example.com>", "(  )",
        "\uD800 lone \uDC00", "\U0001D54F emoji \U0001F600", "%E0%A4%A", "/relative/path?x=1&y=2", "//protocol-relative.example/x",
        "mailto:x@y.example", "]]>", "\u202Eright-to-left override",
    ];

    private static readonly string DeepXml = string.Concat(Enumerable.Repeat("<div>", 120)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 120));
    private static readonly string DeepJson = string.Concat(Enumerable.Repeat("{\"a\":", 120)) + "1" + new string('}', 120);
    private static readonly string[] WrongJsonTypes = ["42", "[1,2]", "{\"a\":1}", "null", "true", "-0.5e9"];

    /// <summary>A document in <paramref name="format"/> and the good items in it, from <paramref name="random"/>.</summary>
    public static (byte[] Document, List<Good> Goods) Create(string format, Random random, int round)
    {
        var json = format.StartsWith("JSON", StringComparison.Ordinal);
        var goods = Enumerable.Range(0, random.Next(2, 6)).Select(i => new Good(
            $"good-{round}-{i}", $"Good story {round}-{i}", $"https://good.example/{round}/{i}", $"Good summary {round}-{i}.",
            new DateTimeOffset(2026, 11, 1 + i, 8, round % 60, 0, TimeSpan.Zero), $"Good Author {i}")).ToList();
        var items = goods.Select(g => GoodFields(g, format)).ToList();
        for (var bad = random.Next(1, 7); bad > 0; bad--) items.Insert(random.Next(items.Count + 1), BadFields(random, goods, json));
        return (Encoding.UTF8.GetBytes(json ? JsonDocument(format, items) : XmlDocument(format, items, random)), goods);
    }

    private static Dictionary<string, Value> GoodFields(Good g, string format) => new()
    {
        ["id"] = new(g.Id),
        ["title"] = new(g.Title),
        ["link"] = new(g.Link),
        ["summary"] = new(g.Summary),
        ["published"] = new(format.StartsWith("RSS 2", StringComparison.Ordinal) || format.StartsWith("RSS 0", StringComparison.Ordinal)
            ? g.Published.ToString("r", CultureInfo.InvariantCulture) : g.Published.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal)),
        // RSS 2.0's email form in RSS; the name alone elsewhere.
        ["author"] = new(format.StartsWith("RSS", StringComparison.Ordinal) ? $"good@example.com ({g.Author})" : g.Author),
    };

    private static Dictionary<string, Value> BadFields(Random random, List<Good> goods, bool json)
    {
        var fields = new Dictionary<string, Value>();
        foreach (var field in Fields.Where(_ => random.Next(3) == 0))
        {
            fields[field] = random.Next(12) switch
            {
                0 => new(string.Concat(Enumerable.Repeat("huge <b>text</b> & more ", random.Next(200, 4_000)))),
                1 => json ? new(DeepJson, Raw: true) : new(DeepXml, Raw: true),
                2 when json => new(WrongJsonTypes[random.Next(WrongJsonTypes.Length)], Raw: true),
                2 => new("AT&T < 5% &nbsp; sloppy", Raw: true),
                // A good item's guid on a bad item (with another link, or none): still a different item.
                3 when field == "id" => new(goods[random.Next(goods.Count)].Id),
                _ => new(Hostile[random.Next(Hostile.Length)]),
            };
        }
        if (fields.TryGetValue("link", out var link) && goods.Any(g => g.Link == link.Text)) fields.Remove("link");
        return fields;
    }

    private static string XmlDocument(string format, List<Dictionary<string, Value>> items, Random random)
    {
        var body = new StringBuilder();
        foreach (var item in items) body.Append(XmlItem(format, item, random)).Append('\n');
        return format switch
        {
            "RSS 1.0" => $"<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel rdf:about=\"https://fuzz.example/\"><title>Fuzz</title><link>https://fuzz.example/</link></channel>\n{body}</rdf:RDF>",
            "Atom 1.0" => $"<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Fuzz</title><id>urn:fuzz</id><updated>2026-11-20T00:00:00Z</updated>\n{body}</feed>",
            "Atom 0.3" => $"<?xml version=\"1.0\"?>\n<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><title>Fuzz</title>\n{body}</feed>",
            _ => $"<?xml version=\"1.0\"?>\n<rss version=\"{format[4..]}\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>Fuzz</title><link>https://fuzz.example/</link><description>d</description>\n{body}</channel></rss>",
        };
    }

    private static string XmlItem(string format, Dictionary<string, Value> f, Random random)
    {
        string El(string name, string field, string attributes = "") =>
            f.TryGetValue(field, out var v) ? $"<{name}{attributes}>{(v.Raw ? v.Text : Text(v.Text, random))}</{name}>" : "";
        string Attr(string field) => f.TryGetValue(field, out var v) ? SecurityElement.Escape(v.Text) : "";
        return format switch
        {
            "Atom 1.0" => $"<entry>{El("id", "id")}{El("title", "title", random.Next(2) == 0 ? " type=\"html\"" : "")}{(f.ContainsKey("link") ? $"<link href=\"{Attr("link")}\"/>" : "")}"
                + $"{El("summary", "summary")}{El("content", "content", " type=\"html\"")}{El("published", "published")}{El("updated", "updated")}"
                + $"{(f.ContainsKey("author") ? $"<author>{El("name", "author")}</author>" : "")}{(f.ContainsKey("category") ? $"<category term=\"{Attr("category")}\"/>" : "")}</entry>",
            "Atom 0.3" => $"<entry>{El("id", "id")}{El("title", "title")}{(f.ContainsKey("link") ? $"<link rel=\"alternate\" type=\"text/html\" href=\"{Attr("link")}\"/>" : "")}"
                + $"{El("summary", "summary")}{El("content", "content", " type=\"text/html\" mode=\"escaped\"")}{El("issued", "published")}{El("modified", "updated")}"
                + $"{(f.ContainsKey("author") ? $"<author>{El("name", "author")}</author>" : "")}</entry>",
            "RSS 1.0" => $"<item{(f.ContainsKey("id") ? $" rdf:about=\"{Attr("id")}\"" : "")}>{El("title", "title")}{El("link", "link")}{El("description", "summary")}"
                + $"{El("content:encoded", "content")}{El("dc:date", "published")}{El("dc:creator", "author")}{El("dc:subject", "category")}</item>",
            _ => $"<item>{El("title", "title")}{El("link", "link")}{El("guid", "id", " isPermaLink=\"false\"")}{El("description", "summary")}{El("content:encoded", "content")}"
                + $"{El("pubDate", "published")}{El("author", "author")}{El("category", "category")}{(f.ContainsKey("image") ? $"<enclosure url=\"{Attr("image")}\" type=\"image/jpeg\"/>" : "")}</item>",
        };
    }

    /// <summary>Text escaped, or in CDATA when it can be.</summary>
    private static string Text(string text, Random random) =>
        random.Next(3) == 0 && !text.Contains("]]>", StringComparison.Ordinal) ? $"<![CDATA[{text}]]>" : SecurityElement.Escape(text);

    private static string JsonDocument(string format, List<Dictionary<string, Value>> items)
    {
        var v11 = format.EndsWith("1.1", StringComparison.Ordinal);
        static string J(Value v) => v.Raw ? v.Text : JsonSerializer.Serialize(v.Text);
        var list = items.Select(f =>
        {
            var members = new List<string>();
            void Add(string name, string field)
            {
                if (f.TryGetValue(field, out var v)) members.Add($"{JsonSerializer.Serialize(name)}:{J(v)}");
            }
            Add("id", "id");
            Add("title", "title");
            Add("url", "link");
            Add("summary", "summary");
            Add("content_html", "content");
            Add("date_published", "published");
            Add("date_modified", "updated");
            Add("image", "image");
            if (f.TryGetValue("author", out var a)) members.Add(v11 ? $"\"authors\":[{{\"name\":{J(a)}}}]" : $"\"author\":{{\"name\":{J(a)}}}");
            if (f.TryGetValue("category", out var c)) members.Add($"\"tags\":[{J(c)}]");
            return "{" + string.Join(",", members) + "}";
        });
        return $"{{\"version\":\"https://jsonfeed.org/version/{(v11 ? "1.1" : "1")}\",\"title\":\"Fuzz\",\"items\":[\n{string.Join(",\n", list)}]}}";
    }
}
