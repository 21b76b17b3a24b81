using System.Diagnostics.Metrics;
using NewsFeed.Instance;

namespace NewsFeed;

/// <summary>The name of the one meter every NewsFeed instrument is on ("NewsFeed"), for OpenTelemetry to listen to.</summary>
internal static class NewsFeedMeter
{
    public const string Name = "NewsFeed";

    /// <summary>The tag naming the instance on every measurement (OpenTelemetry's resource attribute of that name).</summary>
    public const string InstanceTag = "service.instance.id";

    /// <summary>
    /// The NewsFeed meter, tagged with this instance's id: a meter-level tag, so every instrument on it carries
    /// it without each measurement repeating it. The factory hands every feature the same meter.
    /// </summary>
    public static Meter Create(IMeterFactory meterFactory, InstanceIdentity instance) =>
        meterFactory.Create(new MeterOptions(Name) { Tags = [new(InstanceTag, instance.Id)] });
}
