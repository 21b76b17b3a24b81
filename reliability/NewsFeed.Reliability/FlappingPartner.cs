using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Xml;

namespace NewsFeed.Reliability;

/// <summary>
/// Partner publications on loopback that flap: each cycles through healthy, slow (past the poller's attempt
/// timeout), 500, malformed XML or JSON, 429 with Retry-After, a truncated document and binary junk, each
/// partner out of step with the others. It also stands in for the WebSub hub, accepting every ping.
/// </summary>
internal sealed class FlappingPartner : IAsyncDisposable
{
    /// <summary>One request for a partner's feed: when it arrived, when its answer ended (or it was cut off), in which mode.</summary>
    public sealed record Request(string PartnerId, DateTimeOffset Start, DateTimeOffset End, string Mode);

    public static readonly string[] Modes = ["ok", "ok", "slow", "error", "malformed", "ok", "throttled", "truncated", "junk"];

    private static readonly TimeSpan ModeLength = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GenerationLength = TimeSpan.FromSeconds(8);

    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DateTimeOffset _epoch = DateTimeOffset.UtcNow.AddDays(-1);
    private long _hubPings;
    private long _frozenTicks = -1;

    private FlappingPartner(WebApplication app) => _app = app;

    /// <summary>The partners it serves: id, format and feed path.</summary>
    public static readonly (string Id, string Format)[] Partners = [("flap-rss", "rss"), ("flap-atom", "atom"), ("flap-json", "json")];

    public Uri Address { get; private set; } = null!;

    public ConcurrentDictionary<string, long> Served { get; } = new();

    public long HubPings => Interlocked.Read(ref _hubPings);

    /// <summary>Every request for a partner feed, in the order they ended.</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>
    /// From now on every partner is healthy and unchanging (one generation, 304 to its ETag), so polls stop
    /// changing partner feeds and instances can be compared.
    /// </summary>
    public void Freeze() => Interlocked.CompareExchange(ref _frozenTicks, _clock.Elapsed.Ticks, -1);

    private bool Frozen => Interlocked.Read(ref _frozenTicks) >= 0;

    private TimeSpan Now => Frozen ? TimeSpan.FromTicks(Interlocked.Read(ref _frozenTicks)) : _clock.Elapsed;

