using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Embed;

/// <summary>The "Embed" configuration section: size of the headline lists partners embed.</summary>
internal sealed class EmbedOptions : IValidatableObject
{
    public const string Section = "Embed";

    /// <summary>Headlines in a list when the request has no ?limit=.</summary>
    [Range(1, 100)]
    public int DefaultLimit { get; set; } = 5;

    /// <summary>The largest ?limit= accepted; larger values get a 400. A widget is not a feed.</summary>
    [Range(1, 100)]
    public int MaxLimit { get; set; } = 20;

    /// <summary>Size limit of the cache of headline lists and their JSON and HTML renders.</summary>
    [Range(1, 1024)]
    public int CacheSizeMegabytes { get; set; } = 8;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultLimit > MaxLimit)
        {
            yield return new ValidationResult($"{Section}:{nameof(DefaultLimit)} must not exceed {Section}:{nameof(MaxLimit)}.", [nameof(DefaultLimit)]);
        }
    }
}
