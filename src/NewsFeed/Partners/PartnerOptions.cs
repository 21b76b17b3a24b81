using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Partners;

/// <summary>The "Partners" configuration section: the registry, the poller's schedule and the fetcher's limits.</summary>
internal sealed class PartnerOptions : IValidatableObject
{
    public const string Section = "Partners";

    /// <summary>
    /// The partner registry file; its partners are added to the store on first start (later changes go
    /// through the admin API). Relative to the content root; null or empty: no registry file.
    /// </summary>
    public string? RegistryPath { get; set; }

    /// <summary>Runs the background poller. Off, partners are polled only through "poll now".</summary>
    public bool PollingEnabled { get; set; } = true;

    /// <summary>How often the poller looks for partners that are due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Partners fetched at once; the others wait for a slot, so one slow partner never holds up the rest for long.</summary>
    [Range(1, 64)]
    public int MaxConcurrentPolls { get; set; } = 4;

    /// <summary>The poll interval of a partner that names none.</summary>
    public TimeSpan DefaultPollInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The shortest poll interval a partner may ask for, and the shortest delay a partner's Cache-Control can set.</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a partner's interval, Cache-Control max-age, Retry-After or failure backoff can push the next poll out.</summary>
    public TimeSpan MaxPollDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Each poll is moved by a random amount up to this share of its delay, so partners polled together drift apart.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.1;

    /// <summary>The budget for one poll: every attempt, retry delay and redirect, and reading the body.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>One attempt, until the response headers arrive.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries within one poll after a transient failure (5xx, 408, 429, network error, attempt timeout).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; doubles with each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest Retry-After honoured inside a poll; a longer one ends the poll and moves the next one past it.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The least wait before retrying a 429 or 503 inside a poll, whatever its Retry-After says (a date just past,
    /// 0, a value we cannot read). Above <see cref="MaxRetryAfter"/>, a 429 or 503 is not retried within the poll.
    /// </summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Circuit breaker per partner host: failure ratio that opens it.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: requests to a host within the sampling window before it may open (a poller sends few).</summary>
    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 4;

    /// <summary>Circuit breaker: the window over which failures are counted.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Circuit breaker: how long a host is left alone once it opens.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest decoded (decompressed) body read from a partner.</summary>
    [Range(1_024, 256 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The largest response header block, in KiB.</summary>
    [Range(1, 1024)]
    public int MaxResponseHeadersKilobytes { get; set; } = 32;

    /// <summary>Redirects followed in one poll.</summary>
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Allow partner addresses in loopback, private, link-local, CGNAT and similar ranges (tests, partners on the same network).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>
    /// Non-public ranges partners may reach while every other one stays refused (a wire service on the publisher's
    /// intranet), each <see cref="AllowedNetwork.Syntax"/>. Empty by default.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary><see cref="AllowedNetworks"/> as read (validation reports the entries that cannot be).</summary>
    internal IReadOnlyList<AllowedNetwork> Networks => _networks ??=
        [.. AllowedNetworks.Select(text => AllowedNetwork.TryParse(text, out var network, out _) ? network : (AllowedNetwork?)null).OfType<AllowedNetwork>()];

    private IReadOnlyList<AllowedNetwork>? _networks;

    /// <summary>Also show partner items in the section feed of their partner's section.</summary>
    public bool IncludeInSections { get; set; }

    /// <summary>
    /// How long a claimed poll is this instance's alone (instances sharing a store never poll one partner for the
    /// same due time). It must outlast a poll (<see cref="TotalTimeout"/>): the lease of an instance that was killed
    /// mid-poll expires after this, and another instance polls the partner then.
    /// </summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The item cap of a partner that names none.</summary>
    [Range(1, 10_000)]
    public int DefaultItemCap { get; set; } = 50;

    /// <summary>An item its partner no longer lists is removed this long after it was last seen.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var durations = new (string Name, TimeSpan Value, TimeSpan Min, TimeSpan Max)[]
        {
            (nameof(DefaultPollInterval), DefaultPollInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            (nameof(MinPollInterval), MinPollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1)),
            (nameof(MaxPollDelay), MaxPollDelay, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30)),
            (nameof(TotalTimeout), TotalTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            (nameof(AttemptTimeout), AttemptTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(5)),
            (nameof(RetryBaseDelay), RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5)),
            (nameof(MaxRetryAfter), MaxRetryAfter, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            (nameof(MinRetryDelay), MinRetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1)),
            (nameof(BreakerSamplingDuration), BreakerSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)),
            (nameof(BreakerBreakDuration), BreakerBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)),
            (nameof(Retention), Retention, TimeSpan.FromHours(1), TimeSpan.FromDays(3650)),
            (nameof(LeaseTime), LeaseTime, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
        };
        foreach (var (name, value, min, max) in durations)
        {
            if (value < min || value > max)
            {
                yield return new ValidationResult($"{Section}:{name} must be between {min:c} and {max:c}.", [name]);
            }
        }
        for (var i = 0; i < AllowedNetworks.Count; i++)
        {
            if (!AllowedNetwork.TryParse(AllowedNetworks[i], out _, out var error))
            {
                yield return new ValidationResult($"{Section}:{nameof(AllowedNetworks)}:{i} '{AllowedNetworks[i]}' {error}.", [nameof(AllowedNetworks)]);
            }
        }
        if (AttemptTimeout > TotalTimeout)
        {
            yield return new ValidationResult($"{Section}:{nameof(AttemptTimeout)} must not exceed {Section}:{nameof(TotalTimeout)}.", [nameof(AttemptTimeout)]);
        }
        if (LeaseTime <= TotalTimeout)
        {
            yield return new ValidationResult($"{Section}:{nameof(LeaseTime)} must be longer than {Section}:{nameof(TotalTimeout)}, or a poll could outlive its lease.", [nameof(LeaseTime)]);
        }
        if (MinPollInterval > MaxPollDelay)
        {
            yield return new ValidationResult($"{Section}:{nameof(MinPollInterval)} must not exceed {Section}:{nameof(MaxPollDelay)}.", [nameof(MinPollInterval)]);
        }
        if (DefaultPollInterval < MinPollInterval || DefaultPollInterval > MaxPollDelay)
        {
            yield return new ValidationResult($"{Section}:{nameof(DefaultPollInterval)} must be between {Section}:{nameof(MinPollInterval)} and {Section}:{nameof(MaxPollDelay)}.", [nameof(DefaultPollInterval)]);
        }
    }
}