    public static async Task<FlappingPartner> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Three loopback addresses, one per partner: the poller keeps a circuit breaker per host, and partners on
        // one host would share one.
        var port = NewsFeedServer.FreePort();
        builder.WebHost.UseUrls([.. Partners.Select((_, i) => $"http://127.0.0.{i + 1}:{port}")]);
        var app = builder.Build();
        var partner = new FlappingPartner(app);
        app.MapGet("/partners/{id}", partner.ServeAsync);
        app.MapPost("/hub", () =>
        {
            Interlocked.Increment(ref partner._hubPings);
            return Results.NoContent();
        });
        await app.StartAsync();
        partner.Address = new Uri($"http://127.0.0.1:{port}/");
        return partner;
    }

    public Uri FeedUrl(string id) => new($"http://127.0.0.{Array.FindIndex(Partners, p => p.Id == id) + 1}:{Address.Port}/partners/{id}");

    private async Task ServeAsync(string id, HttpContext context)
    {
        var index = Array.FindIndex(Partners, p => p.Id == id);
        if (index < 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var start = DateTimeOffset.UtcNow;
        // Each partner is two modes out of step with the one before it.
        var mode = !Frozen ? Modes[(int)((_clock.Elapsed / ModeLength) + (index * 2)) % Modes.Length] : "ok";
        try
        {
            await AnswerAsync(id, index, mode, context);
        }
        finally
        {
            // Also when the poller hung up (a killed instance): the request is still one poll begun.
            Requests.Enqueue(new Request(id, start, DateTimeOffset.UtcNow, mode));
        }
    }

    private async Task AnswerAsync(string id, int index, string mode, HttpContext context)
    {
        var format = Partners[index].Format;
        Served.AddOrUpdate(mode, 1, (_, n) => n + 1);
        var generation = (int)(Now / GenerationLength);
        var etag = $"\"gen-{generation}\"";
        var response = context.Response;
        switch (mode)
        {
            case "slow":
                await Task.Delay(TimeSpan.FromSeconds(4), context.RequestAborted);
                break;
            case "error":
                response.StatusCode = StatusCodes.Status500InternalServerError;
                await response.WriteAsync("upstream exploded", context.RequestAborted);
                return;
            case "throttled":
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = "2";
                return;
            case "junk":
                response.ContentType = "application/rss+xml";
                var junk = new byte[4096];
                Random.Shared.NextBytes(junk);
                await response.Body.WriteAsync(junk, context.RequestAborted);
                return;
        }
        if (mode == "ok" && context.Request.Headers.IfNoneMatch == etag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var document = Document(id, format, generation);
        if (mode == "malformed")
        {
            document = format == "json" ? document.Replace("\"items\"", "\"items\" [", StringComparison.Ordinal) : document.Replace("</title>", "</titel>", StringComparison.Ordinal);
        }
        else if (mode == "truncated")
        {
            document = document[..(document.Length / 2)];
        }
        response.ContentType = format switch { "rss" => "application/rss+xml", "atom" => "application/atom+xml", _ => "application/feed+json" } + "; charset=utf-8";
        response.Headers.ETag = etag;
        await response.WriteAsync(document, Encoding.UTF8, context.RequestAborted);
    }

    /// <summary>Ten items; every generation one new item appears on top and the oldest drops off.</summary>
    private string Document(string id, string format, int generation)
    {
        var items = Enumerable.Range(generation, 10).Reverse()
            .Select(n => (Guid: $"{id}-{n}", Title: $"Partner {id} story {n} — “quoted” & <escaped>", Published: _epoch.AddMinutes(n)))
            .ToList();
        var site = $"https://{id}.example/";
        if (format == "json")
        {
            var json = new System.Text.Json.Nodes.JsonObject
            {
                ["version"] = "https://jsonfeed.org/version/1.1",
                ["title"] = $"Partner {id}",
                ["home_page_url"] = site,
                ["items"] = new System.Text.Json.Nodes.JsonArray([.. items.Select(item => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                {
                    ["id"] = item.Guid,
                    ["url"] = site + item.Guid,
                    ["title"] = item.Title,
                    ["content_html"] = "<p>Partner copy with a <script>alert(1)</script> to strip.</p>",
                    ["date_published"] = item.Published.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                })]),
            };
            return json.ToJsonString();
        }
        // A StringBuilder would make XmlWriter declare UTF-16; the bytes sent are UTF-8.
        var output = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            if (format == "rss")
            {
                writer.WriteStartElement("rss");
                writer.WriteAttributeString("version", "2.0");
                writer.WriteStartElement("channel");
                writer.WriteElementString("title", $"Partner {id}");
                writer.WriteElementString("link", site);
                writer.WriteElementString("description", "A partner that flaps.");
                foreach (var item in items)
                {
                    writer.WriteStartElement("item");
                    writer.WriteElementString("title", item.Title);
                    writer.WriteElementString("link", site + item.Guid);
                    writer.WriteElementString("guid", item.Guid);
                    writer.WriteElementString("pubDate", item.Published.ToString("r", CultureInfo.InvariantCulture));
                    writer.WriteElementString("description", "<p>Partner copy with an <img src=x onerror=alert(1)> to strip.</p>");
                    writer.WriteEndElement();
                }
            }
            else
            {
                writer.WriteStartElement("feed", "http://www.w3.org/2005/Atom");
                writer.WriteElementString("title", $"Partner {id}");
                writer.WriteElementString("id", site);
                writer.WriteElementString("updated", items[0].Published.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                foreach (var item in items)
                {
                    writer.WriteStartElement("entry");
                    writer.WriteElementString("title", item.Title);
                    writer.WriteElementString("id", "urn:partner:" + item.Guid);
                    writer.WriteStartElement("link");
                    writer.WriteAttributeString("href", site + item.Guid);
                    writer.WriteEndElement();
                    writer.WriteElementString("updated", item.Published.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
                    writer.WriteStartElement("author");
                    writer.WriteElementString("name", "Partner desk");
                    writer.WriteEndElement();
                    writer.WriteEndElement();
                }
            }
        }
        return output.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
