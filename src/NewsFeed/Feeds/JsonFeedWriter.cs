using System.Text.Encodings.Web;
using System.Text.Json;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Text;
using static NewsFeed.Feeds.FeedXml;

namespace NewsFeed.Feeds;

/// <summary>JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) with System.Text.Json.</summary>
internal static class JsonFeedWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // application/feed+json is never inlined into HTML, so typographic quotes and Hebrew stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(FeedDocument doc, Stream output)
    {
        var site = doc.Site;
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            json.WriteString("version", "https://jsonfeed.org/version/1.1");
            json.WriteString("title", doc.Title);
            json.WriteString("home_page_url", site.Link);
            json.WriteString("feed_url", doc.SelfUrl);
            json.WriteString("description", doc.Description);
            if (doc.NextUrl is not null) json.WriteString("next_url", doc.NextUrl);
            WriteArchiveLinks(json, doc);
            if (site.LogoUrl is not null) json.WriteString("icon", site.LogoUrl);
            if (site.IconUrl is not null) json.WriteString("favicon", site.IconUrl);
            json.WriteString("language", site.Language);
            json.WriteStartArray("authors");
            json.WriteStartObject();
            json.WriteString("name", SafeText.Clean(site.Title));
            json.WriteString("url", site.Link);
            json.WriteEndObject();
            json.WriteEndArray();
            if (doc.Hubs.Count > 0)
            {
                json.WriteStartArray("hubs");
                foreach (var hub in doc.Hubs)
                {
                    json.WriteStartObject();
                    json.WriteString("type", "WebSub");
                    json.WriteString("url", hub);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteStartArray("items");
            for (var index = 0; index < doc.Items.Count; index++)
            {
                var article = doc.Items[index];
                WriteItem(json, article, doc.Sources.GetValueOrDefault(article.Id), doc.HasFullContent(index));
                // Into the buffer item by item: over a stream, the writer otherwise keeps the whole document
                // in a growing array of its own (a large-object-heap copy at every doubling).
                json.Flush();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    /// <summary>
    /// RFC 5005 archives in JSON Feed, which has no word for them: an extension object (JSON Feed 1.1 §"Extensions":
    /// a key starting with an underscore, with an <c>about</c> URL) holding the same links the XML formats carry.
    /// </summary>
    private static void WriteArchiveLinks(Utf8JsonWriter json, FeedDocument doc)
    {
        if (!doc.IsArchive && doc.PrevArchiveUrl is null) return;
        json.WriteStartObject("_archive");
        json.WriteString("about", "https://www.rfc-editor.org/rfc/rfc5005#section-4");
        if (doc.IsArchive)
        {
            json.WriteBoolean("archive", true);
            json.WriteString("current", doc.CurrentUrl);
        }
        if (doc.PrevArchiveUrl is not null) json.WriteString("prev_archive", doc.PrevArchiveUrl);
        if (doc.NextArchiveUrl is not null) json.WriteString("next_archive", doc.NextArchiveUrl);
        json.WriteEndObject();
    }

    /// <summary>
    /// A string value of any length, written in segments of <see cref="Segment"/> characters and flushed after each:
    /// in one call, the writer escapes into a pooled buffer six times the value's length (8 MB for a 450,000-character
    /// story, which the shared pool then keeps) and grows its own output buffer to hold it all.
    /// </summary>
    private static void WriteLongString(Utf8JsonWriter json, string name, string value)
    {
        if (value.Length <= Segment)
        {
            json.WriteString(name, value);
            return;
        }
        json.WritePropertyName(name);
        // A surrogate pair split between two segments is joined by the writer (LongTextOutputTests).
        var rest = value.AsSpan();
        while (rest.Length > Segment)
        {
            json.WriteStringValueSegment(rest[..Segment], isFinalSegment: false);
            json.Flush();
            rest = rest[Segment..];
        }
        json.WriteStringValueSegment(rest, isFinalSegment: true);
    }

    private const int Segment = 8_192;

    /// <param name="fullContent">
    /// False: the item gives up content_html for its summary as content_text (the byte budget), instead of
    /// repeating it as summary; JSON Feed 1.1 needs one of content_html and content_text in every item.
    /// </param>
    private static void WriteItem(Utf8JsonWriter json, Article article, PartnerSource? source, bool fullContent)
    {
        json.WriteStartObject();
        json.WriteString("id", FeedIds.ForArticle(article));
        json.WriteString("url", article.Url);
        json.WriteString("title", article.Title);
        if (fullContent)
        {
            WriteLongString(json, "content_html", article.Body);
            if (!string.IsNullOrEmpty(article.Summary)) json.WriteString("summary", article.Summary);
        }
        else
        {
            // The summary is the content now; written once.
            json.WriteString("content_text", article.Summary);
        }
        if (article.Image is { } image) json.WriteString("image", image.Url);
        json.WriteString("date_published", FeedDates.Rfc3339(article.Published));
        json.WriteString("date_modified", FeedDates.Rfc3339(article.Updated));
        if (article.Authors.Count > 0 || source is not null)
        {
            json.WriteStartArray("authors");
            foreach (var author in article.Authors)
            {
                json.WriteStartObject();
                json.WriteString("name", author.Name);
                if (author.Url is not null) json.WriteString("url", author.Url);
                json.WriteEndObject();
            }
            if (source is not null)
            {
                // JSON Feed has no source element: the partner is credited as an author with its site.
                json.WriteStartObject();
                json.WriteString("name", SafeText.Clean(source.Name));
                if (source.SiteUrl is not null) json.WriteString("url", source.SiteUrl);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteStartArray("tags");
        foreach (var name in CategoryNames(article)) json.WriteStringValue(name);
        json.WriteEndArray();
        json.WriteString("language", article.Language);
        if (Enclosure(article.Image) is { } enclosure)
        {
            json.WriteStartArray("attachments");
            json.WriteStartObject();
            json.WriteString("url", article.Image!.Url);
            json.WriteString("mime_type", enclosure.MediaType);
            json.WriteNumber("size_in_bytes", enclosure.Length);
            json.WriteEndObject();
            json.WriteEndArray();
        }
        if (article.Image is { } hero)
        {
            // JSON Feed has no caption or credit; "_"-prefixed keys are its extension mechanism.
            json.WriteStartObject("_image");
            if (hero.Caption is not null) json.WriteString("caption", hero.Caption);
            if (hero.Credit is not null) json.WriteString("credit", hero.Credit);
            if (hero.Alt is not null) json.WriteString("alt", hero.Alt);
            if (hero.Width is { } width) json.WriteNumber("width", width);
            if (hero.Height is { } height) json.WriteNumber("height", height);
            json.WriteEndObject();
        }
        if (source is not null)
        {
            json.WriteStartObject("_source");
            json.WriteString("id", source.PartnerId);
            json.WriteString("title", SafeText.Clean(source.Name));
            json.WriteString("feed_url", source.FeedUrl);
            if (source.SiteUrl is not null) json.WriteString("home_page_url", source.SiteUrl);
            if (source.Attribution is { Length: > 0 } attribution) json.WriteString("attribution", SafeText.Clean(attribution));
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
