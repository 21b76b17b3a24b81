namespace NewsFeed.Partners.Parsing;

/// <summary>How a format marks up a text field: plain text, or HTML (escaped or in CDATA).</summary>
internal enum TextKind
{
    Text,
    Html,
}

/// <summary>A text field as the document has it, before it is made plain text or sanitized.</summary>
internal sealed record FeedText(string Value, TextKind Kind)
{
    public static FeedText? Html(string? value) => string.IsNullOrWhiteSpace(value) ? null : new(value, TextKind.Html);

    public static FeedText? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : new(value, TextKind.Text);
}

/// <summary>
/// One item as a format reader found it: raw text, URLs already resolved against their base (but
/// not yet checked), dates as written. <see cref="PartnerFeedBuilder"/> turns it into a <see cref="PartnerItem"/>.
/// </summary>
internal sealed record FeedEntry
{
    public string? Id { get; init; }
    public FeedText? Title { get; init; }
    public Uri? Link { get; init; }
    public FeedText? Summary { get; init; }
    public FeedText? Content { get; init; }
    /// <summary>What relative URLs inside <see cref="Content"/> and <see cref="Summary"/> resolve against.</summary>
    public required Uri ContentBase { get; init; }
    /// <summary>Every publication date the item carries, most specific first; the first readable one counts.</summary>
    public IReadOnlyList<string> Published { get; init; } = [];
    /// <summary>Every modification date the item carries, most specific first; the first readable one counts.</summary>
    public IReadOnlyList<string> Updated { get; init; } = [];
    /// <summary>The author's name, already without an email address (see <see cref="FeedAuthor"/>).</summary>
    public string? Author { get; init; }
    public Uri? Image { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The dates that are written (not blank), in the order given.</summary>
    public static IReadOnlyList<string> Dates(params string?[] values) => [.. values.Where(v => !string.IsNullOrWhiteSpace(v)).OfType<string>()];
}
