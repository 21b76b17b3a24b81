using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NewsFeed.Text;

namespace NewsFeed.Articles;

/// <summary>
/// One article as the store holds it. Its JSON form (camelCase) is both the file format of
/// <c>feeds/articles/*.json</c> and the document the store keeps. Optional properties left out of
/// the JSON keep their defaults (the source-generated reader assigns every init-only property).
/// </summary>
internal sealed record Article
{
    /// <summary>Stable identity: never reused, never changed by a correction (feeds derive guid/id from it).</summary>
    public required Guid Id { get; init; }
    public required string Slug { get; init; }
    /// <summary>Canonical, absolute URL of the article on the publisher's site.</summary>
    public required string Url { get; init; }
    public required string Title { get; init; }
    /// <summary>The dek (standfirst), plain text.</summary>
    public string Summary { get; init => field = value ?? ""; } = "";
    /// <summary>Full text as sanitized HTML with absolute URLs.</summary>
    public string Body { get; init => field = value ?? ""; } = "";
    public IReadOnlyList<Author> Authors { get; init => field = value ?? []; } = [];
    public IReadOnlyList<Term> Sections { get; init => field = value ?? []; } = [];
    public IReadOnlyList<Term> Tags { get; init => field = value ?? []; } = [];
    public required DateTimeOffset Published { get; init; }
    /// <summary>Moved by every correction; never earlier than <see cref="Published"/>.</summary>
    public required DateTimeOffset Updated { get; init; }
    public string Language { get; init => field = value ?? "en"; } = "en";
    public ArticleStatus Status { get; init; } = ArticleStatus.Published;
    /// <summary>The article is in no feed before this time.</summary>
    public DateTimeOffset? EmbargoUntil { get; init; }
    public HeroImage? Image { get; init; }

    /// <summary>When a published article may first appear in a feed.</summary>
    [JsonIgnore]
    public DateTimeOffset VisibleFrom => EmbargoUntil is { } embargo && embargo > Published ? embargo : Published;

    /// <summary>Every section, author and tag of the article: the feeds it belongs to besides latest.</summary>
    public IEnumerable<(TermKind Kind, string Slug, string Name)> Terms() =>
        Sections.Select(s => (TermKind.Section, s.Slug, s.Name))
            .Concat(Authors.Select(a => (TermKind.Author, a.Slug, a.Name)))
            .Concat(Tags.Select(t => (TermKind.Tag, t.Slug, t.Name)));

    /// <summary>Every feed the article belongs to: latest (null) and one per section, author and tag.</summary>
    public IEnumerable<TermRef?> Feeds() =>
        new TermRef?[] { null }.Concat(Terms().Select(term => (TermRef?)new TermRef(term.Kind, term.Slug))).Distinct();

    /// <summary>
    /// The article with every string made XML-safe (<see cref="SafeText.Clean"/>). Feeds and embeds run it once
    /// per item, before any writer sees the article, so no field of any format can be missed.
    /// </summary>
    public Article XmlSafe() => this with
    {
        Slug = SafeText.Clean(Slug),
        Url = SafeText.Clean(Url),
        Title = SafeText.Clean(Title),
        Summary = SafeText.Clean(Summary),
        Body = SafeText.Clean(Body),
        Language = SafeText.Clean(Language),
        Authors = Authors.Select(a => new Author(SafeText.Clean(a.Name), SafeText.Clean(a.Slug), SafeText.CleanOrNull(a.Url), SafeText.CleanOrNull(a.Email), SafeText.CleanOrNull(a.Bio))).ToList(),
        Sections = Sections.Select(t => new Term(SafeText.Clean(t.Slug), SafeText.Clean(t.Name))).ToList(),
        Tags = Tags.Select(t => new Term(SafeText.Clean(t.Slug), SafeText.Clean(t.Name))).ToList(),
        Image = Image is { } image
            ? image with { Url = SafeText.Clean(image.Url), Caption = SafeText.CleanOrNull(image.Caption), Credit = SafeText.CleanOrNull(image.Credit), Alt = SafeText.CleanOrNull(image.Alt), Type = SafeText.CleanOrNull(image.Type) }
            : null,
    };
}

internal enum ArticleStatus
{
    [JsonStringEnumMemberName("draft")] Draft,
    [JsonStringEnumMemberName("published")] Published,
    [JsonStringEnumMemberName("retracted")] Retracted,
}

internal sealed record Author(string Name, string Slug, string? Url = null, string? Email = null, string? Bio = null);

/// <summary>A section or tag: the slug names its feed, the name is what readers see.</summary>
internal sealed record Term(string Slug, string Name);

internal sealed record HeroImage(
    string Url,
    string? Caption = null,
    string? Credit = null,
    string? Alt = null,
    int? Width = null,
    int? Height = null,
    string? Type = null,
    long? Length = null);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(Article))]
internal sealed partial class ArticleJson : JsonSerializerContext
{
    /// <summary>
    /// The store's documents: as <see cref="JsonSerializerContext"/>'s default, but escaping only what JSON
    /// requires. The default encoder writes every <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and non-ASCII character as
    /// <c>\uXXXX</c>, and unescaping them is a large part of reading a feed's page of documents (bench/README.md,
    /// "Cold render"); the documents are never put into HTML, so the HTML-safe escaping buys nothing.
    /// </summary>
    /// <remarks>Made on first use: a static initializer here could run before the generated <c>Default</c> exists.</remarks>
    public static ArticleJson Stored => field ??= new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
