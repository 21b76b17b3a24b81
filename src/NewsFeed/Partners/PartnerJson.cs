using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsFeed.Partners;

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    WriteIndented = true)]
[JsonSerializable(typeof(Partner))]
[JsonSerializable(typeof(PartnerState))]
[JsonSerializable(typeof(PartnerRegistryFile))]
[JsonSerializable(typeof(StoredPartnerItem))]
[JsonSerializable(typeof(PartnerStatus))]
[JsonSerializable(typeof(List<PartnerStatus>))]
internal sealed partial class PartnerJson : JsonSerializerContext;

/// <summary>The shape of <c>feeds/partners.json</c>.</summary>
internal sealed record PartnerRegistryFile(IReadOnlyList<Partner> Partners);
