namespace NewsFeed.Reliability;

/// <summary>
/// Partner polls across the cluster, judged from the partner server's own request log. The instances run with no
/// retries, no jitter and no backoff (Partners:MaxRetries=0, Jitter=0, MaxPollDelay = the interval), so each poll is
/// exactly one request, and the next is due one interval after it ended.
/// <list type="bullet">
/// <item><b>Double poll</b>: a request that starts less than half an interval after the one before it ended (or
/// while it is still running) polled a partner that was not due again: two instances took the same due time.
/// Excused when an instance was killed between the two starts (its poll was cut off before it could record that
/// it was done, so the partner was rightly due again once its lease expired), or when the database restart fell
/// between them (the poll could not be recorded either); both are counted apart.</item>
/// <item><b>Missed poll</b>: a gap from the end of one request (or the start of the run) to the next request (or
/// the end of the run) longer than the interval plus one lease time plus a tick and a second of slack: the lease of
/// a killed instance must expire and another instance take the partner within that. A gap that overlaps the
/// database restart may be longer by the restart's length (nothing can be polled and recorded while it is down).</item>
/// </list>
/// </summary>
internal static class PartnerPollAudit
{
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    public sealed record Findings(
        int Polls,
        List<string> DoublePolls,
        int ExcusedByKill,
        int ExcusedByDatabase,
        List<string> Missed,
        TimeSpan LongestGap);

    public static TimeSpan AllowedGap => ClusterInstances.PollInterval + ClusterInstances.LeaseTime + ClusterInstances.TickInterval + Slack;

    public static Findings Judge(
        IEnumerable<FlappingPartner.Request> requests, IReadOnlyCollection<string> partners,
        DateTimeOffset from, DateTimeOffset to, IReadOnlyList<DateTimeOffset> kills, FaultWindow? database)
    {
        var doubles = new List<string>();
        var missed = new List<string>();
        int byKill = 0, byDatabase = 0, polls = 0;
        var longest = TimeSpan.Zero;
        var half = ClusterInstances.PollInterval / 2;
        foreach (var partner in partners)
        {
            var log = requests.Where(r => r.PartnerId == partner && r.Start >= from && r.Start <= to).OrderBy(r => r.Start).ToList();
            polls += log.Count;
            var previousEnd = from;
            for (var i = 0; i < log.Count; i++)
            {
                var request = log[i];
                if (i > 0 && request.Start - log[i - 1].End < half)
                {
                    var before = log[i - 1];
                    if (kills.Any(k => k >= before.Start && k <= request.Start)) byKill++;
                    else if (database is not null && database.Overlaps(before.Start, request.Start)) byDatabase++;
                    else doubles.Add($"{partner}: requests at {before.Start:HH:mm:ss.fff} (ended {before.End:HH:mm:ss.fff}) and {request.Start:HH:mm:ss.fff}");
                }
                Gap(partner, previousEnd, request.Start);
                if (request.End > previousEnd) previousEnd = request.End;
            }
            Gap(partner, previousEnd, to);
        }
        return new Findings(polls, doubles, byKill, byDatabase, missed, longest);

        void Gap(string partner, DateTimeOffset since, DateTimeOffset until)
        {
            var gap = until - since;
            var allowed = database is not null && database.Overlaps(since, until) ? AllowedGap + database.Length : AllowedGap;
            if (gap > longest) longest = gap;
            if (gap > allowed) missed.Add($"{partner}: no poll from {since:HH:mm:ss.fff} to {until:HH:mm:ss.fff} ({gap.TotalSeconds:F1} s)");
        }
    }
}
