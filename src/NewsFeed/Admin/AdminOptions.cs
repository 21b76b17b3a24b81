using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Admin;

/// <summary>
/// The admin API's keys. They are bound from the "Publishing" section, where they have always been set
/// (<c>Publishing:ApiKeys</c>): the articles API was the first admin API, and a new name would lock every
/// existing deployment out.
/// </summary>
internal sealed class AdminOptions : IValidatableObject
{
    public const string Section = "Publishing";
    public const int MinKeyLength = 24;

    /// <summary>
    /// API keys accepted as <c>Authorization: Bearer</c> by every admin endpoint; empty disables the admin API.
    /// Set them in the environment (<c>Publishing__ApiKeys__0=…</c>) rather than in a file. Held in memory
    /// only as hashes.
    /// </summary>
    public List<string> ApiKeys { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ApiKeys[i]) || ApiKeys[i].Length < MinKeyLength)
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(ApiKeys)}:{i} must be at least {MinKeyLength} characters (generate one with `openssl rand -base64 32`).",
                    [nameof(ApiKeys)]);
            }
        }
    }
}
