using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace NewsFeed.Admin;

/// <summary>Describes the admin API's Bearer API-key scheme in the OpenAPI document (<c>/openapi/v1.json</c>).</summary>
internal sealed class AdminApiDocument : IOpenApiDocumentTransformer
{
    private const string SchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "NewsFeed admin API";
        document.Info.Description = "Publish, correct and retract articles; manage partner feeds; read circulation per feed. Every /api/articles, /api/partners and /api/stats call needs 'Authorization: Bearer <key>' with a key from Publishing:ApiKeys.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key from Publishing:ApiKeys.",
        };
        foreach (var (path, item) in document.Paths)
        {
            // The admin API; /api/headlines is public.
            if (!(path.StartsWith("/api/articles", StringComparison.Ordinal) || path.StartsWith("/api/partners", StringComparison.Ordinal)
                || path.StartsWith("/api/stats", StringComparison.Ordinal)) || item.Operations is null) continue;
            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
            }
        }
        return Task.CompletedTask;
    }
}
