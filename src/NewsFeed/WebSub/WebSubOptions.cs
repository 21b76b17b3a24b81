using System.ComponentModel.DataAnnotations;
using NewsFeed.Text;

namespace NewsFeed.WebSub;

/// <summary>The "WebSub" configuration section.</summary>
internal sealed class WebSubOptions : IValidatableObject, NewsFeed.Outbox.IOutboxHttpOptions
{
    public const string Section = "WebSub";

    /// <summary>Hubs every feed advertises (atom:link rel="hub", Link header, JSON Feed hubs).</summary>
    public string[] Hubs { get; set; } = [];

    /// <summary>Outbox messages sent at once per hub (each hub has its own dispatcher, so a slow hub holds up only its own pings).</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// Sends of one outbox message (a feed's topics at one hub) before it is given up; each send already retries
    /// within itself (<see cref="MaxRetries"/>). Messages are kept in the store, so they outlive restarts.
    /// </summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The wait after a failed send of an outbox message; it doubles with each failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan OutboxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two sends of one outbox message.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan OutboxMaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each hub's dispatcher looks for messages when nothing woke it (a write in this instance, or a notification from another, does).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

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
