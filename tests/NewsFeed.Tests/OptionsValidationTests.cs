using System.Reflection;
using Microsoft.Extensions.Options;

namespace NewsFeed.Tests;

/// <summary>A bad setting stops start-up with a message that names it.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Feeds:DefaultLimit", "0", "DefaultLimit")]
    [InlineData("Feeds:DefaultLimit", "500", "DefaultLimit")]
    [InlineData("Feeds:MaxAge", "-00:01:00", "MaxAge")]
    [InlineData("Feeds:MaxFeedBytes", "4096", "MaxFeedBytes")]
    [InlineData("Feeds:MaxConcurrentRenders", "0", "MaxConcurrentRenders")]
    [InlineData("Feeds:RenderQueueTimeout", "00:10:00", "RenderQueueTimeout")]
    [InlineData("Feeds:MaxMemoryLoadPercent", "0", "MaxMemoryLoadPercent")]
    [InlineData("Site:PublicUrl", "not a url", "PublicUrl")]
    [InlineData("Site:Link", "/relative", "Link")]
    [InlineData("Site:Language", "english please", "Language")]
    [InlineData("WebSub:Hubs:0", "ftp://hub.example.com/", "WebSub:Hubs:0")]
    [InlineData("Edge:MaxAge", "1.00:00:00", "Edge:MaxAge needs at least one Edge:Purgers entry")]
    [InlineData("Edge:Purgers:0:Type", "Akamai", "Edge:Purgers:0:Type must be Varnish, Fastly or Cloudflare")]
    [InlineData("Edge:Purgers:0:Type", "Fastly", "Edge:Purgers:0:ServiceId is required for a Fastly purger")]
    [InlineData("Edge:Purgers:0:Type", "Varnish", "Edge:Purgers:0:Urls must list at least one Varnish address")]
    [InlineData("Edge:TagHeaders:0", "X-Tags", "Edge:TagHeaders:0 must be xkey, Surrogate-Key or Cache-Tag")]
    [InlineData("Embed:MaxLimit", "0", "MaxLimit")]
    [InlineData("Embed:DefaultLimit", "50", "Embed:DefaultLimit")]
    [InlineData("RateLimits:AdminPermitLimit", "0", "AdminPermitLimit")]
    [InlineData("RateLimits:FeedPollWindow", "00:00:00", "FeedPollWindow")]
    [InlineData("Partners:AllowedNetworks:0", "10.1.2.3/24", "Partners:AllowedNetworks:0 '10.1.2.3/24'")]
    [InlineData("Partners:AllowedNetworks:0", "10.1.2.0/24:http", "Partners:AllowedNetworks:0")]
    [InlineData("Partners:MinRetryDelay", "00:05:00", "MinRetryDelay")]
    [InlineData("Content:EmbedHosts:0", "https://www.youtube.com/embed/", "Content:EmbedHosts:0")]
    [InlineData("Kestrel:Limits:MaxRequestHeaderCount", "-3", "Kestrel:Limits:MaxRequestHeaderCount")]
    [InlineData("Kestrel:Limits:RequestHeadersTimeout", "soon", "Kestrel:Limits:RequestHeadersTimeout")]
    [InlineData("Instance:Id", "web 1", "Instance:Id")]
    [InlineData("Instance:Id", "", "Instance:Id")]
    [InlineData("Storage:Provider", "Postgres", "ConnectionStrings:NewsFeed is required when Storage:Provider is Postgres")]
    public async Task Start_BadSetting_FailsNamingIt(string key, string value, string named)
    {
        var database = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N") + ".db");
        // The real entry point, configured from the command line as an operator would. (WebApplicationFactory
        // races its own disposal when the host fails to start, so it cannot observe this reliably.)
        string[] args = [$"--{key}={value}", "--urls=http://127.0.0.1:0", $"--Storage:DatabasePath={database}", "--Articles:SeedDirectory="];
        var run = Task.Run(() => typeof(Program).Assembly.EntryPoint!.Invoke(null, [args]));

        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.Same(run, finished);
        var exception = await Assert.ThrowsAsync<TargetInvocationException>(() => run);
        var validation = Assert.IsType<OptionsValidationException>(exception.InnerException);
        Assert.Contains(named, validation.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(database), "start-up stopped before touching the store");
    }
}
