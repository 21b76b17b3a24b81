using System.ComponentModel.DataAnnotations;
using NewsFeed.Text;

namespace NewsFeed.WebSub;

/// <summary>The "WebSub" configuration section.</summary>
internal sealed class WebSubOptions : IValidatableObject
{
    public const string Section = "WebSub";

    /// <summary>Hubs every feed advertises (atom:link rel="hub", Link header, JSON Feed hubs).</summary>
    public string[] Hubs { get; set; } = [];

    /// <summary>Pings waiting to be sent, per hub; past this, new ones are dropped and logged (the hubs' subscribers still poll).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Pings in flight at once per hub (each hub has its own queue, so a slow hub holds up only its own pings).</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Retries of a failed ping (5xx, 408, 429, network errors), with exponential backoff and jitter, honouring Retry-After.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most one ping may take, retries included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TotalTimeout < AttemptTimeout)
        {
            yield return new ValidationResult($"{Section}:{nameof(TotalTimeout)} must not be shorter than {Section}:{nameof(AttemptTimeout)}.", [nameof(TotalTimeout)]);
        }
        for (var i = 0; i < Hubs.Length; i++)
        {
            if (!HttpUrl.IsAbsolute(Hubs[i]))
            {
                yield return new ValidationResult($"{Section}:{nameof(Hubs)}:{i} must be an absolute http or https URL.", [nameof(Hubs)]);
            }
        }
    }
}
