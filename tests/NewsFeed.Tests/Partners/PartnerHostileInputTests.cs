using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using NewsFeed.Partners;
using NewsFeed.Tests.Feeds;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// Hostile or broken partner input, end to end through a real poll. Every case starts from a partner whose
/// good feed is stored, then serves the bad answer and checks the same things (SPEC "Bad input"): the
/// partner's error is recorded with a reason (or, for what the lenient parser may repair, the repair is
/// safe), nothing stored is lost, the other partner and our own feeds are untouched, and the partner
/// feeds stay valid.
/// </summary>
public sealed class PartnerHostileInputTests(DeadlinePartnerHarness deadlines) : IClassFixture<DeadlinePartnerHarness>
{
    private readonly PartnerHarness harness = deadlines.Harness;

    public enum Expect
    {
        /// <summary>The poll fails and the reason is recorded.</summary>
        Fails,
        /// <summary>The lenient parser repairs it; what is stored is safe.</summary>
        Repaired,
    }

    /// <param name="Reason">A fragment of the recorded error (Fails), or of a recorded parser warning (Repaired; null: none expected).</param>
    public sealed record HostileCase(string Name, string Kind, Expect Expect, string? Reason, Func<PartnerHarness, IResponseBuilder> Response);

    private static readonly string Good = PartnerHarness.Fixture("harbor-gazette.rss");

    private static IResponseBuilder Status(int code) => Response.Create().WithStatusCode(code);

    private static IResponseBuilder Xml(string body, string contentType = "application/rss+xml") =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody(body);

    private static IResponseBuilder Bytes(byte[] body, string contentType = "application/rss+xml") =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody(body);

    private static string Item(string guid, string title, string extra = "", string date = "Mon, 23 Nov 2026 10:00:00 GMT") =>
        $"<item><title>{title}</title><link>https://partner.example.org/{guid}</link><guid isPermaLink=\"false\">{guid}</guid><pubDate>{date}</pubDate>{extra}</item>";

    private static string Channel(params string[] items) =>
        $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>P</title><link>https://partner.example.org/</link><description>d</description>{string.Concat(items)}</channel></rss>";

