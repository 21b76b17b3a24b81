using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using NewsFeed.Admin;

namespace NewsFeed.Readers;

/// <summary><c>GET /api/stats/feeds?days=N</c>: circulation, readers and traffic per feed over the last N UTC days (today included), admin key required.</summary>
internal static class StatsApi
{
    public const int DefaultDays = 30;

    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapAdminGroup("/api/stats").WithTags("Stats");
        admin.MapGet("/feeds", async Task<Results<Ok<FeedStatsReport>, ValidationProblem>> (
            HttpContext context, FeedStatsReader stats, IOptions<ReadersOptions> options, CancellationToken cancellationToken) =>
        {
            var errors = new Dictionary<string, string[]>();
            var days = QueryParameters.BoundedInt(context.Request.Query, "days", DefaultDays, options.Value.MaxDays, errors);
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The stats query is not valid.");
            return TypedResults.Ok(await stats.ReadAsync(days, cancellationToken));
        })
        .WithSummary("Circulation per feed")
        .WithDescription("Per feed (every format counted as one; archives are not counted): the circulation of its latest day with readers "
            + "(subscribers aggregators reported in their User-Agent, each feed-id's latest report of the day, plus distinct direct readers), "
            + "the readers it came from, and a daily series of circulation, requests, 304s and bytes. 'days' (1 to Readers:MaxDays, default 30) "
            + "counts back from today (UTC), which is still open.")
        // 'days' is read strictly from the query (one whole number, or a 400 naming it), so the document is told of it here.
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "days",
                In = ParameterLocation.Query,
                Description = $"How many days back from today (UTC) to show, 1 to Readers:MaxDays (366 by default); {DefaultDays} when absent.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            });
            return Task.CompletedTask;
        });
        return app;
    }
}

/// <summary>Reads a report of the last N days from the store, for the API and the dashboard.</summary>
internal sealed class FeedStatsReader(IReaderStore store, TimeProvider time)
{
    public async Task<FeedStatsReport> ReadAsync(int days, CancellationToken cancellationToken)
    {
        var today = ReaderCounter.DayOf(time.GetUtcNow());
        var from = today - days + 1;
        return FeedStatsReport.Compose(await store.ReadAsync(from, today, cancellationToken), from, today);
    }
}
