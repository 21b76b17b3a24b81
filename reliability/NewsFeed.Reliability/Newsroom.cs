using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace NewsFeed.Reliability;

/// <summary>What the store must hold for one article: its title (a revision marker) and status.</summary>
internal readonly record struct ArticleState(string Title, string Status);

/// <summary>What a newsroom writes besides publishing, correcting and retracting, and how it picks stories.</summary>
/// <param name="Drafts">Share of writes that store a new draft (never published).</param>
/// <param name="Embargoes">Share of writes that publish a new story under an embargo <see cref="EmbargoAhead"/> ahead.</param>
/// <param name="StoryTags">Give every story a tag of its own (see <see cref="StoryDocument"/>).</param>
/// <param name="PickFromNewest">Correct and retract only among this many newest live stories (so they stay on page one).</param>
internal sealed record NewsroomMix(double Drafts = 0, double Embargoes = 0, bool StoryTags = false, int PickFromNewest = int.MaxValue)
{
    public TimeSpan EmbargoAhead { get; init; } = TimeSpan.FromSeconds(4);
}

internal enum WriteKind
{
    Publish,
    Correct,
    Retract,
    Draft,
    Embargo,
}

/// <summary>An acknowledged write: what, when it was sent and answered, and which instance took it (behind HAProxy).</summary>
internal sealed record AcknowledgedWrite(Guid Id, WriteKind Kind, string Title, string? StoryTag, DateTimeOffset Sent, DateTimeOffset Acked, string? ServedBy, DateTimeOffset? EmbargoUntil);

/// <summary>
/// A newsroom writing through the publishing API (publish, correct, retract), and the ledger of what the
/// server acknowledged. A write answered 2xx must be in the store exactly; one that got no answer (a
/// timeout, the server killed mid-request, a 502 or 504 from a proxy in front) may or may not be; one
/// answered otherwise (4xx, the server's 503) must not be.
/// </summary>
internal sealed class Newsroom(HttpClient admin, Random random, string label, NewsroomMix? mix = null)
{
    /// <summary>The sections, authors and tags of the sample articles, so writes move the feeds readers poll.</summary>
    public static readonly string[] Sections = ["world", "business", "technology", "culture"];
    public static readonly string[] Authors = ["world-desk", "nadia-okafor", "tomas-lindqvist", "priya-raman"];
    public static readonly string[] Tags = ["local-government", "economy", "water", "infrastructure", "jobs"];

    private readonly ConcurrentDictionary<Guid, Ledger> _ledger = new();
    private readonly List<Guid> _live = [];
    private readonly NewsroomMix _mix = mix ?? new NewsroomMix();
    private int _serial;

    /// <summary>Every acknowledged write, in order.</summary>
    public ConcurrentQueue<AcknowledgedWrite> Log { get; } = new();

    /// <summary>Every write answered with an error status (refused, or a proxy's 502/504), with when it was answered.</summary>
    public ConcurrentQueue<(DateTimeOffset At, int Status)> ErrorAnswers { get; } = new();

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
        if (_mix.Drafts + _mix.Embargoes > 0)
        {
            if (roll < _mix.Drafts) return PublishAsync(Guid.NewGuid(), 0, WriteKind.Draft, cancellationToken);
            if (roll < _mix.Drafts + _mix.Embargoes) return PublishAsync(Guid.NewGuid(), 0, WriteKind.Embargo, cancellationToken);
            roll = random.NextDouble();
        }
        if (_live.Count < 3 || roll < 0.5) return PublishAsync(Guid.NewGuid(), revision: 0, WriteKind.Publish, cancellationToken);
        var newest = Math.Min(_live.Count, _mix.PickFromNewest);
        var id = _live[_live.Count - newest + random.Next(newest)];
        return roll < 0.8
            ? PublishAsync(id, _ledger[id].Revision + 1, WriteKind.Correct, cancellationToken)
            : RetractAsync(id, cancellationToken);
    }

    private async Task PublishAsync(Guid id, int revision, WriteKind kind, CancellationToken cancellationToken)
    {
        var ledger = _ledger.GetOrAdd(id, _ => new Ledger());
        ledger.Revision = revision;
        var serial = revision == 0 ? Interlocked.Increment(ref _serial) : ledger.Serial;
        ledger.Serial = serial;
        ledger.StoryTag = _mix.StoryTags ? $"story-{label}-{serial}" : null;
        var title = $"Reliability story {label}-{serial}: harbour lights (revision {revision})";
        var status = kind == WriteKind.Draft ? "draft" : "published";
        DateTimeOffset? embargo = kind == WriteKind.Embargo ? DateTimeOffset.UtcNow + _mix.EmbargoAhead : null;
        var document = StoryDocument.Build(id, serial, title, ledger.StoryTag, kind == WriteKind.Draft ? status : null, embargo);
        var outcome = await SendAsync(id, ledger, kind, new ArticleState(title, status), embargo, () => admin.PutAsJsonAsync($"api/articles/{id}", document, cancellationToken));
        // Held copy is written once and left alone, so its tag feed stays silent until (for an embargo) the lift.
        if (outcome == HttpStatusCode.Created && kind == WriteKind.Publish) _live.Add(id);
    }

    private async Task RetractAsync(Guid id, CancellationToken cancellationToken)
    {
        var ledger = _ledger[id];
        var state = ledger.Acked!.Value with { Status = "retracted" };
        _live.Remove(id);
        var outcome = await SendAsync(id, ledger, WriteKind.Retract, state, null, () => admin.DeleteAsync($"api/articles/{id}", cancellationToken));
        if (outcome == HttpStatusCode.NoContent) Retracted[id] = DateTimeOffset.UtcNow;
    }

    private async Task<HttpStatusCode?> SendAsync(Guid id, Ledger ledger, WriteKind kind, ArticleState state, DateTimeOffset? embargo, Func<Task<HttpResponseMessage>> send)
    {
        var sent = DateTimeOffset.UtcNow;
        try
        {
            using var response = await send();
            if (!response.IsSuccessStatusCode) ErrorAnswers.Enqueue((DateTimeOffset.UtcNow, (int)response.StatusCode));
            if (response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
            {
                // A proxy's word that the instance it chose died or hung mid-request: the write may have landed.
                throw new HttpRequestException($"{(int)response.StatusCode} from the proxy");
            }
            if (response.IsSuccessStatusCode)
            {
                // Writes to one article are sequential, so an acknowledged one settles any earlier unanswered one.
                ledger.Acked = state;
                ledger.Pending.Clear();
                Acknowledged++;
                Log.Enqueue(new AcknowledgedWrite(id, kind, state.Title, ledger.StoryTag, sent, DateTimeOffset.UtcNow, LoadBalancer.ServedBy(response), embargo));
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

    private sealed class Ledger
    {
        public int Serial { get; set; }
        public string? StoryTag { get; set; }
        public int Revision { get; set; }
        public ArticleState? Acked { get; set; }
        public List<ArticleState> Pending { get; } = [];
    }
}
