using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// JSON Feed 1.0 and 1.1 (jsonfeed.org). Read with Utf8JsonReader one item at a time, so a document
/// that breaks off keeps the complete items before the break, as XML does.
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
        MaxDepth = 32, // a feed needs 4; deeper is an attack on the parser, not a feed
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static void Read(string text, Uri baseUri, PartnerFeedBuilder feed)
    {
        var top = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var items = new List<JsonElement>();
        JsonException? error = null;
        try
        {
            // System.Text.Json refuses to decode an escaped lone surrogate ("\ud800") anywhere, even
            // in a name we never read; such escapes become U+FFFD, as an unpaired surrogate is in any decoder.
            Scan(Encoding.UTF8.GetBytes(LoneSurrogateEscape().Replace(text, "\\uFFFD")), top, items);
        }
        catch (JsonException e)
        {
            error = e;
        }

        var version = String(top, "version");
        if (version is null || !version.Contains("jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase))
        {
            throw error is null
                ? new PartnerFeedException("Not a feed: JSON without a jsonfeed.org version.")
                : new PartnerFeedException($"Not a feed: malformed JSON at line {error.LineNumber + 1}, position {error.BytePositionInLine + 1}: {error.Message}", error);
        }
        feed.Format = "JSON Feed " + (version.EndsWith("/1", StringComparison.Ordinal) ? "1.0" : PartnerText.PlainText(version[(version.LastIndexOf('/') + 1)..], 8));
        feed.Title = FeedText.Text(String(top, "title"));
        feed.Link = FeedUrl.Resolve(String(top, "home_page_url"), baseUri);
        var feedAuthor = Author(top);

        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                feed.Warn("An item that is not a JSON object was skipped.");
                continue;
            }
            if (!feed.Add(Entry(item, baseUri, feedAuthor))) break;
        }
        if (error is not null) feed.Malformed("JSON", (error.LineNumber ?? 0) + 1, (error.BytePositionInLine ?? 0) + 1, error.Message);
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
    }

    private static string? KnownName(ref Utf8JsonReader reader)
    {
        foreach (var name in FeedProperties)
        {
            if (reader.ValueTextEquals(name)) return name;
        }
        return null;
    }

    private static FeedEntry Entry(JsonElement item, Uri baseUri, string? feedAuthor) => new()
    {
        // JSON Feed ids are strings, but numbers are common enough to accept.
        Id = String(item, "id") ?? (item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetRawText() : null),
        Title = FeedText.Text(String(item, "title")),
        Link = FeedUrl.Resolve(String(item, "url") ?? String(item, "external_url"), baseUri),
        Summary = FeedText.Text(String(item, "summary")),
        Content = FeedText.Html(String(item, "content_html")) ?? FeedText.Text(String(item, "content_text")),
        ContentBase = baseUri,
        Published = String(item, "date_published"),
        Updated = String(item, "date_modified"),
        Author = Author(item) ?? feedAuthor,
        Image = FeedUrl.Resolve(String(item, "image") ?? String(item, "banner_image"), baseUri),
        Categories = item.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? [.. tags.EnumerateArray().Select(String).OfType<string>()]
            : [],
    };

    /// <summary>JSON Feed 1.1 "authors", else 1.0 "author": the first name.</summary>
    private static string? Author(JsonElement parent) =>
        parent.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array
            ? authors.EnumerateArray().Select(a => String(a, "name")).FirstOrDefault(n => n is not null)
            : parent.TryGetProperty("author", out var author) ? String(author, "name") : null;

    private static string? Author(Dictionary<string, JsonElement> top) =>
        top.TryGetValue("authors", out var authors) && authors.ValueKind == JsonValueKind.Array
            ? authors.EnumerateArray().Select(a => String(a, "name")).FirstOrDefault(n => n is not null)
            : top.TryGetValue("author", out var author) ? String(author, "name") : null;

    private static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) ? String(value) : null;

    private static string? String(Dictionary<string, JsonElement> top, string name) =>
        top.TryGetValue(name, out var value) ? String(value) : null;

    private static string? String(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
