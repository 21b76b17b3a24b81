namespace NewsFeed.Reliability;

/// <summary>
/// WebSub pings against the newsroom's acknowledged writes. Every story has a tag of its own, so the topics of its
/// tag feed are pinged only for changes to that story:
/// <list type="bullet">
/// <item>a publish, correction or retraction of a visible story: its tag feed's topics (each format) and the latest
/// feed's JSON topic pinged at or after the write was sent (at least once; the outbox may deliver twice);</item>
/// <item>an embargoed story: its tag feed's topics pinged at or after the embargo's end, and never before it;</item>
/// <item>a draft: its tag feed's topics never pinged.</item>
/// </list>
/// </summary>
internal static class PingAudit
{
    private static readonly string[] Formats = ["rss", "atom", "json"];

    public sealed record Findings(int ChangesChecked, List<string> Missing, List<string> Early, int LiftsChecked, double PingsPerLift);

    /// <param name="publicUrl">Site:PublicUrl, the base of every topic.</param>
    /// <param name="until">Embargoes ending after this are not judged (the run ended before them).</param>
    public static Findings Judge(IEnumerable<AcknowledgedWrite> writes, IReadOnlyCollection<HubPing> pings, string publicUrl, DateTimeOffset until)
    {
        var byTopic = pings.GroupBy(p => p.Topic).ToDictionary(g => g.Key, g => g.Select(p => p.At).Order().ToList(), StringComparer.Ordinal);
        var missing = new List<string>();
        var early = new List<string>();
        int changes = 0, lifts = 0, liftPings = 0;
        var latest = publicUrl + "feeds/latest.json";
        foreach (var write in writes)
        {
            if (write.StoryTag is null) continue;
            var topics = Formats.Select(f => $"{publicUrl}feeds/tags/{write.StoryTag}.{f}").ToList();
            switch (write.Kind)
            {
                case WriteKind.Draft:
                    foreach (var topic in topics.Where(byTopic.ContainsKey))
                    {
                        early.Add($"draft {write.Id}: {topic} pinged {byTopic[topic].Count} times, first at {byTopic[topic][0]:HH:mm:ss.fff}");
                    }
                    break;
                case WriteKind.Embargo when write.EmbargoUntil is { } lift:
                    foreach (var topic in topics)
                    {
                        var times = byTopic.GetValueOrDefault(topic) ?? [];
                        if (times.Count > 0 && times[0] < lift)
                        {
                            early.Add($"embargoed {write.Id}: {topic} pinged at {times[0]:HH:mm:ss.fff}, embargo until {lift:HH:mm:ss.fff}");
                        }
                        if (lift > until) continue;
                        if (!times.Any(t => t >= lift)) missing.Add($"embargo lift of {write.Id} at {lift:HH:mm:ss.fff}: {topic} never pinged after it");
                        liftPings += times.Count(t => t >= lift);
                    }
                    if (lift <= until) lifts++;
                    break;
                case WriteKind.Publish or WriteKind.Correct or WriteKind.Retract:
                    changes++;
                    foreach (var topic in topics.Append(latest))
                    {
                        var times = byTopic.GetValueOrDefault(topic) ?? [];
                        if (!times.Any(t => t >= write.Sent)) missing.Add($"{write.Kind} of {write.Id} at {write.Sent:HH:mm:ss.fff}: {topic} not pinged after it");
                    }
                    break;
            }
        }
        return new Findings(changes, missing, early, lifts, lifts == 0 ? 0 : liftPings / (double)(lifts * Formats.Length));
    }
}
