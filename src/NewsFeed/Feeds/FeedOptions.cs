using System.ComponentModel.DataAnnotations;
using NewsFeed.Articles;

namespace NewsFeed.Feeds;

/// <summary>The "Site" configuration section: who publishes, and where this server is reached.</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    [Required, StringLength(200)]
    public string Title { get; set; } = "The Meridian Ledger";

    [Required, StringLength(1000)]
    public string Description { get; set; } = "Independent reporting from The Meridian Ledger.";

    /// <summary>The publisher's website (RSS channel link, Atom alternate, JSON Feed home_page_url).</summary>
    [Required, AbsoluteUrl]
    public string Link { get; set; } = "https://news.example.com/";

    /// <summary>
    /// The public base URL of this server, as subscribers reach it (behind a CDN: the CDN's).
    /// Every self, paging and stylesheet link is built from it, never from the request's Host header,
    /// so a forged Host can never end up in a cached feed.
    /// </summary>
    [Required, AbsoluteUrl]
    public string PublicUrl { get; set; } = "http://localhost:5080/";

    [Required, RegularExpression("^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")]
    public string Language { get; set; } = "en";

    [StringLength(500)]
    public string? Copyright { get; set; } = "Copyright 2026 The Meridian Ledger. All rights reserved.";

    /// <summary>Channel image (RSS) and logo (Atom): GIF, JPEG or PNG.</summary>
    [AbsoluteUrl]
    public string? LogoUrl { get; set; } = "https://news.example.com/media/logo.png";

    /// <summary>Small square icon (Atom icon, JSON Feed favicon).</summary>
    [AbsoluteUrl]
    public string? IconUrl { get; set; } = "https://news.example.com/media/icon.png";

    /// <summary><see cref="PublicUrl"/> with exactly one trailing slash, so paths can be appended.</summary>
    internal string BaseUrl => PublicUrl.TrimEnd('/') + "/";
}

/// <summary>The "Feeds" configuration section: size of feeds and their HTTP caching.</summary>
public sealed class FeedOptions : IValidatableObject
{
    public const string Section = "Feeds";

    /// <summary>Items in a feed when the request has no ?limit=.</summary>
    [Range(1, 1000)]
    public int DefaultLimit { get; set; } = 20;

    /// <summary>The largest ?limit= accepted; larger values get a 400.</summary>
    [Range(1, 1000)]
    public int MaxLimit { get; set; } = 100;

    /// <summary>The largest ?page= accepted (paging costs O(page × limit)).</summary>
    [Range(1, 100_000)]
    public int MaxPage { get; set; } = 1000;

    /// <summary>RSS &lt;ttl&gt;: how long a reader may wait between polls.</summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Cache-Control max-age on feeds.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Cache-Control stale-while-revalidate (RFC 5861).</summary>
    public TimeSpan StaleWhileRevalidate { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cache-Control stale-if-error (RFC 5861).</summary>
    public TimeSpan StaleIfError { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Size limit of the rendered-feed cache (identity and compressed bytes together).</summary>
    [Range(1, 16_384)]
    public int CacheSizeMegabytes { get; set; } = 64;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultLimit > MaxLimit)
        {
            yield return new ValidationResult($"{Section}:{nameof(DefaultLimit)} must not exceed {Section}:{nameof(MaxLimit)}.", [nameof(DefaultLimit)]);
        }
        foreach (var (name, value) in new[] { (nameof(TimeToLive), TimeToLive), (nameof(MaxAge), MaxAge), (nameof(StaleWhileRevalidate), StaleWhileRevalidate), (nameof(StaleIfError), StaleIfError) })
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromDays(365))
            {
                yield return new ValidationResult($"{Section}:{name} must be between 00:00:00 and 365.00:00:00.", [name]);
            }
        }
    }
}

/// <summary>The "WebSub" configuration section.</summary>
public sealed class WebSubOptions : IValidatableObject
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
            if (!ArticleRules.IsAbsoluteHttpUrl(Hubs[i]))
            {
                yield return new ValidationResult($"{Section}:{nameof(Hubs)}:{i} must be an absolute http or https URL.", [nameof(Hubs)]);
            }
        }
    }
}

/// <summary>An optional absolute http(s) URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AbsoluteUrlAttribute : ValidationAttribute
{
    public AbsoluteUrlAttribute() : base("{0} must be an absolute http or https URL.")
    {
    }

    public override bool IsValid(object? value) => value is null || ArticleRules.IsAbsoluteHttpUrl(value as string);
}
