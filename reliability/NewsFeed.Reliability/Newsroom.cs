using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace NewsFeed.Reliability;

/// <summary>What the store must hold for one article: its title (a revision marker) and status.</summary>
internal readonly record struct ArticleState(string Title, string Status);

/// <summary>
/// A newsroom writing through the publishing API (publish, correct, retract), and the ledger of what the
/// server acknowledged. A write answered 2xx must be in the store exactly; one that got no answer (a
/// timeout, the server killed mid-request) may or may not be; one answered 4xx must not be.
/// </summary>
internal sealed class Newsroom(HttpClient admin, Random random, string label)
{
    /// <summary>The sections, authors and tags of the sample articles, so writes move the feeds readers poll.</summary>
    public static readonly string[] Sections = ["world", "business", "technology", "culture"];
    public static readonly string[] Authors = ["world-desk", "nadia-okafor", "tomas-lindqvist", "priya-raman"];
    public static readonly string[] Tags = ["local-government", "economy", "water", "infrastructure", "jobs"];

    private readonly ConcurrentDictionary<Guid, Ledger> _ledger = new();
    private readonly List<Guid> _live = [];
    private int _serial;

    public int Acknowledged { get; private set; }
    public int Unanswered { get; private set; }
    public int Refused { get; private set; }

    /// <summary>Refused writes by status code: the server said no, so nothing may have been stored.</summary>
    public Dictionary<int, int> RefusedBy { get; } = [];

    /// <summary>Articles retracted with an acknowledgement, with when it came: no feed asked for later may list them.</summary>
    public ConcurrentDictionary<Guid, DateTimeOffset> Retracted { get; } = new();

    public IEnumerable<Guid> Ids => _ledger.Keys;

    /// <summary>One write: mostly new stories, then corrections, then retractions (this writer's articles only).</summary>
    public Task WriteOnceAsync(CancellationToken cancellationToken)
    {
        var roll = random.NextDouble();
        if (_live.Count < 3 || roll < 0.5) return PublishAsync(Guid.NewGuid(), revision: 0, cancellationToken);
        var id = _live[random.Next(_live.Count)];
        return roll < 0.8
            ? PublishAsync(id, _ledger[id].Revision + 1, cancellationToken)
            : RetractAsync(id, cancellationToken);
    }

    private async Task PublishAsync(Guid id, int revision, CancellationToken cancellationToken)
    {
        var ledger = _ledger.GetOrAdd(id, _ => new Ledger());
        ledger.Revision = revision;
        var serial = revision == 0 ? Interlocked.Increment(ref _serial) : ledger.Serial;
        ledger.Serial = serial;
        var title = $"Reliability story {label}-{serial}: harbour lights (revision {revision})";
        var state = new ArticleState(title, "published");
        var outcome = await SendAsync(ledger, state, () => admin.PutAsJsonAsync($"api/articles/{id}", Article(id, serial, title), cancellationToken));
        if (outcome == HttpStatusCode.Created) _live.Add(id);
    }

    private async Task RetractAsync(Guid id, CancellationToken cancellationToken)
    {
        var ledger = _ledger[id];
        var state = ledger.Acked!.Value with { Status = "retracted" };
        _live.Remove(id);
        var outcome = await SendAsync(ledger, state, () => admin.DeleteAsync($"api/articles/{id}", cancellationToken));
        if (outcome == HttpStatusCode.NoContent) Retracted[id] = DateTimeOffset.UtcNow;
    }

    private async Task<HttpStatusCode?> SendAsync(Ledger ledger, ArticleState state, Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            if (response.IsSuccessStatusCode)
            {
                // Writes to one article are sequential, so an acknowledged one settles any earlier unanswered one.
                ledger.Acked = state;
                ledger.Pending.Clear();
                Acknowledged++;
            }
            else
            {
                Refused++;
                RefusedBy[(int)response.StatusCode] = RefusedBy.GetValueOrDefault((int)response.StatusCode) + 1;
            }
            return response.StatusCode;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException)
        {
            // Even "connection refused" may have been applied: HttpClient retries a request whose pooled
            // connection broke, so the refusal can be the retry of an attempt the killed server committed.
            ledger.Pending.Add(state);
            Unanswered++;
            return null;
        }
    }

    /// <summary>What the store may hold for each article: exactly the acknowledged state, or an unanswered one.</summary>
    public IEnumerable<(Guid Id, ArticleState? Acked, IReadOnlyList<ArticleState> Allowed)> Expectations() =>
        _ledger.Select(entry =>
        {
            var allowed = new List<ArticleState>();
            if (entry.Value.Acked is { } acked) allowed.Add(acked);
            allowed.AddRange(entry.Value.Pending);
            return (entry.Key, entry.Value.Acked, (IReadOnlyList<ArticleState>)allowed);
        });

    /// <summary>
    /// Reads every article of the ledger back through the admin API and compares.
    /// </summary>
    /// <returns>The number of articles checked, and a description of each mismatch.</returns>
    public static async Task<(int Checked, List<string> Mismatches)> VerifyAsync(HttpClient admin, IEnumerable<Newsroom> newsrooms, CancellationToken cancellationToken)
    {
        var mismatches = new List<string>();
        var count = 0;
        foreach (var (id, acked, allowed) in newsrooms.SelectMany(n => n.Expectations()))
        {
            count++;
            using var response = await admin.GetAsync($"api/articles/{id}", cancellationToken);
            ArticleState? stored = null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var doc = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
                stored = new ArticleState((string)doc["title"]!, (string)doc["status"]!);
            }
            else if (response.StatusCode != HttpStatusCode.NotFound)
            {
                mismatches.Add($"{id}: GET answered {(int)response.StatusCode}");
                continue;
            }
            var fine = stored is { } s ? allowed.Contains(s) : acked is null;
            if (!fine)
            {
                mismatches.Add($"{id}: stored {Describe(stored)}, acknowledged {Describe(acked)}" +
                    (allowed.Count > (acked is null ? 0 : 1) ? $" (or unanswered: {string.Join(", ", allowed.Skip(acked is null ? 0 : 1).Select(a => Describe(a)))})" : ""));
            }
        }
        return (count, mismatches);
    }

    private static string Describe(ArticleState? state) => state is { } s ? $"'{s.Title}' ({s.Status})" : "nothing";

    private static JsonObject Article(Guid id, int serial, string title)
    {
        var section = Sections[serial % Sections.Length];
        var author = Authors[serial % Authors.Length];
        var tag = Tags[serial % Tags.Length];
        var slug = $"reliability-story-{serial}";
        return new JsonObject
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
            ["sections"] = new JsonArray(new JsonObject { ["slug"] = section, ["name"] = Title(section) }),
            ["tags"] = new JsonArray(new JsonObject { ["slug"] = tag, ["name"] = Title(tag) }),
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
    }

    private static string Title(string slug) =>
        string.Join(' ', slug.Split('-').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));

    private sealed class Ledger
    {
        public int Serial { get; set; }
        public int Revision { get; set; }
        public ArticleState? Acked { get; set; }
        public List<ArticleState> Pending { get; } = [];
    }
}
