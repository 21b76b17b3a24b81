using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// JSON Feed 1.0 and 1.1 (jsonfeed.org). A document that is not valid JSON is refused whole, as JSON
/// readers do (a cut-off JSON document has no end to trust); inside a valid one, an item that cannot be
/// read is dropped alone.
/// </summary>
internal static partial class JsonFeedDocument
{
    private static readonly string[] FeedProperties = ["version", "title", "home_page_url", "author", "authors", "items"];

    // An escape of half a surrogate pair (\uD800) with no other half, where the backslash is not
    // itself escaped (an even number of backslashes before it). The look-behind runs only after a
    // backslash and a "u", so a long run of backslashes costs linear time.
    [GeneratedRegex(@"\\u(?<=(?:^|[^\\])(?:\\\\)*\\u)(?:[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|[dD][c-fC-F][0-9a-fA-F]{2}(?<!\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}))", RegexOptions.CultureInvariant)]
    private static partial Regex LoneSurrogateEscape();

    private static readonly JsonReaderOptions Options = new()
    {
        // A feed needs 4 levels. Deeper items are dropped one by one (ItemMaxDepth); a document past
        // this is an attack on the parser, not a feed, and is refused.
        MaxDepth = 1_000,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>How deep an item may nest, as for an XML item (<see cref="SafeXml.MaxDepth"/>).</summary>
    private const int ItemMaxDepth = SafeXml.MaxDepth;

    public static void Read(string text, Uri baseUri, PartnerFeedBuilder feed)
    {
        var top = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var items = new List<JsonElement>();
        try
        {
            // System.Text.Json refuses to decode an escaped lone surrogate ("\ud800") anywhere, even
            // in a name we never read; such escapes become U+FFFD, as an unpaired surrogate is in any decoder.
            Scan(Encoding.UTF8.GetBytes(LoneSurrogateEscape().Replace(text, "\\uFFFD")), top, items);
        }
        catch (JsonException e)
        {
            throw new PartnerFeedException($"Malformed JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {e.Message}", e);
        }

        var version = String(top, "version");
        if (version is null || !version.Contains("jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase))
        {
            throw new PartnerFeedException("Not a feed: JSON without a jsonfeed.org version.");
        }
        feed.Format = "JSON Feed " + (version.EndsWith("/1", StringComparison.Ordinal) ? "1.0" : PartnerText.PlainText(version[(version.LastIndexOf('/') + 1)..], 8));
        feed.Title = FeedText.Text(String(top, "title"));
        feed.Link = FeedUrl.Resolve(String(top, "home_page_url"), baseUri);
        var feedAuthor = Author(top);

        foreach (var item in items)
        {
            var more = item.ValueKind != JsonValueKind.Object ? feed.Skip("", "not a JSON object")
                : NestsTooDeep(item) ? feed.Skip(PartnerFeedBuilder.Naming(Label(item)), $"its values nest more than {ItemMaxDepth} levels deep")
                : feed.Add(() => Entry(item, baseUri, feedAuthor), Label(item));
            if (!more) break;
        }
    }

    private static void Scan(byte[] json, Dictionary<string, JsonElement> top, List<JsonElement> items)
    {
        var reader = new Utf8JsonReader(json, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new PartnerFeedException("Not a feed: JSON that is not an object.");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Names compared without decoding them: a name with a broken escape is just not one of ours.
            var name = KnownName(ref reader);
            reader.Read();
            if (name == "items" && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(JsonElement.ParseValue(ref reader));
            }
            else if (name is not null)
            {
                top.TryAdd(name, JsonElement.ParseValue(ref reader));
            }
            else
            {
                reader.Skip();
            }
        }
        // Past the root: only whitespace and comments may follow (the reader throws on anything else).
        reader.Read();
    }

    private static string? KnownName(ref Utf8JsonReader reader)
    {
        foreach (var name in FeedProperties)
        {
            if (reader.ValueTextEquals(name)) return name;
        }
        return null;
    }

    private static bool NestsTooDeep(JsonElement item)
    {
        // Walked with an explicit stack: the reader allows far more depth than the call stack would.
        var pending = new Stack<(JsonElement Value, int Depth)>([(item, 1)]);
        while (pending.TryPop(out var next))
        {
            if (next.Depth > ItemMaxDepth) return true;
            if (next.Value.ValueKind == JsonValueKind.Object) foreach (var p in next.Value.EnumerateObject()) pending.Push((p.Value, next.Depth + 1));
            else if (next.Value.ValueKind == JsonValueKind.Array) foreach (var v in next.Value.EnumerateArray()) pending.Push((v, next.Depth + 1));
        }
        return false;
    }

    private static string? Label(JsonElement item) => String(item, "id") ?? String(item, "url") ?? String(item, "title");

    private static FeedEntry Entry(JsonElement item, Uri baseUri, string? feedAuthor) => new()
    {
        // JSON Feed ids are strings, but numbers are common enough to accept.
        Id = String(item, "id") ?? (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetRawText() : null),
        Title = FeedText.Text(String(item, "title")),
        Link = FeedUrl.Resolve(String(item, "url") ?? String(item, "external_url"), baseUri),
        Summary = FeedText.Text(String(item, "summary")),
        Content = FeedText.Html(String(item, "content_html")) ?? FeedText.Text(String(item, "content_text")),
        ContentBase = baseUri,
        Published = FeedEntry.Dates(String(item, "date_published")),
        Updated = FeedEntry.Dates(String(item, "date_modified")),
        Author = Author(item) ?? feedAuthor,
        Image = FeedUrl.Resolve(String(item, "image") ?? String(item, "banner_image"), baseUri),
        Categories = item.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? [.. tags.EnumerateArray().Select(String).OfType<string>()]
            : [],
    };

    /// <summary>JSON Feed 1.1 "authors", else 1.0 "author": the first name.</summary>
    private static string? Author(JsonElement parent) =>
        parent.ValueKind == JsonValueKind.Object ? Author(parent.TryGetProperty("authors", out var a) ? a : null, parent.TryGetProperty("author", out var b) ? b : null) : null;

    private static string? Author(Dictionary<string, JsonElement> top) =>
        Author(top.TryGetValue("authors", out var a) ? a : null, top.TryGetValue("author", out var b) ? b : null);

    private static string? Author(JsonElement? authors, JsonElement? author) =>
        authors is { ValueKind: JsonValueKind.Array } list
            ? FeedAuthor.First([.. list.EnumerateArray().Select(a => String(a, "name"))])
            : author is { } one ? FeedAuthor.Name(String(one, "name")) : null;

    private static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? String(value) : null;

    private static string? String(Dictionary<string, JsonElement> top, string name) =>
        top.TryGetValue(name, out var value) ? String(value) : null;

    private static string? String(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
