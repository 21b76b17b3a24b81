using System.Net;
using System.Net.Http.Headers;

namespace NewsFeed.Tests.Telemetry;

/// <summary>/metrics: absent by default, admin key by default when enabled, and the NewsFeed instruments in it with their tags.</summary>
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Metrics_ByDefault_NotServed()
    {
        using var app = new NewsFeedApp();
        using var admin = app.CreateAdminClient();

        using var response = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_Enabled_NeedsTheAdminKeyAndShowsNewsFeedInstrumentsWithTags()
    {
        using var app = new NewsFeedApp { Settings = { ["Telemetry:PrometheusEnabled"] = "true", ["Partners:PollingEnabled"] = "false", ["Instance:Id"] = "scrape-test" } };
        using var client = app.CreateClient();
        using var first = await client.GetAsync("/feeds/latest.rss");
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/feeds/latest.rss");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var anonymous = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var admin = app.CreateAdminClient();
        admin.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        var text = await admin.GetStringAsync("/metrics");
        // OpenTelemetry listens to every meter named NewsFeed in the process (other tests' apps too): this app's series are the ones with its instance id.
        const string Scope = @"otel_scope_name=""NewsFeed"",otel_scope_service_instance_id=""scrape-test""";

        Assert.Contains("newsfeed_feed_renders_total{" + Scope + @",format=""rss"",kind=""latest""} 1", text, StringComparison.Ordinal);
        Assert.Contains("newsfeed_feed_render_duration_milliseconds_bucket{" + Scope + @",format=""rss"",kind=""latest"",le=", text, StringComparison.Ordinal);
        Assert.Contains("newsfeed_feed_cache_misses_total{" + Scope + "} 1", text, StringComparison.Ordinal);
        Assert.Contains("newsfeed_feed_cache_hits_total{" + Scope + "} 1", text, StringComparison.Ordinal);
        Assert.Contains("newsfeed_feed_not_modified_total{" + Scope + "} 1", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
    }
}
