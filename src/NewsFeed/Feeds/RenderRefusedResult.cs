using System.Globalization;

namespace NewsFeed.Feeds;

/// <summary>Why <see cref="RenderAdmission"/> did not let a cold render start.</summary>
internal enum RenderRefusal
{
    /// <summary>As many renders as allowed are running and as many again as the queue holds are waiting.</summary>
    QueueFull,
    /// <summary>The render waited <c>Feeds:RenderQueueTimeout</c> in the queue without its turn coming.</summary>
    QueueTimeout,
    /// <summary>The process's memory load is at or over <c>Feeds:MaxMemoryLoadPercent</c>.</summary>
    MemoryShort,
}

/// <summary>
/// The answer to a feed request whose render was refused and of which no older copy is held:
/// <c>503 Service Unavailable</c> with <c>Retry-After</c> (RFC 9110 §15.6.4, §10.2.3) and a problem document
/// (RFC 9457). It is the deliberate answer of a busy server, not an error: nothing is logged per request (a
/// flood would flood the log too; the refusals are counted in <c>newsfeed.feed.render.refused</c>), and the
/// client may send the same request again. A shared cache with the feed's <c>stale-if-error</c> serves its
/// own copy meanwhile.
/// </summary>
internal sealed class RenderRefusedResult(RenderRefusal refusal) : IResult
{
    /// <summary>Long enough for the renders in progress and in the queue to finish, or for a collection to free memory.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private static readonly string RetryAfterSeconds = ((long)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    public RenderRefusal Refusal => refusal;

    public Task ExecuteAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.RetryAfter = RetryAfterSeconds;
        headers.CacheControl = "no-store";
        var why = refusal == RenderRefusal.MemoryShort
            ? "The server is short of memory just now and renders no feed it does not already hold."
            : "The server is busy rendering other feeds.";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Feed not rendered",
            detail: $"{why} Try again in {RetryAfterSeconds} seconds.").ExecuteAsync(context);
    }
}
