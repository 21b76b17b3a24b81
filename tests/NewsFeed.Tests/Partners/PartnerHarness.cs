using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Partners;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// The app (NewsFeedApp: temp SQLite, fake clock) with partners pointed at a WireMock.Net server on loopback.
/// The background loop is off: tests call the poller directly. Network deadlines are short real times
/// (the HTTP pipeline runs on the wall clock); schedules are on the fake clock.
/// </summary>
public sealed class PartnerHarness : IDisposable
{
    public const string ApiKey = "partner-tests-key-0123456789abcdef";

    public static readonly Dictionary<string, string?> TestSettings = new()
    {
        ["Partners:RegistryPath"] = "",
        ["Partners:PollingEnabled"] = "false",
        ["Partners:AllowPrivateAddresses"] = "true",
        // Generous, so a loaded CI machine never turns a poll into "Timed out" (it did at 3 s, twice); the tests of
        // deadlines themselves run on DeadlinePartnerHarness.
        ["Partners:TotalTimeout"] = "00:00:20",
        ["Partners:AttemptTimeout"] = "00:00:10",
        ["Partners:RetryBaseDelay"] = "00:00:00.010",
        ["Partners:MaxRetryAfter"] = "00:00:01.500",
        // Retries of a 429/503 otherwise wait at least 1 s; PartnerRetryFloorTests runs with that default.
        ["Partners:MinRetryDelay"] = "00:00:00.010",
        ["Partners:MaxRetries"] = "3",
        ["Partners:BreakerMinimumThroughput"] = "1000",
        ["Partners:MaxResponseBytes"] = "1048576",
        ["Partners:MaxResponseHeadersKilobytes"] = "16",
        ["Partners:MaxRedirects"] = "3",
        ["Partners:Jitter"] = "0",
        ["Publishing:ApiKeys:0"] = ApiKey,
    };

    private readonly Dictionary<string, Guid> _mappings = [];

    public PartnerHarness() : this(null)
    {
    }

    private PartnerHarness(Dictionary<string, string?>? settings)
    {
        var merged = new Dictionary<string, string?>(TestSettings);
        foreach (var (key, value) in settings ?? []) merged[key] = value;
        App = new NewsFeedApp { Settings = merged };
        // Starts the host (migrations, seed articles) now, so no test's timing pays for it.
        Client = App.CreateClient();
        WarmUpAsync().GetAwaiter().GetResult();
    }

    /// <summary>One poll through the whole path (JIT, connection pool, parser), so timing assertions measure behaviour, not start-up.</summary>
    private async Task WarmUpAsync()
    {
        Server.Given(Request.Create().WithPath("/warm-up.rss").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(Rss(("w", "Warm"))));
        await Store.AddAsync(new Partner { Id = "warm-up", Name = "Warm-up", Url = UrlOf("/warm-up.rss"), Enabled = false }, App.Time.GetUtcNow(), CancellationToken.None);
        await Poller.PollAsync("warm-up", CancellationToken.None);
        await Store.RemoveAsync("warm-up", App.Time.GetUtcNow(), CancellationToken.None);
    }

    /// <summary>A harness with settings on top of <see cref="TestSettings"/>.</summary>
    public static PartnerHarness With(Dictionary<string, string?> settings) => new(settings);

    public WireMockServer Server { get; } = WireMockServer.Start();
    public NewsFeedApp App { get; }
    public HttpClient Client { get; }
    internal PartnerPoller Poller => App.Services.GetRequiredService<PartnerPoller>();
    internal IPartnerStore Store => App.Services.GetRequiredService<IPartnerStore>();

    public static string Fixture(string name) => File.ReadAllText(RepoPaths.PartnerDocument(name));

    /// <summary>A good three-item RSS feed (harbor-gazette.rss), for tests about transport rather than content.</summary>
    public static string SampleFeed { get; } = Fixture("harbor-gazette.rss");

    public string UrlOf(string path) => Server.Url + path;

    /// <summary>Adds a partner polled at <paramref name="path"/> on the mock server.</summary>
    internal async Task<Partner> AddPartnerAsync(string id, string path, string? section = null, int? itemCap = null, string? name = null)
    {
        var partner = new Partner
        {
            Id = id,
            Name = name ?? $"Partner {id}",
            Url = UrlOf(path),
            Section = section,
            ItemCap = itemCap,
            Attribution = $"Courtesy of {name ?? id}",
        };
        Assert.True(await Store.AddAsync(partner, App.Time.GetUtcNow(), CancellationToken.None));
        return partner;
    }

    /// <summary>Answers GET <paramref name="path"/> with <paramref name="response"/> from now on (replacing what it answered before).</summary>
    public void Serve(string path, IResponseBuilder response)
    {
        if (_mappings.Remove(path, out var old)) Server.DeleteMapping(old);
        var guid = Guid.NewGuid();
        Server.Given(Request.Create().WithPath(path).UsingGet()).WithGuid(guid).AtPriority(100).RespondWith(response);
        _mappings[path] = guid;
    }

    public void ServeFeed(string path, string body, string contentType = "application/rss+xml; charset=utf-8") =>
        Serve(path, Response.Create().WithStatusCode(200).WithHeader("Content-Type", contentType).WithBody(body));

    public int RequestsTo(string path) => Server.LogEntries.Count(e => e.RequestMessage.Path == path);

    internal async Task<PartnerStatus> StatusAsync(string id) => (await Store.GetAsync(id, CancellationToken.None))!;

    public async Task<List<string>> KeysAsync(string id) =>
        (await Store.GetNewestAsync(id, null, 1000, CancellationToken.None)).Select(i => i.Item.Key).Order(StringComparer.Ordinal).ToList();

    public HttpClient AdminClient()
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public static string Rss(params (string Guid, string Title)[] items) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Partner</title><link>https://partner.example.org/</link><description>d</description>
        {string.Concat(items.Select(i => $"<item><title>{i.Title}</title><link>https://partner.example.org/{i.Guid}</link><guid isPermaLink=\"false\">{i.Guid}</guid><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate><description>About {i.Title}</description></item>"))}
        </channel></rss>
        """;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
        Server.Stop();
        Server.Dispose();
    }
}

/// <summary>
/// A <see cref="PartnerHarness"/> with short deadlines (2 s an attempt, 3 s a poll), for the tests of what happens
/// when a partner stalls, drips or answers too late.
/// </summary>
public sealed class DeadlinePartnerHarness : IDisposable
{
    public PartnerHarness Harness { get; } = PartnerHarness.With(new()
    {
        ["Partners:TotalTimeout"] = "00:00:03",
        ["Partners:AttemptTimeout"] = "00:00:02",
    });

    public void Dispose() => Harness.Dispose();
}