    private const string Laughs = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [
          <!ENTITY lol "lol">
          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>laughs</guid></item></channel></rss>
        """;

    public static readonly IReadOnlyList<HostileCase> Cases =
    [
        // Status codes
        new("http-500", "status", Expect.Fails, "500", _ => Status(500)),
        new("http-502", "status", Expect.Fails, "502", _ => Status(502)),
        new("http-503-forever", "status", Expect.Fails, "503", _ => Status(503)),
        new("http-404", "status", Expect.Fails, "404", _ => Status(404)),
        new("http-403", "status", Expect.Fails, "403", _ => Status(403)),
        new("http-401", "status", Expect.Fails, "401", _ => Status(401)),
        new("http-451", "status", Expect.Fails, "451", _ => Status(451)),
        new("http-429-retry-after-hour", "status", Expect.Fails, "429", _ => Status(429).WithHeader("Retry-After", "3600")),
        new("redirect-loop", "status", Expect.Fails, "redirects", h => Status(302).WithHeader("Location", "/hostile/redirect-loop")),
        new("redirect-to-ftp", "status", Expect.Fails, "'ftp'", _ => Status(301).WithHeader("Location", "ftp://partner.example.org/feed.rss")),
        new("redirect-without-location", "status", Expect.Fails, "Location", _ => Status(301)),
        // Timing and connection faults
        new("attempts-time-out", "timing", Expect.Fails, "Timed out", _ => Xml(Good).WithDelay(TimeSpan.FromSeconds(5))),
        new("empty-response", "timing", Expect.Fails, "empty", _ => Response.Create().WithFault(FaultType.EMPTY_RESPONSE)),
        new("malformed-chunk", "timing", Expect.Fails, "" /* WireMock sends random garbage: any reason */, _ => Response.Create().WithFault(FaultType.MALFORMED_RESPONSE_CHUNK)),
        // Size
        new("body-over-cap", "size", Expect.Fails, "cap", _ => Bytes(new byte[2 * 1024 * 1024])),
        new("gzip-bomb", "size", Expect.Fails, "cap", _ => Bytes(GzipOfZeros(64 * 1024 * 1024)).WithHeader("Content-Encoding", "gzip")),
        new("gzip-corrupt", "size", Expect.Fails, "failed", _ => Bytes(Encoding.UTF8.GetBytes(Good)).WithHeader("Content-Encoding", "gzip")),
        new("headers-over-cap", "size", Expect.Fails, "failed", _ => Xml(Good).WithHeader("X-Padding", new string('a', 40 * 1024))),
        // XML and documents that are not feeds
        new("empty-body", "xml", Expect.Fails, "empty", _ => Xml("")),
        new("html-page", "xml", Expect.Fails, "HTML", _ => Xml("<!DOCTYPE html><html><head><title>Oops</title></head><body><p>Moved</p></body></html>", "text/html")),
        new("unknown-root", "xml", Expect.Fails, "root", _ => Xml("<?xml version=\"1.0\"?><catalog><book>x</book></catalog>")),
        new("truncated-before-any-item", "xml", Expect.Fails, "Malformed", _ => Xml("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>P</title><item><title>Half")),
        new("binary-garbage", "xml", Expect.Fails, "", _ => Bytes(Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray(), "application/octet-stream")),
        new("xxe-file", "xml", Expect.Repaired, null, _ => Xml("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><channel><title>&xxe;</title><item><title>&xxe;</title><guid>xxe</guid></item></channel></rss>")),
        new("xxe-network", "xml", Expect.Repaired, null, h => Xml($"<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"{h.UrlOf("/evil/entity")}\">]><rss version=\"2.0\"><channel><title>t</title><item><title>&xxe;</title><guid>xxe</guid></item></channel></rss>")),
        new("external-dtd", "xml", Expect.Repaired, null, h => Xml($"<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"{h.UrlOf("/evil/rss.dtd")}\"><rss version=\"2.0\"><channel><title>t</title><item><title>&ext;</title><guid>dtd</guid></item></channel></rss>")),
        new("billion-laughs", "xml", Expect.Repaired, null, _ => Xml(Laughs)),
        new("json-not-a-feed", "xml", Expect.Fails, "jsonfeed.org", _ => Xml("{\"hello\": \"world\"}", "application/json")),
        new("json-malformed", "xml", Expect.Fails, "malformed JSON", _ => Xml("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [", "application/feed+json")),
        // The lenient parser repairs these (a DTD is skipped, never processed: no entity expands, no file or URL is
        // read); what is stored must be safe. Encodings, dates, identity and HTML likewise.
        new("windows-1252", "encoding", Expect.Repaired, null, _ => Bytes(Encoding.Latin1.GetBytes(Channel(Item("cp1252", "Caf\u00e9 \u00e0 la carte")).Replace("utf-8", "windows-1252", StringComparison.Ordinal)))),
        new("utf16-with-bom", "encoding", Expect.Repaired, null, _ => Bytes([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Channel(Item("utf16", "Sixteen bits")).Replace("utf-8", "utf-16", StringComparison.Ordinal))])),
        new("control-characters", "encoding", Expect.Repaired, null, _ => Xml(Channel(Item("ctl", "Bell&#x7; and nul")))),
        new("far-future-date", "dates", Expect.Repaired, "future", _ => Xml(Channel(Item("future", "From the future", date: "Fri, 01 Jan 2999 00:00:00 GMT")))),
        new("garbage-date", "dates", Expect.Repaired, "date", _ => Xml(Channel(Item("nodate", "No real date", date: "the day after tomorrow")))),
        new("items-without-guid-or-link", "identity", Expect.Repaired, null, _ => Xml(Channel("<item><title>Anonymous one</title><description>a</description></item>", "<item><title>Anonymous two</title><description>b</description></item>"))),
        new("duplicate-guids", "identity", Expect.Repaired, "repeats", _ => Xml(Channel(Item("dup", "First copy"), Item("dup", "Second copy")))),
        new("script-and-handlers", "html", Expect.Repaired, null, _ => Xml(Channel(Item("script", "Scripted", "<content:encoded><![CDATA[<p onclick=\"steal()\">Hi<script>alert(1)</script><iframe src=\"https://evil.example/\"></iframe></p>]]></content:encoded>")))),
        new("javascript-links", "html", Expect.Repaired, null, _ => Xml(Channel("<item><title>JS link</title><link>javascript:alert(1)</link><guid isPermaLink=\"false\">jslink</guid><description>x</description></item>"))),
        new("relative-urls", "html", Expect.Repaired, null, _ => Xml(Channel("<item><title>Relative</title><link>/stories/relative</link><guid isPermaLink=\"false\">rel</guid><content:encoded><![CDATA[<p><a href=\"../more\">more</a><img src=\"img/a.png\"></p>]]></content:encoded></item>"))),
        new("thousand-items", "size", Expect.Repaired, "more than", _ => Xml(Channel(Enumerable.Range(0, 1000).Select(i => Item($"bulk-{i}", $"Bulk {i}", date: "Wed, 01 Jan 2020 10:00:00 GMT")).ToArray()))),
        new("empty-channel", "identity", Expect.Repaired, null, _ => Xml(Channel())),
    ];

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.Name));

    [Fact]
    public void Cases_AreManyAndDistinct()
    {
        Assert.True(Cases.Count >= 30, $"{Cases.Count} cases");
        Assert.Equal(Cases.Count, Cases.Select(c => c.Name).Distinct().Count());
        Assert.True(Cases.Count(c => c.Expect == Expect.Fails) >= 20);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Poll_HostileInput_RecordsErrorAndLosesNothing(string name)
    {
        var hostile = Cases.Single(c => c.Name == name);
        var id = "h-" + name;
        var path = "/hostile/" + name;
        await EnsureSteadyPartnerAsync();
        await harness.AddPartnerAsync(id, path);
        harness.ServeFeed(path, Good);
        Assert.Equal(PollOutcome.Updated, (await harness.Poller.PollAsync(id, CancellationToken.None)).Outcome);
        var before = await harness.Store.GetNewestAsync(id, null, 1000, CancellationToken.None);
        var steadyBefore = await harness.KeysAsync("steady");
        var ownBefore = await OwnFeedETagAsync();

        harness.Serve(path, hostile.Response(harness));
        var watch = Stopwatch.StartNew();
        var result = await harness.Poller.PollAsync(id, CancellationToken.None);
        watch.Stop();

        var status = await harness.StatusAsync(id);
        if (hostile.Expect == Expect.Fails)
        {
            Assert.True(result.Outcome == PollOutcome.Failed, $"{name}: outcome {result.Outcome}");
            Assert.False(string.IsNullOrWhiteSpace(status.State.LastError), "a reason is recorded");
            Assert.True(status.State.LastError!.Contains(hostile.Reason!, StringComparison.OrdinalIgnoreCase), $"{name}: reason '{status.State.LastError}'");
            Assert.Equal(1, status.State.ConsecutiveFailures);
            Assert.Equal(before.Select(i => i.Item.Key), (await harness.Store.GetNewestAsync(id, null, 1000, CancellationToken.None)).Select(i => i.Item.Key));
        }
        else
        {
            Assert.True(result.Outcome is PollOutcome.Updated or PollOutcome.Unchanged, $"{name}: outcome {result.Outcome}: {result.Error}");
            var after = (await harness.KeysAsync(id)).ToHashSet();
            Assert.All(before, item => Assert.Contains(item.Item.Key, after)); // nothing stored is lost
            Assert.True(status.ItemCount <= 50, "the item cap holds");
            if (hostile.Reason is not null)
            {
                Assert.Contains(status.State.Warnings ?? [], w => w.Contains(hostile.Reason, StringComparison.OrdinalIgnoreCase));
            }
        }
        Assert.True(status.Partner.Enabled, "bad input never disables a partner");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"bounded time: {watch.Elapsed}");

        // Safety: no file read, no network call made on the document's behalf, nothing active stored.
        Assert.Equal(0, harness.RequestsTo("/evil/entity") + harness.RequestsTo("/evil/rss.dtd"));
        foreach (var stored in await harness.Store.GetNewestAsync(id, null, 1000, CancellationToken.None))
        {
            var text = stored.Item.Title + stored.Item.SummaryText + stored.Item.ContentHtml + stored.Item.Url;
            Assert.DoesNotContain("root:", text, StringComparison.Ordinal);
            Assert.DoesNotContain("lollollol", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onclick", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript:", text, StringComparison.OrdinalIgnoreCase);
            Assert.True(stored.SortAt <= stored.FetchedAt, "no item dated in the future");
        }

        // Others are untouched, and everything we serve stays valid.
        Assert.Equal(steadyBefore, await harness.KeysAsync("steady"));
        Assert.Equal(0, (await harness.StatusAsync("steady")).State.ConsecutiveFailures);
        Assert.Equal(ownBefore, await OwnFeedETagAsync());
        FeedAssert.ValidRss(await harness.Client.GetByteArrayAsync($"/feeds/partners/{id}.rss"));
        FeedAssert.ValidAtom(await harness.Client.GetByteArrayAsync($"/feeds/partners/{id}.atom"));
        FeedAssert.ValidJsonFeed(await harness.Client.GetByteArrayAsync($"/feeds/partners/{id}.json"));
        FeedAssert.ValidRss(await harness.Client.GetByteArrayAsync("/feeds/partners.rss"));
    }

    private async Task EnsureSteadyPartnerAsync()
    {
        if (await harness.Store.GetAsync("steady", CancellationToken.None) is not null) return;
        if (await harness.Store.AddAsync(new Partner { Id = "steady", Name = "Valley Chronicle", Url = harness.UrlOf("/steady.atom") }, harness.App.Time.GetUtcNow(), CancellationToken.None))
        {
            harness.ServeFeed("/steady.atom", PartnerHarness.Fixture("valley-chronicle.atom"), "application/atom+xml");
        }
        await harness.Poller.PollAsync("steady", CancellationToken.None);
    }

    private async Task<string> OwnFeedETagAsync()
    {
        using var response = await harness.Client.GetAsync("/feeds/latest.rss");
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag!.Tag;
    }

    private static byte[] GzipOfZeros(int length)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(new byte[length]);
        return output.ToArray();
    }
}
