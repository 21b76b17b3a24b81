using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace NewsFeed.Storage;

/// <summary>
/// A request that needed the store while it could not be reached (a locked, missing or unopenable SQLite file,
/// a full or read-only disk, PostgreSQL down) answers <c>503 Service Unavailable</c> with <c>Retry-After</c>
/// (RFC 9110 §15.6.4, §10.2.3) and a problem document saying nothing was written, instead of a 500 with a
/// stack trace in the log: the client did nothing wrong and may send the same request again. Every store
/// writes in one transaction, so a write that failed this way left nothing half-written. One warning line
/// per such request, with the reason.
/// </summary>
internal sealed partial class StoreUnavailableHandler(IProblemDetailsService problems, ILogger<StoreUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>
    /// What Retry-After asks for: long enough for a lock to be released, a full disk to be cleared or a database
    /// restart to be noticed by the connection pool, short enough that a newsroom's retry lands soon after.
    /// </summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // A client that went away mid-request gets no answer at all; the framework's handling of that stands.
        if (StoreUnavailable.Cause(exception) is not { } cause || httpContext.Response.HasStarted || httpContext.RequestAborted.IsCancellationRequested) return false;
        LogUnavailable(httpContext.Request.Method, httpContext.Request.Path, cause.GetType().Name, cause.Message);

        var seconds = ((long)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = seconds;
        httpContext.Response.Headers.CacheControl = "no-store";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Store unavailable",
            Detail = $"The store cannot be reached just now, so nothing was written. Try again in {seconds} seconds.",
        };
        if (!await problems.TryWriteAsync(new() { HttpContext = httpContext, ProblemDetails = problem }))
        {
            // A client that accepts no JSON still gets the status, the header and a sentence.
            await httpContext.Response.WriteAsync(problem.Detail, cancellationToken);
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store unavailable: {Method} {Path} answered 503 ({Kind}: {Reason})")]
    private partial void LogUnavailable(string method, string path, string kind, string reason);
}
