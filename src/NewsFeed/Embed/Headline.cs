namespace NewsFeed.Embed;

/// <summary>
/// What a partner embeds: the newest headlines of the whole site or of one section, already made
/// safe for XML and HTML (<see cref="Articles.Article.XmlSafe"/>) and with absolute URLs.
/// </summary>
/// <param name="Title">The list's title, as the feed of the same articles is titled.</param>
/// <param name="Link">The publisher's website.</param>
/// <param name="Feed">The RSS feed of the same articles, for "subscribe" links.</param>
/// <param name="Section">The section asked for; null for the latest headlines of the whole site.</param>
internal sealed record HeadlineList(string Title, string Link, string Feed, HeadlineSection? Section, IReadOnlyList<Headline> Headlines);

/// <param name="Id">The article's stable id, as every feed writes it (urn:uuid:…).</param>
/// <param name="Summary">The dek, plain text (empty when the article has none).</param>
/// <param name="Section">The section the headline is listed under: the one asked for, else the article's first.</param>
/// <param name="Language">The article's language (BCP 47), so a widget can mark a Hebrew headline as such.</param>
internal sealed record Headline(
    string Id,
    string Title,
    string Url,
    string Summary,
    HeadlineThumbnail? Thumbnail,
    DateTimeOffset Published,
    HeadlineSection? Section,
    HeadlineSource Source,
    string Language);

internal sealed record HeadlineSection(string Slug, string Name);

internal sealed record HeadlineThumbnail(string Url, int? Width, int? Height, string? Alt);

/// <summary>
/// Who published the story. Our own articles are <see cref="Publisher"/>; partner items (a later
/// feature) are <see cref="Partner"/> with the partner's id, name and website, so a widget can
/// credit them without a schema change.
/// </summary>
/// <param name="Id">The partner's id; null for the publisher.</param>
internal sealed record HeadlineSource(string Type, string Name, string Url, string? Id = null)
{
    public const string Publisher = "publisher";
    public const string Partner = "partner";
}
