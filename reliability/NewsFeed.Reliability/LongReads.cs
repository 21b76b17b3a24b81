using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace NewsFeed.Reliability;

/// <summary>
/// The variant flood's section: long articles (bodies of just under <see cref="BodyCharacters"/> characters, under the
/// server's 500,000 of ArticleRules.MaxBodyLength; the PUT is under Publishing:MaxRequestBytes' 1 MB) in a section
/// and by an author of their own, so the small feeds the probe reads never list them. Published through the
/// publishing API, as a newsroom would.
/// </summary>
internal static class LongReads
{
    public const string Section = "long-reads";
    public const string Author = "long-form-desk";
    public const int BodyCharacters = 450_000;

    private static readonly string[] Words =
    [
        "harbour", "council", "budget", "river", "school", "election", "water", "bridge", "minister", "report",
        "station", "hospital", "market", "winter", "village", "court", "museum", "farmers", "railway", "energy",
        "the", "of", "and", "a", "to", "in", "said", "on", "that", "for", "with", "was", "after", "before", "by",
        "quarter", "record", "plan", "inquiry", "strike", "weather", "coast", "housing", "prices", "science",
    ];

    /// <summary>Publishes <paramref name="count"/> long articles, two at a time; the ids acknowledged (201/200) and a line per refusal.</summary>
    public static async Task<(List<Guid> Published, List<string> Problems)> PublishAsync(HttpClient admin, int count, int seed)
    {
        var published = new List<Guid>();
        var problems = new List<string>();
        // An hour back and a minute apart: in the past (not scheduled), and in one fixed order.
        var first = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        using var gate = new SemaphoreSlim(2);
        var writes = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var id = Guid.Parse($"17171717-0000-4000-8000-{i:D12}", CultureInfo.InvariantCulture);
                // With its length, as a CMS would send it (PutAsJsonAsync would stream it chunked).
                using var content = new StringContent(Build(id, i, first.AddMinutes(i), seed).ToJsonString(), Encoding.UTF8, "application/json");
                using var response = await admin.PutAsync($"api/articles/{id}", content);
                lock (published)
                {
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK) published.Add(id);
                    else problems.Add($"article {i}: PUT answered {(int)response.StatusCode}");
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                lock (published) problems.Add($"article {i}: {error.GetType().Name}: {error.Message}");
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(writes);
        return (published, problems);
    }

    private static JsonObject Build(Guid id, int serial, DateTimeOffset published, int seed)
    {
        var slug = $"long-read-{serial}";
        return new JsonObject
        {
            ["id"] = id.ToString(),
            ["slug"] = slug,
            ["url"] = $"https://news.example.com/{Section}/{slug}",
            ["title"] = $"Long read {serial}: a year on the east quay",
            ["summary"] = "A year with the people who keep the harbour running, told at length.",
            ["body"] = Body(new Random(seed * 1000 + serial)),
            ["authors"] = new JsonArray(new JsonObject { ["name"] = "Long Form Desk", ["slug"] = Author }),
            ["sections"] = new JsonArray(new JsonObject { ["slug"] = Section, ["name"] = "Long Reads" }),
            ["published"] = published.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// Paragraphs of words drawn at random (ASCII, so characters are bytes): text that compresses about as
    /// prose does, not a repeated sentence that gzip and Brotli would shrink to nothing.
    /// </summary>
    private static string Body(Random random)
    {
        var body = new StringBuilder(BodyCharacters);
        var paragraph = new StringBuilder();
        while (true)
        {
            paragraph.Clear().Append("<p>");
            while (paragraph.Length < 600) paragraph.Append(Words[random.Next(Words.Length)]).Append(' ');
            paragraph.Length--;
            paragraph.Append(".</p>");
            if (body.Length + paragraph.Length > BodyCharacters) break;
            body.Append(paragraph);
        }
        return body.ToString();
    }
}
