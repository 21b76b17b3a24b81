using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NewsFeed.Feeds;

namespace NewsFeed.Embed;

/// <summary>
/// The compact JSON of <c>/api/headlines</c>, written by hand so its shape is exactly the one the
/// README documents (and <c>docs/headlines.schema.json</c> pins).
/// </summary>
internal static class HeadlinesJson
{
    public const string ContentType = "application/json; charset=utf-8";

    private static readonly JsonWriterOptions Options = new()
    {
        // Every script can read non-ASCII text, so keep it readable; the encoder still escapes
        // < > & ' " as \uXXXX, so the JSON stays inert even if a partner inlines it into a page.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static byte[] Write(HeadlineList list)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("title", list.Title);
            json.WriteString("link", list.Link);
            json.WriteString("feed", list.Feed);
            WriteSection(json, list.Section);
            json.WriteStartArray("headlines");
            foreach (var headline in list.Headlines) WriteHeadline(json, headline);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteHeadline(Utf8JsonWriter json, Headline headline)
    {
        json.WriteStartObject();
        json.WriteString("id", headline.Id);
        json.WriteString("title", headline.Title);
        json.WriteString("url", headline.Url);
        json.WriteString("summary", headline.Summary);
        if (headline.Thumbnail is { } thumbnail)
        {
            json.WriteStartObject("thumbnail");
            json.WriteString("url", thumbnail.Url);
            if (thumbnail.Width is { } width) json.WriteNumber("width", width);
            if (thumbnail.Height is { } height) json.WriteNumber("height", height);
            if (thumbnail.Alt is { } alt) json.WriteString("alt", alt);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("thumbnail");
        }
        json.WriteString("published", FeedDates.Rfc3339(headline.Published));
        WriteSection(json, headline.Section);
        json.WriteStartObject("source");
        json.WriteString("type", headline.Source.Type);
        if (headline.Source.Id is { } id) json.WriteString("id", id);
        json.WriteString("name", headline.Source.Name);
        json.WriteString("url", headline.Source.Url);
        json.WriteEndObject();
        json.WriteString("language", headline.Language);
        json.WriteEndObject();
    }

    private static void WriteSection(Utf8JsonWriter json, HeadlineSection? section)
    {
        if (section is null)
        {
            json.WriteNull("section");
            return;
        }
        json.WriteStartObject("section");
        json.WriteString("slug", section.Slug);
        json.WriteString("name", section.Name);
        json.WriteEndObject();
    }
}
