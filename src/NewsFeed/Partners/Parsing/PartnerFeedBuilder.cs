using System.Globalization;
using NewsFeed.Text;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Everything that does not depend on the format: the format readers hand it raw entries and it
/// makes them safe (text, HTML, URLs, caps), dates, identity and de-duplication, the item cap, the
/// warnings, and the policies for one bad item (it alone is dropped) and for documents that break off.
/// </summary>
internal sealed class PartnerFeedBuilder(PartnerParserLimits limits, DateTimeOffset now)
{
    private const int MaxWarnings = 50;
    private const int MaxNameLength = 200; // authors and categories, as for our own articles
    // A date more than a day ahead is a wrong clock or a wrong zone. It is dropped (null) rather than
    // clamped to now: a clamped date would move with every poll and make the item look edited each time.
    private static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    private readonly DocumentItems _items = new();
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

    /// <summary>
    /// Reads and adds one item; false once the feed is full and the reader should stop. Whatever goes
    /// wrong while reading or building this one item drops it alone, with a warning naming it.
    /// </summary>
    /// <param name="read">Reads the item from the document.</param>
    /// <param name="label">How the warnings name the item when it cannot be read (its id, link or title as written).</param>
    public bool Add(Func<FeedEntry> read, string? label)
    {
        if (Full()) return false;
        var position = ++_seen;
        try
        {
            if (ToItem(read(), position) is { } item) _items.Add(item, position, Warn);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            Warn($"{Name(position, label)} could not be read ({e.GetType().Name}: {Excerpt(e.Message)}); skipped.");
        }
        return true;
    }

    /// <summary>Counts an item the reader had to pass over, and says why; false once the feed is full.</summary>
    /// <param name="where">Where it is, when the warning can say: ", at line 9", or " ('its id')".</param>
    public bool Skip(string where, string why)
    {
        if (Full()) return false;
        Warn($"Item {++_seen}{where}: {why}; skipped.");
        return true;
    }

    /// <summary>
    /// The malformed-document policy for XML: a document that is still broken after the lenient
    /// repairs keeps the complete items read before the break (with a warning that names the
    /// place) if there is at least one; otherwise it is not a feed we can read.
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
        var items = _items.WithKeys(limits.MaxUrlLength, Warn);
        var warnings = _unshownWarnings == 0 ? _warnings : [.. _warnings, $"…and {_unshownWarnings} more warnings."];
        return new PartnerFeed(Format, Text(Title, limits.MaxTitleLength), Url(Link), items, warnings);
    }

    private bool Full()
    {
        if (_items.Count < limits.MaxItems) return false;
        Warn($"The feed has more than {limits.MaxItems} items; only the first {limits.MaxItems} were read.");
        return true;
    }

    private PartnerItem? ToItem(FeedEntry entry, int position)
    {
        var summary = Text(entry.Summary, limits.MaxSummaryLength) ?? Text(entry.Content, limits.MaxSummaryLength);
        var content = entry.Content is { } c
            ? PartnerText.SanitizeHtml(c.Kind == TextKind.Html ? c.Value : PartnerText.TextToHtml(c.Value), entry.ContentBase, limits.MaxContentLength, limits.Html)
            : null;
        // HTML with no words and no picture ("<p></p>", a stripped script) shows nothing.
        if (content is not null && summary is null && !PartnerText.ShowsAnything(content)) content = null;
        var url = Url(entry.Link);
        var title = Text(entry.Title, limits.MaxTitleLength);
        if (title is null && url is null && content is null && summary is null)
        {
            Warn($"Item {position} has no title, link or content; skipped.");
            return null;
        }
        // An item with only a picture has no words to make a title of: it stays untitled (""), and
        // the feeds we write call it an untitled story from the partner.
        title ??= PartnerText.Truncate(summary is not null ? PartnerText.DeriveTitle(summary) : url ?? "", limits.MaxTitleLength);

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
        var hash = DocumentItems.Sha256(title, url, summary, content, Iso(published), Iso(updated), author, image, string.Join('\u001E', categories));
        var id = entry.Id is null ? null : NullIfEmpty(SafeText.Clean(entry.Id).Trim());

        return new PartnerItem
        {
            Key = "", // given by DocumentItems once the whole document is read
            SourceId = id is not null && id.Length > limits.MaxUrlLength ? "sha256:" + DocumentItems.Sha256(id) : id,
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

    /// <summary>The first of the written dates that is readable and not in the future; a warning for the first that is not.</summary>
    private DateTimeOffset? Date(IReadOnlyList<string> written, string field, int position)
    {
        string? problem = null;
        foreach (var raw in written)
        {
            var date = FeedDateParser.Parse(raw);
            if (date is not null && date <= now + MaxFutureSkew) return date;
            problem ??= date is null
                ? $"Item {position}: unreadable {field} date '{Excerpt(raw)}'."
                : $"Item {position}: {field} date '{Excerpt(raw)}' is in the future; ignored.";
        }
        if (problem is not null) Warn(problem);
        return null;
    }

    private static string? Iso(DateTimeOffset? date) => date?.ToString("O", CultureInfo.InvariantCulture);

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string Name(int position, string? label) => $"Item {position}{Naming(label)}";

    /// <summary>" ('label')" for the warnings, or "" when there is no label.</summary>
    internal static string Naming(string? label) => string.IsNullOrWhiteSpace(label) ? "" : $" ('{Excerpt(label)}')";

    internal static string Excerpt(string text) => PartnerText.PlainText(text, 60);
}
