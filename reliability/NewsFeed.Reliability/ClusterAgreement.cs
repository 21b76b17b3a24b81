using System.Net;

namespace NewsFeed.Reliability;

/// <summary>
/// After the cluster phase's faults: every acknowledged write is what every instance serves (the admin API's GET and
/// the latest feed walked page by page, on each instance directly), and every instance answers every feed with the
/// same ETag: one store, so one version of each feed.
/// </summary>
internal static class ClusterAgreement
{
    private static readonly string[] Formats = ["rss", "atom", "json"];

    /// <summary>Each instance's read-back of every write of the ledger, and its latest feed walked to the end.</summary>
    public static async Task<(int Checked, List<string> Problems)> WritesAsync(ClusterInstances instances, string apiKey, Newsroom newsroom)
    {
        var problems = new List<string>();
        var count = 0;
        foreach (var name in ClusterInstances.Names)
        {
            using var admin = Clients.Admin(instances.Address(name), apiKey);
            var (verified, mismatches) = await Newsroom.VerifyAsync(admin, [newsroom], CancellationToken.None);
            count += verified;
            problems.AddRange(mismatches.Select(m => $"{name}: {m}"));
            problems.AddRange((await Soak.WalkLatestAsync(admin, newsroom)).Select(m => $"{name} latest feed: {m}"));
        }
        return (count, problems);
    }

    /// <summary>
    /// The feeds compared: latest (default and 100 items), every section, author and shared tag the newsroom uses,
    /// the partner feeds, and the story tags of the last writes, each in every format.
    /// </summary>
    public static List<string> FeedsToCompare(Newsroom newsroom)
    {
        var feeds = new List<string> { "latest", "partners" };
        feeds.AddRange(Newsroom.Sections.Select(s => $"sections/{s}"));
        feeds.AddRange(Newsroom.Authors.Select(a => $"authors/{a}"));
        feeds.AddRange(Newsroom.Tags.Select(t => $"tags/{t}"));
        feeds.AddRange(FlappingPartner.Partners.Select(p => $"partners/{p.Id}"));
        feeds.AddRange(newsroom.Log.Where(w => w.StoryTag is not null).Select(w => $"tags/{w.StoryTag}").Distinct().TakeLast(10));
        var paths = feeds.SelectMany(feed => Formats.Select(format => $"feeds/{feed}.{format}")).ToList();
        paths.Add("feeds/latest.json?limit=100");
        return paths;
    }

    /// <summary>
    /// Fetches each path from every instance at about the same moment and compares the ETags (and status). A
    /// disagreement is looked at again twice, half a second apart, in case a write or a poll landed between the
    /// fetches; one that stays is reported.
    /// </summary>
    public static async Task<(int Compared, List<string> Disagreements)> ETagsAsync(ClusterInstances instances, IReadOnlyList<string> paths)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromSeconds(10) };
        var disagreements = new List<string>();
        foreach (var path in paths)
        {
            string? last = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var answers = await Task.WhenAll(ClusterInstances.Names.Select(async name =>
                {
                    using var response = await client.GetAsync(new Uri(instances.Address(name), path));
                    return $"{name} {(int)response.StatusCode} {response.Headers.ETag?.Tag ?? "no ETag"}";
                }));
                var versions = answers.Select(a => a[(a.IndexOf(' ', StringComparison.Ordinal) + 1)..]).Distinct().ToList();
                last = versions.Count == 1 ? null : $"{path}: {string.Join(", ", answers)}";
                if (last is null) break;
                await Task.Delay(500);
            }
            if (last is not null) disagreements.Add(last);
        }
        return (paths.Count, disagreements);
    }
}
