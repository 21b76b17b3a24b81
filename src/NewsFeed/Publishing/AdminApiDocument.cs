using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace NewsFeed.Publishing;

/// <summary>Describes the admin API's Bearer API-key scheme in the OpenAPI document (<c>/openapi/v1.json</c>).</summary>
internal sealed class AdminApiDocument : IOpenApiDocumentTransformer
{
    private const string SchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "NewsFeed admin API";
        document.Info.Description = "Publish, correct and retract articles. Every /api/articles call needs 'Authorization: Bearer <key>' with a key from Publishing:ApiKeys.";
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
            if (!path.StartsWith("/api/articles", StringComparison.Ordinal) || item.Operations is null) continue;
            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
            }
        }
        return Task.CompletedTask;
    }
}
