using System.Globalization;
using System.Text;

namespace NewsFeed.Reliability;

/// <summary>
/// The cluster phase's raw records as CSV files in the work directory (writes, visibility probes, hub pings, partner
/// requests, fault windows), and what the database holds at the end, so a failed check can be followed to the
/// events behind it.
/// </summary>
internal static class ClusterRecords
{
    public static async Task WriteAsync(string folder, Newsroom newsroom, IEnumerable<Visibility> probes, IEnumerable<HubPing> pings,
        IEnumerable<FlappingPartner.Request> requests, IEnumerable<FaultWindow> windows)
    {
        await File.WriteAllLinesAsync(Path.Combine(folder, "cluster-writes.csv"),
            newsroom.Log.Select(w => Row(w.Sent, w.Acked, w.Kind, w.Id, w.ServedBy, w.StoryTag, w.EmbargoUntil, w.Title))
                .Concat(newsroom.ErrorAnswers.Select(e => Row(e.At, e.At, "answered", e.Status)))
                .Prepend("sent,answered,kind,id,served_by,story_tag,embargo_until,title"));
        await File.WriteAllLinesAsync(Path.Combine(folder, "cluster-visibility.csv"),
            probes.Select(v => Row(v.Write.Acked, v.Write.Kind, v.Write.Id, v.Write.ServedBy, v.Instance, v.VisibleAt, v.Milliseconds, v.AskedMilliseconds))
                .Prepend("acked,kind,id,served_by,instance,visible_at,ms,asked_ms"));
        await File.WriteAllLinesAsync(Path.Combine(folder, "cluster-pings.csv"),
            pings.OrderBy(p => p.At).Select(p => Row(p.At, p.Topic)).Prepend("at,topic"));
        await File.WriteAllLinesAsync(Path.Combine(folder, "cluster-partner-requests.csv"),
            requests.OrderBy(r => r.Start).Select(r => Row(r.Start, r.End, r.PartnerId, r.Mode)).Prepend("start,end,partner,mode"));
        await File.WriteAllLinesAsync(Path.Combine(folder, "cluster-faults.csv"),
            windows.Select(w => Row(w.Start, w.End, w.What)).Prepend("start,end,what"));
    }

    /// <summary>
    /// Best effort, for diagnosis only: the store's tables as PostgreSQL lists them, and every row still in the
    /// outbox and every partner's lease, as they are at the end (a ping never sent, a lease never released).
    /// </summary>
    public static async Task DumpDatabaseAsync(string folder, ThrowawayPostgres database)
    {
        var dump = new StringBuilder();
        foreach (var sql in new[]
        {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
            "SELECT * FROM outbox ORDER BY 1, 2",
            "SELECT id, lease_owner, lease_until, next_poll FROM partners ORDER BY 1",
        })
        {
            dump.Append("-- ").Append(sql).Append('\n');
            try
            {
                dump.Append(await database.PsqlAsync("newsfeed", sql)).Append("\n\n");
            }
            catch (InvalidOperationException error)
            {
                dump.Append(error.Message).Append("\n\n");
            }
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "cluster-database.txt"), dump.ToString());
    }

    private static string Row(params object?[] values)
    {
        var row = new StringBuilder();
        foreach (var value in values)
        {
            if (row.Length > 0) row.Append(',');
            var text = value switch
            {
                null => "",
                DateTimeOffset at => at.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
                double number => number.ToString("F1", CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
            };
            row.Append(text.Contains(',', StringComparison.Ordinal) ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text);
        }
        return row.ToString();
    }
}
