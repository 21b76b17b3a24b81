using System.Globalization;
using System.Text.Json.Nodes;

namespace NewsFeed.Reliability;

/// <summary>
/// The article a newsroom sends for one story: the sample articles' sections, authors and tags in turn (so
/// writes move the feeds readers poll), a realistic body and image. Optionally a tag of its own (the story's
/// tag feed then holds this article only, so a ping of that feed's topic can only be about this story), a
/// status, and an embargo.
/// </summary>
internal static class StoryDocument
{
    /// <summary>Where held copy (drafts, embargoed stories) is filed: feeds no ordinary story needs to be in.</summary>
    public const string HeldSection = "culture";
    public const string HeldAuthor = "priya-raman";

    public static JsonObject Build(Guid id, int serial, string title, string? storyTag = null, string? status = null, DateTimeOffset? embargoUntil = null)
    {
        var held = status == "draft" || embargoUntil is not null;
        var section = held ? HeldSection : Newsroom.Sections[serial % Newsroom.Sections.Length];
        var author = held ? HeldAuthor : Newsroom.Authors[serial % Newsroom.Authors.Length];
        var tags = new JsonArray(Term(Newsroom.Tags[serial % Newsroom.Tags.Length]));
        if (storyTag is not null) tags.Add(Term(storyTag));
        var slug = $"reliability-story-{serial}";
        var article = new JsonObject
        {
            ["id"] = id.ToString(),
            ["slug"] = slug,
            ["url"] = $"https://news.example.com/{section}/2026/12/04/{slug}",
            ["title"] = title,
            ["summary"] = "Harbour officials said the new lights would make night crossings safer — and “cheaper to run”.",
            ["body"] = string.Concat(Enumerable.Repeat(
                "<p>The harbour board voted on Tuesday to replace the 40-year-old lamps along the east quay with LED fittings, " +
                "a change it said would cut the electricity bill by two thirds. “It is overdue,” said the harbour master.</p>", 6)),
            ["authors"] = new JsonArray(new JsonObject { ["name"] = Title(author), ["slug"] = author }),
            ["sections"] = new JsonArray(Term(section)),
            ["tags"] = tags,
            ["image"] = new JsonObject
            {
                ["url"] = $"https://news.example.com/media/2026/12/{slug}.jpg",
                ["caption"] = "The east quay at dusk.",
                ["credit"] = "Via Reuters",
                ["alt"] = "Lamps along a harbour quay at dusk",
                ["width"] = 1600,
                ["height"] = 900,
                ["type"] = "image/jpeg",
                ["length"] = 245_000,
            },
        };
        if (status is not null) article["status"] = status;
        if (embargoUntil is { } until) article["embargoUntil"] = until.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return article;
    }

    private static JsonObject Term(string slug) => new() { ["slug"] = slug, ["name"] = Title(slug) };

    private static string Title(string slug) =>
        string.Join(' ', slug.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
}
