using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NewsFeed.Admin;

namespace NewsFeed.Partners;

/// <summary>
/// The admin API for partners: <c>GET/POST /api/partners</c>, <c>GET/PUT/DELETE /api/partners/{id}</c> and
/// <c>POST /api/partners/{id}/poll</c> ("poll now"). Every error is an RFC 9457 problem document.
/// </summary>
internal static class PartnersApi
{
    public static IEndpointRouteBuilder MapPartnersApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapAdminGroup("/api/partners").WithTags("Partners");
        admin.MapGet("/", async (IPartnerStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok(await store.ListAsync(cancellationToken)));
        admin.MapGet("/{id}", async Task<Results<Ok<PartnerStatus>, ProblemHttpResult>> (string id, IPartnerStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is { } status ? TypedResults.Ok(status) : NotFound(id));
        admin.MapPost("/", async Task<Results<Created<PartnerStatus>, ValidationProblem, ProblemHttpResult>> (
            Partner partner, IPartnerStore store, TimeProvider time, IOptions<PartnerOptions> options, CancellationToken cancellationToken) =>
        {
            var errors = PartnerRules.Validate(partner, options.Value);
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The partner is not valid.");
            if (!await store.AddAsync(partner, time.GetUtcNow(), cancellationToken))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Partner exists", detail: $"There is already a partner '{partner.Id}'; use PUT to change it.");
            }
            return TypedResults.Created($"/api/partners/{partner.Id}", await store.GetAsync(partner.Id, cancellationToken));
        });
        admin.MapPut("/{id}", async Task<Results<Ok<PartnerStatus>, ValidationProblem, ProblemHttpResult>> (
            string id, Partner partner, IPartnerStore store, TimeProvider time, IOptions<PartnerOptions> options, CancellationToken cancellationToken) =>
        {
            var errors = PartnerRules.Validate(partner, options.Value);
            if (partner.Id != id) errors["id"] = ["The id in the body must match the id in the URL."];
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The partner is not valid.");
            return await store.UpdateAsync(partner, time.GetUtcNow(), cancellationToken)
                ? TypedResults.Ok((await store.GetAsync(id, cancellationToken))!)
                : NotFound(id);
        });
        admin.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, IPartnerStore store, TimeProvider time, CancellationToken cancellationToken) =>
            await store.RemoveAsync(id, time.GetUtcNow(), cancellationToken) ? TypedResults.NoContent() : NotFound(id));
        admin.MapPost("/{id}/poll", async Task<Results<Ok<PollResult>, ProblemHttpResult>> (string id, PartnerPoller poller, CancellationToken cancellationToken) =>
        {
            var result = await poller.PollAsync(id, cancellationToken);
            return result.Outcome switch
            {
                PollOutcome.Unknown => NotFound(id),
                PollOutcome.Busy => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Partner is being polled",
                    detail: $"Another instance is polling '{id}' now; its result will show in the partner's health."),
                _ => TypedResults.Ok(result),
            };
        });
        return app;
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Partner not found", detail: $"There is no partner '{id}'.");
}
