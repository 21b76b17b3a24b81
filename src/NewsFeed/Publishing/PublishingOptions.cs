using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Publishing;

/// <summary>The "Publishing" configuration section.</summary>
public sealed class PublishingOptions : IValidatableObject
{
    public const string Section = "Publishing";
    public const int MinKeyLength = 24;

    /// <summary>
    /// API keys accepted as <c>Authorization: Bearer</c>; empty disables the admin API. Set them in the
    /// environment (<c>Publishing__ApiKeys__0=…</c>) rather than in a file. Held in memory only as hashes.
    /// </summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>The largest request body the admin API reads.</summary>
    [Range(1_024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ApiKeys[i]) || ApiKeys[i].Length < MinKeyLength)
            {
                yield return new ValidationResult(
                    $"Publishing:ApiKeys:{i} must be at least {MinKeyLength} characters (generate one with `openssl rand -base64 32`).",
                    [nameof(ApiKeys)]);
            }
        }
    }
}
