using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NewsFeed.Edge;
using NewsFeed.Feeds;
using NewsFeed.Instance;
using NewsFeed.Partners;
using NewsFeed.Publishing;
using NewsFeed.WebSub;

namespace NewsFeed.Tests.Instance;

/// <summary><c>Instance:Id</c>: its default, and its place on every console log line and every NewsFeed metric.</summary>
public sealed class InstanceIdentityTests
{
    [Fact]
    public void DefaultId_IsHostNameAndProcessId()
    {
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", new InstanceOptions().Id);
    }

    [Theory]
    [InlineData("web 1", 42, "web-1-42")]
    [InlineData("", 7, "newsfeed-7")]
    [InlineData("héte", 7, "h-te-7")]
    public void HostAndProcess_KeepsTheIdsAlphabet(string host, int process, string expected) =>
        Assert.Equal(expected, InstanceIdentity.HostAndProcess(host, process));

    [Fact]
    public void HostAndProcess_LongHostName_IsCutToFit64Characters()
    {
        var id = InstanceIdentity.HostAndProcess(new string('h', 100), 123456);

        Assert.Equal(64, id.Length);
        Assert.EndsWith("h-123456", id, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleLine_SimpleFormatChosenByName_CarriesTheIdAndKeepsTheSimpleOptions()
    {
        // What the reliability suite sets: the simple formatter by name, on one line, with a timestamp.
        using var app = new NewsFeedApp
        {
            Settings =
            {
                ["Instance:Id"] = "web-7",
                ["Logging:Console:FormatterName"] = "simple",
                ["Logging:Console:FormatterOptions:SingleLine"] = "true",
                ["Logging:Console:FormatterOptions:TimestampFormat"] = "'stamp' ",
                ["Logging:Console:FormatterOptions:ColorBehavior"] = "Disabled",
            },
        };

        var line = WriteThroughConsoleFormatter(app, LogLevel.Warning, "NewsFeed.WebSub.WebSubClient", "hub down", null);

        Assert.Equal("stamp warn: [web-7] NewsFeed.WebSub.WebSubClient[3] hub down" + Environment.NewLine, line);
    }

    [Fact]
    public void ConsoleLine_NoFormatterNamed_CarriesTheIdInTheSimpleLayout()
    {
        using var app = new NewsFeedApp { Settings = { ["Instance:Id"] = "web-8", ["Logging:Console:FormatterOptions:ColorBehavior"] = "Disabled" } };

        var text = WriteThroughConsoleFormatter(app, LogLevel.Error, "NewsFeed.Test", "it broke", new InvalidOperationException("because"));

        var lines = text.Split(Environment.NewLine);
        Assert.Equal("fail: [web-8] NewsFeed.Test[3]", lines[0]);
        Assert.Equal("      it broke", lines[1]);
        Assert.Equal("System.InvalidOperationException: because", lines[2].Trim());
    }

    [Fact]
    public void ConsoleFormatter_JsonChosenByName_IsKept()
    {
        using var app = new NewsFeedApp { Settings = { ["Logging:Console:FormatterName"] = "json" } };

        Assert.Equal("json", app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Fact]
    public async Task Measurement_OnTheNewsFeedMeter_CarriesTheInstanceTag()
    {
        using var app = new NewsFeedApp { Settings = { ["Instance:Id"] = "web-9" } };
        using var client = app.CreateClient();
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        var seen = new List<(string Instrument, KeyValuePair<string, object?>[] MeterTags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Meter.Name == NewsFeedMeter.Name) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) =>
        {
            lock (seen) seen.Add((instrument.Name, [.. instrument.Meter.Tags ?? []]));
        });
        listener.Start();

        using var response = await client.GetAsync("/feeds/latest.rss");

        lock (seen)
        {
            Assert.Contains(seen, m => m.Instrument == "newsfeed.feed.renders");
            Assert.All(seen, m => Assert.Contains(new KeyValuePair<string, object?>("service.instance.id", "web-9"), m.MeterTags));
        }
    }

    [Fact]
    public void EveryNewsFeedInstrument_IsOnTheTaggedMeter()
    {
        using var app = new NewsFeedApp { Settings = { ["Instance:Id"] = "web-10" } };
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Meter.Name == NewsFeedMeter.Name) instruments.Add(instrument);
            },
        };
        listener.Start(); // sees instruments already made too

        _ = app.Services.GetRequiredService<FeedMetrics>();
        _ = app.Services.GetRequiredService<PartnerMetrics>();
        _ = app.Services.GetRequiredService<PublishingMetrics>();
        _ = app.Services.GetRequiredService<WebSubMetrics>();
        _ = app.Services.GetRequiredService<EdgeMetrics>();
        _ = app.Services.GetRequiredService<NewsFeed.Readers.ReaderMetrics>();

        Assert.Equal(17, instruments.Count);
        Assert.All(instruments, instrument =>
            Assert.Contains(new KeyValuePair<string, object?>("service.instance.id", "web-10"), instrument.Meter.Tags ?? []));
    }

    /// <summary>One entry through the console formatter the app's console logger is configured to use.</summary>
    private static string WriteThroughConsoleFormatter(NewsFeedApp app, LogLevel level, string category, string message, Exception? exception)
    {
        var name = app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName;
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        using var output = new StringWriter();
        formatter.Write(new LogEntry<string>(level, category, new EventId(3), message, exception, (state, _) => state), null, output);
        return output.ToString();
    }
}
