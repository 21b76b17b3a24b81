using System.Text.Json;
using System.Text.Json.Serialization;
using NewsFeed.Articles;

namespace NewsFeed.Publishing;

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    // A misspelt field is an error the client should hear about, not a silently dropped value.
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    MaxDepth = 16)]
[JsonSerializable(typeof(ArticleInput))]
[JsonSerializable(typeof(Article))]
[JsonSerializable(typeof(ArticleList))]
internal sealed partial class PublishingJson : JsonSerializerContext;

/// <summary>A page of the admin article list.</summary>
internal sealed record ArticleList(IReadOnlyList<Article> Articles, int Page, int Limit, string? Next);
