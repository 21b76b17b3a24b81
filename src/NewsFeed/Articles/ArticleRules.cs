using System.Text.RegularExpressions;
using NewsFeed.Text;

namespace NewsFeed.Articles;

/// <summary>
/// What makes an article acceptable to the store, whichever way it arrives (file import now,
/// the publishing API later): field limits, absolute URLs, and body HTML cleaned by an allow-list.
/// </summary>
internal static partial class ArticleRules
{
    public const int MaxTitleLength = 300;
    public const int MaxSummaryLength = 2_000;
    public const int MaxBodyLength = 500_000;
    public const int MaxSlugLength = 120;
    public const int MaxTerms = 50;
    public const int MaxAuthors = 20;
    public const int MaxBioLength = 2_000;
    public const int MaxCaptionLength = 1_000;
    public const int MaxShortTextLength = 300;
    public const int MaxLanguageLength = 35;
    /// <summary>At most this many errors are reported, so a bad document cannot make a larger answer.</summary>
    public const int MaxErrors = 50;

    // Slugs name feeds in URLs (/feeds/sections/{slug}.rss): lowercase ASCII words joined by hyphens.
    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    public static partial Regex SlugPattern();

    // A media type such as image/jpeg or image/svg+xml (RFC 6838 restricted names).
    [GeneratedRegex("^image/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageTypePattern();

    // BCP 47 language tag, the shape RSS <language>, xml:lang and JSON Feed "language" all accept.
    [GeneratedRegex("^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguagePattern();

    /// <summary>Every problem with the article, keyed by the JSON name of the field (empty when valid).</summary>
    public static Dictionary<string, string[]> Validate(Article article)
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        if (article.Id == Guid.Empty) Fail("id", "The id must be a non-empty UUID.");
        CheckSlug(article.Slug, "slug", Fail);
        CheckUrl(article.Url, "url", required: true, Fail);
        CheckText(article.Title, "title", MaxTitleLength, required: true, Fail);
        CheckText(article.Summary, "summary", MaxSummaryLength, required: false, Fail);
        if (article.Body.Length > MaxBodyLength) Fail("body", $"The body must be at most {MaxBodyLength} characters.");
        else if (HtmlNesting.TooDeep(article.Body)) Fail("body", $"The body's HTML must not nest deeper than {HtmlNesting.MaxDepth} elements.");
        if (article.Updated < article.Published) Fail("updated", "The updated time must not be earlier than the published time.");
        if (article.Language.Length > MaxLanguageLength || !LanguagePattern().IsMatch(article.Language)) Fail("language", "The language must be a BCP 47 tag such as 'en' or 'he'.");

        if (article.Authors.Count > MaxAuthors) Fail("authors", $"At most {MaxAuthors} authors.");
        for (var i = 0; i < Math.Min(article.Authors.Count, MaxAuthors); i++)
        {
            var author = article.Authors[i];
            CheckText(author.Name, $"authors[{i}].name", 200, required: true, Fail);
            CheckSlug(author.Slug, $"authors[{i}].slug", Fail);
            CheckUrl(author.Url, $"authors[{i}].url", required: false, Fail);
            CheckText(author.Bio, $"authors[{i}].bio", MaxBioLength, required: false, Fail);
            if (author.Email is { } email && (email.Length > 254 || !email.Contains('@', StringComparison.Ordinal) || email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
            {
                Fail($"authors[{i}].email", "The email must be an address.");
            }
        }

        CheckTerms(article.Sections, "sections", Fail);
        CheckTerms(article.Tags, "tags", Fail);

        if (article.Image is { } image)
        {
            CheckUrl(image.Url, "image.url", required: true, Fail);
            if (image.Width is <= 0 || image.Height is <= 0) Fail("image", "Width and height must be positive.");
            if (image.Length is < 0) Fail("image.length", "The length must not be negative.");
            if (image.Type is { } type && !ImageTypePattern().IsMatch(type)) Fail("image.type", "The type must be an image media type such as image/jpeg.");
            CheckText(image.Caption, "image.caption", MaxCaptionLength, required: false, Fail);
            CheckText(image.Credit, "image.credit", MaxShortTextLength, required: false, Fail);
            CheckText(image.Alt, "image.alt", MaxShortTextLength, required: false, Fail);
        }

        return errors.Take(MaxErrors).ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>
    /// The article as the store keeps it: body HTML through <paramref name="html"/> (the one policy partner items
    /// also go through) with every URL made absolute against the article's own URL, so no feed ever carries a
    /// relative link.
    /// </summary>
    public static Article Normalize(Article article, ContentSanitizer html) => article with
    {
        Url = NormalizeUrl(article.Url),
        Body = html.Sanitize(article.Body, article.Url),
        Authors = article.Authors.Select(a => a with { Url = a.Url is null ? null : NormalizeUrl(a.Url) }).ToList(),
        Image = article.Image is { } image ? image with { Url = NormalizeUrl(image.Url) } : null,
        Published = article.Published.ToUniversalTime(),
        Updated = article.Updated.ToUniversalTime(),
        EmbargoUntil = article.EmbargoUntil?.ToUniversalTime(),
    };

    /// <summary>The URL as every feed writes it: escaped and normalized (Uri.AbsoluteUri).</summary>
    private static string NormalizeUrl(string url) => new Uri(url).AbsoluteUri;

    private static void CheckSlug(string? slug, string field, Action<string, string> fail)
    {
        if (string.IsNullOrEmpty(slug) || slug.Length > MaxSlugLength || !SlugPattern().IsMatch(slug))
        {
            fail(field, "The slug must be lowercase letters, digits and single hyphens (at most 120 characters).");
        }
    }

    private static void CheckUrl(string? url, string field, bool required, Action<string, string> fail)
    {
        if (url is null)
        {
            if (required) fail(field, "The URL is required.");
            return;
        }
        if (url.Length > 2_000 || !HttpUrl.IsAbsolute(url)) fail(field, "The URL must be an absolute http or https URL.");
    }

    private static void CheckText(string? text, string field, int maxLength, bool required, Action<string, string> fail)
    {
        if (required && string.IsNullOrWhiteSpace(text)) fail(field, "The field is required.");
        else if (text is not null && text.Length > maxLength) fail(field, $"The field must be at most {maxLength} characters.");
    }

    private static void CheckTerms(IReadOnlyList<Term> terms, string field, Action<string, string> fail)
    {
        if (terms.Count > MaxTerms) fail(field, $"At most {MaxTerms} entries.");
        for (var i = 0; i < Math.Min(terms.Count, MaxTerms); i++)
        {
            CheckSlug(terms[i].Slug, $"{field}[{i}].slug", fail);
            CheckText(terms[i].Name, $"{field}[{i}].name", 200, required: true, fail);
        }
    }
}
