using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsFeed.Partners;

namespace NewsFeed.Tests.Partners;

/// <summary>The background loop ticks on the app's clock and stops cleanly; the registry file seeds partners once.</summary>
public sealed class PartnerPollingServiceTests
{
    [Fact]
    public async Task Loop_TicksOnTheAppClock_PollsDuePartners()
    {
        using var harness = PartnerHarness.With(new() { ["Partners:PollingEnabled"] = "true", ["Partners:TickInterval"] = "00:01:00" });
        harness.ServeFeed("/ticked.rss", PartnerHarness.Fixture("harbor-gazette.rss"));
        await harness.AddPartnerAsync("ticked", "/ticked.rss");

        harness.App.Time.Advance(TimeSpan.FromMinutes(1));

        var watch = Stopwatch.StartNew();
        while ((await harness.StatusAsync("ticked")).State.LastSuccess is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the tick polled the due partner");
            await Task.Delay(20);
        }
        Assert.Equal(3, (await harness.StatusAsync("ticked")).ItemCount);
    }

    [Fact]
    public async Task Shutdown_WithPollStalling_StopsPromptlyAndRecordsNoFailure()
    {
        await using var server = new RawHttpServer(async (stream, stop) =>
        {
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"), stop);
            await Task.Delay(Timeout.Infinite, stop);
        });
        var harness = PartnerHarness.With(new()
        {
            ["Partners:PollingEnabled"] = "true",
            ["Partners:TickInterval"] = "00:01:00",
            ["Partners:TotalTimeout"] = "00:00:30",
        });
        await harness.Store.AddAsync(new Partner { Id = "stuck", Name = "Stuck", Url = server.Url + "/feed.rss" }, harness.App.Time.GetUtcNow(), CancellationToken.None);
        harness.App.Time.Advance(TimeSpan.FromMinutes(1));
        var wait = Stopwatch.StartNew();
        while (server.Requests == 0)
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(10), "the poll started");
            await Task.Delay(20);
        }

        var watch = Stopwatch.StartNew();
        // What the host does at shutdown: stop the hosted service (its token is cancelled; it waits for its polls).
        var service = harness.App.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<PartnerPollingService>().Single();
        await service.StopAsync(CancellationToken.None);
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stopped in {watch.Elapsed}, not at the 30 s poll deadline");
        Assert.Equal(0, (await harness.StatusAsync("stuck")).State.ConsecutiveFailures);
        harness.Dispose();
    }

    [Fact]
    public async Task Registry_DefaultFile_AddsItsPartnersOnceAndDisabled()
    {
        using var app = new NewsFeedApp { Settings = new() { ["Partners:RegistryPath"] = Path.Combine(RepoPaths.Root, "feeds", "partners.json") } };
        using var client = app.CreateClient();
        var store = app.Services.GetRequiredService<IPartnerStore>();

        var partners = await store.ListAsync(CancellationToken.None);

        Assert.True(partners.Count >= 2);
        Assert.All(partners, p => Assert.False(p.Partner.Enabled, "a fresh start without network polls nothing"));
        Assert.Empty(await store.ClaimDueAsync("test", app.Time.GetUtcNow().AddDays(1), TimeSpan.FromMinutes(1), 100, CancellationToken.None));
        var options = app.Services.GetRequiredService<IOptions<PartnerOptions>>().Value;
        Assert.All(partners, p => Assert.Empty(PartnerRules.Validate(p.Partner, options)));

        await store.RemoveAsync(partners[0].Partner.Id, app.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(0, await store.SeedOnceAsync(partners.Select(p => p.Partner), app.Time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(partners.Count - 1, (await store.ListAsync(CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("Partners:TotalTimeout", "00:00:00", "TotalTimeout")]
    [InlineData("Partners:AttemptTimeout", "00:05:00", "AttemptTimeout")]
    [InlineData("Partners:MaxConcurrentPolls", "0", "MaxConcurrentPolls")]
    [InlineData("Partners:Jitter", "2", "Jitter")]
    [InlineData("Partners:MinPollInterval", "2.00:00:00", "MinPollInterval")]
    public async Task Start_BadPartnerSetting_FailsNamingIt(string key, string value, string named)
    {
        var database = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N") + ".db");
        string[] args = [$"--{key}={value}", "--urls=http://127.0.0.1:0", $"--Storage:DatabasePath={database}", "--Articles:SeedDirectory=", "--Partners:RegistryPath="];
        var run = Task.Run(() => typeof(Program).Assembly.EntryPoint!.Invoke(null, [args]));

        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.Same(run, finished);
        var exception = await Assert.ThrowsAsync<TargetInvocationException>(() => run);
        var validation = Assert.IsType<OptionsValidationException>(exception.InnerException);
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
    }
}
