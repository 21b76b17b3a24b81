using System.Collections.Concurrent;

namespace NewsFeed.Reliability;

/// <summary>One publish ping as the hub received it.</summary>
internal readonly record struct HubPing(string Topic, DateTimeOffset At);

/// <summary>
/// A WebSub hub on loopback that accepts every publish ping (W3C WebSub §7: a form post with
/// <c>hub.mode=publish</c> and <c>hub.url</c>) and records its topic and the time it arrived, so the cluster
/// phase can tell which change was announced, when, and how often.
/// </summary>
internal sealed class HubRecorder : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<HubPing> _pings = new();
    private long _malformed;

    private HubRecorder(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The URL instances are told to ping (<c>WebSub:Hubs:0</c>).</summary>
    public Uri Address { get; }

    public IReadOnlyCollection<HubPing> Pings => _pings;

    /// <summary>Posts that were not a publish ping with a topic (wrong mode, no hub.url, not a form).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    public static async Task<HubRecorder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = NewsFeedServer.FreePort();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var hub = new HubRecorder(app, new Uri($"http://127.0.0.1:{port}/hub"));
        // A Func, not a RequestDelegate: the IResult it returns is then written as the answer.
        Func<HttpContext, Task<IResult>> receive = hub.ReceiveAsync;
        app.MapPost("/hub", receive);
        await app.StartAsync();
        return hub;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        var at = DateTimeOffset.UtcNow;
        if (!context.Request.HasFormContentType)
        {
            Interlocked.Increment(ref _malformed);
            return Results.BadRequest();
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["hub.mode"] != "publish" || form["hub.url"] is not [{ Length: > 0 } topic])
        {
            Interlocked.Increment(ref _malformed);
            return Results.BadRequest();
        }
        _pings.Enqueue(new HubPing(topic, at));
        return Results.NoContent();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
