using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NewsFeed.Text;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Everything that does not depend on the format: the format readers hand it raw entries and it
/// makes them safe (text, HTML, URLs, caps), dates, identity and de-duplication, the item cap, the
/// warnings, and the one policy for documents that break off.
/// </summary>
internal sealed class PartnerFeedBuilder(PartnerParserLimits limits, DateTimeOffset now)
{
    private const int MaxWarnings = 50;
    private const int MaxNameLength = 200; // authors and categories, as for our own articles
    // A date more than a day ahead is a wrong clock or a wrong zone. It is dropped (null) rather than
    // clamped to now: a clamped date would move with every poll and make the item look edited each time.
    private static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    private readonly List<PartnerItem> _items = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private int _unshownWarnings;
    private int _seen;

    public string Format { get; set; } = "unknown";
    public FeedText? Title { get; set; }
    public Uri? Link { get; set; }

    public void Warn(string message)
    {
        if (_warnings.Count < MaxWarnings) _warnings.Add(message);
        else _unshownWarnings++;
    }

    /// <summary>Adds one entry; false once the feed is full and the reader should stop.</summary>
    public bool Add(FeedEntry entry)
    {
        if (_items.Count >= limits.MaxItems)
        {
            Warn($"The feed has more than {limits.MaxItems} items; only the first {limits.MaxItems} were read.");
            return false;
        }
        var position = ++_seen;
        if (ToItem(entry, position) is not { } item) return true;
        if (!_keys.Add(item.Key))
        {
            Warn($"Item {position} repeats the id '{Excerpt(item.Key)}'; the first one was kept.");
            return true;
        }
        _items.Add(item);
        return true;
    }

    /// <summary>
    /// The malformed-document policy, the same for XML and JSON: a document that is still broken
    /// after the lenient repairs keeps the complete items read before the break (with a warning
    /// that names the place) if there is at least one; otherwise it is not a feed we can read.
    /// </summary>
    public void Malformed(string syntax, long line, long position, string detail)
    {
        if (_items.Count == 0)
        {
            throw new PartnerFeedException($"Malformed {syntax} at line {line}, position {position}, before any complete item: {detail}");
        }
        Warn($"The document is truncated or malformed at line {line}, position {position} ({detail}); kept the {_items.Count} complete items before it.");
    }

    public PartnerFeed ToFeed()
    {
        var warnings = _unshownWarnings == 0 ? _warnings : [.. _warnings, $"…and {_unshownWarnings} more warnings."];
        return new PartnerFeed(Format, Text(Title, limits.MaxTitleLength), Url(Link), _items, warnings);
    }

    private PartnerItem? ToItem(FeedEntry entry, int position)
    {
        var content = entry.Content is { } c
            ? PartnerText.SanitizeHtml(c.Kind == TextKind.Html ? c.Value : PartnerText.TextToHtml(c.Value), entry.ContentBase, limits.MaxContentLength, limits.Html)
            : null;
        var summary = Text(entry.Summary ?? entry.Content, limits.MaxSummaryLength);
        var url = Url(entry.Link);
        var title = Text(entry.Title, limits.MaxTitleLength);
        if (title is null && url is null && content is null && summary is null)
        {
            Warn($"Item {position} has no title, link or content; skipped.");
            return null;
        }
        title ??= PartnerText.Truncate(summary is not null ? PartnerText.DeriveTitle(summary) : url!, limits.MaxTitleLength);

        var published = Date(entry.Published, "published", position);
        var updated = Date(entry.Updated, "updated", position);
        var author = entry.Author is null ? null : NullIfEmpty(PartnerText.PlainText(entry.Author, MaxNameLength));
        var image = Url(entry.Image);
        var categories = entry.Categories
            .Select(name => PartnerText.PlainText(name, MaxNameLength))
            .Where(name => name.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(limits.MaxCategories)
            .ToList();

        // What the store compares to notice an edit: every field as stored, normalized.
        var hash = Sha256(title, url, summary, content, Iso(published), Iso(updated), author, image, string.Join('\u001E', categories));
        var id = entry.Id is null ? null : NullIfEmpty(SafeText.Clean(entry.Id).Trim());
        var key = id switch
        {
            null => url ?? "sha256:" + hash,
            _ when id.Length > limits.MaxUrlLength => "sha256:" + Sha256(id),
            _ => id,
        };

        return new PartnerItem
        {
            Key = key,
            Title = title,
            Url = url,
            SummaryText = summary,
            ContentHtml = content,
            Published = published,
            Updated = updated,
            Author = author,
            ImageUrl = image,
            Categories = categories,
            ContentHash = hash,
        };
    }

    private static string? Text(FeedText? text, int maxLength) => text is null ? null : NullIfEmpty(
        text.Kind == TextKind.Html ? PartnerText.HtmlToText(text.Value, maxLength) : PartnerText.PlainText(text.Value, maxLength));

    /// <summary>Only absolute http(s) URLs that fit are kept; a cut URL would point somewhere else, so a long one is dropped.</summary>
    private string? Url(Uri? uri) =>
        uri is not null && FeedUrl.IsHttp(uri) && uri.AbsoluteUri.Length <= limits.MaxUrlLength ? uri.AbsoluteUri : null;

    private DateTimeOffset? Date(string? raw, string field, int position)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var date = FeedDateParser.Parse(raw);
        if (date is null)
        {
            Warn($"Item {position}: unreadable {field} date '{Excerpt(raw)}'.");
            return null;
        }
        if (date > now + MaxFutureSkew)
        {
            Warn($"Item {position}: {field} date '{Excerpt(raw)}' is in the future; ignored.");
            return null;
        }
        return date;
    }

    private static string? Iso(DateTimeOffset? date) => date?.ToString("O", CultureInfo.InvariantCulture);

    private static string Sha256(params string?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001F', parts.Select(p => p ?? "")))));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string Excerpt(string text) => PartnerText.PlainText(text, 60);
}
