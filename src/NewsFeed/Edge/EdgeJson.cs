using System.Text.Json.Serialization;

namespace NewsFeed.Edge;

/// <summary>The body of Cloudflare's purge by tags.</summary>
internal sealed record CloudflarePurge([property: JsonPropertyName("tags")] string[] Tags);

/// <summary>What Cloudflare's API answers: only whether it succeeded matters here.</summary>
internal sealed record CloudflareAnswer([property: JsonPropertyName("success")] bool Success);

[JsonSerializable(typeof(CloudflarePurge))]
[JsonSerializable(typeof(CloudflareAnswer))]
internal sealed partial class EdgeJson : JsonSerializerContext;
