using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Articles;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using NewsFeed.Tests.Partners;
using NewsFeed.Tests.Publishing;

namespace NewsFeed.Tests.Articles;

/// <summary>
/// The one HTML policy of our article bodies and partner items: players from Content:EmbedHosts kept and
/// sandboxed, video and audio with http(s) sources kept, forms removed, any other iframe left as a link.
/// </summary>
public sealed class ContentSanitizerTests
{
    private const string Base = "https://news.example.com/world/2026/11/24/story";
    private const string Sandbox = "sandbox=\"allow-scripts allow-same-origin allow-presentation allow-popups\"";

    private static string Clean(string html) => ContentSanitizer.Default.Sanitize(html, Base);

    [Theory]
    [InlineData("https://www.youtube.com/embed/dQw4w9WgXcQ?start=5")]
    [InlineData("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")]
    [InlineData("https://player.vimeo.com/video/76979871?h=8272103f6e")]
    public void Sanitize_PlayerFromAnEmbedHost_IsKeptSandboxedWithFullscreen(string src)
    {
        var html = Clean($"<p>Video:</p><iframe src=\"{src}\" width=\"560\" height=\"315\" allow=\"autoplay\" onload=\"x()\"></iframe>");

        Assert.StartsWith("<p>Video:</p><iframe ", html, StringComparison.Ordinal);
        Assert.Contains($"src=\"{src.Replace("&", "&amp;", StringComparison.Ordinal)}\"", html, StringComparison.Ordinal);
        Assert.Contains(Sandbox, html, StringComparison.Ordinal);
        Assert.Contains("allowfullscreen=\"\"", html, StringComparison.Ordinal);
        Assert.Contains("width=\"560\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onload", html, StringComparison.Ordinal);
        Assert.DoesNotContain("autoplay", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Sanitize_PlayerWithItsOwnSandboxSrcdocAndContent_GetsOursOnly()
    {
        var html = Clean("<iframe src=\"//www.youtube.com/embed/abc\" sandbox=\"allow-top-navigation allow-forms\" srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;script&gt;alert(2)&lt;/script&gt;</iframe>");

        Assert.Equal($"<iframe src=\"https://www.youtube.com/embed/abc\" {Sandbox} allowfullscreen=\"\"></iframe>", html);
    }

    [Theory]
    [InlineData("<iframe src=\"https://video.example.org/embed/991\"></iframe>", "https://video.example.org/embed/991")]
    [InlineData("<iframe src=\"http://www.youtube.com/embed/abc\"></iframe>", "http://www.youtube.com/embed/abc")]
    [InlineData("<iframe src=\"https://www.youtube.com/watch?v=abc\"></iframe>", "https://www.youtube.com/watch?v=abc")]
    [InlineData("<iframe src=\"https://www.youtube.com/embed/../redirect?q=x\"></iframe>", "https://www.youtube.com/redirect?q=x")]
    [InlineData("<iframe src=\"https://www.youtube.com.evil.example/embed/abc\"></iframe>", "https://www.youtube.com.evil.example/embed/abc")]
    [InlineData("<iframe src=\"https://www.youtube.com:8443/embed/abc\"></iframe>", "https://www.youtube.com:8443/embed/abc")]
    [InlineData("<iframe src=\"https://www.youtube.com@evil.example/embed/abc\"></iframe>", "https://www.youtube.com@evil.example/embed/abc")]
    [InlineData("<iframe src=\"/embed/local\"></iframe>", "https://news.example.com/embed/local")]
    public void Sanitize_IframeFromElsewhere_LeavesALinkToItsSource(string embed, string link)
    {
        var html = Clean("<p>Video:</p>" + embed);

        Assert.Equal($"<p>Video:</p><a href=\"{link.Replace("&", "&amp;", StringComparison.Ordinal)}\">{link.Replace("&", "&amp;", StringComparison.Ordinal)}</a>", html);
    }

    [Theory]
    [InlineData("<iframe src=\"javascript:alert(1)\"></iframe>")]
    [InlineData("<iframe src=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>")]
    [InlineData("<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>")]
    [InlineData("<video src=\"data:video/mp4;base64,AAAA\"></video>")]
    [InlineData("<audio><source src=\"javascript:alert(1)\"></audio>")]
    public void Sanitize_EmbedWithoutAnHttpSource_LeavesNothing(string embed) =>
        Assert.Equal("<p>Video:</p>", Clean("<p>Video:</p>" + embed));

    [Fact]
    public void Sanitize_VideoAndAudioWithHttpSources_AreKeptWithControls()
    {
        var html = Clean("<video src=\"/media/clip.mp4\" poster=\"javascript:alert(1)\" autoplay onplay=\"x()\" width=\"640\"></video>"
            + "<audio><source src=\"https://cdn.example.com/a.mp3\" type=\"audio/mpeg\"><source src=\"javascript:alert(1)\"></audio>");

        Assert.Equal("<video src=\"https://news.example.com/media/clip.mp4\" width=\"640\" controls=\"\"></video>"
            + "<audio controls=\"\"><source src=\"https://cdn.example.com/a.mp3\" type=\"audio/mpeg\"></audio>", html);
    }

    [Theory]
    [InlineData("<form action=\"https://evil.example/steal\"><input name=\"password\"><button>Send</button></form>")]
    [InlineData("<input type=\"text\" value=\"x\">")]
    [InlineData("<button formaction=\"https://evil.example/\">Send</button>")]
    [InlineData("<select><option>a</option></select><textarea>t</textarea>")]
    [InlineData("<fieldset><legend>L</legend><label>l</label></fieldset>")]
    public void Sanitize_FormsAndTheirControls_AreRemoved(string form)
    {
        var html = Clean("<p>ok</p>" + form);

        Assert.Equal("<p>ok</p>", html);
    }

    [Fact]
    public void Parse_PartnerItemWithAPlayerAndAForm_GoesThroughTheSamePolicy()
    {
        var feed = PartnerFeedParser.Parse("""
            <rss version="2.0"><channel><title>P</title><item><title>T</title><guid>g</guid>
            <description><![CDATA[<p>Video:</p><iframe src="https://player.vimeo.com/video/1"></iframe><form><input name="q"><button>Go</button></form>]]></description>
            </item></channel></rss>
            """u8.ToArray(), null, new Uri("https://partner.example.org/feed"), new PartnerParserLimits());

        Assert.Equal($"<p>Video:</p><iframe src=\"https://player.vimeo.com/video/1\" {Sandbox} allowfullscreen=\"\"></iframe>", feed.Items[0].ContentHtml);
    }

    [Theory]
    [InlineData("www.youtube.com/embed/", true)]
    [InlineData("player.vimeo.com", true)]
    [InlineData("https://www.youtube.com/embed/", false)]
    [InlineData("www.youtube.com:8443/embed/", false)]
    [InlineData("www.youtube.com/embed/?x=1", false)]
    [InlineData("localhost/embed/", false)]
    [InlineData("", false)]
    public void EmbedHosts_Entry_IsAHostAndAPathPrefix(string entry, bool valid) =>
        Assert.Equal(valid, ContentOptions.PrefixOf(entry) is not null);

    [Fact]
    public async Task EmbedHosts_Configured_ReplaceTheDefaultsForOurArticles()
    {
        using var app = new NewsFeedApp { Settings = new() { ["Content:EmbedHosts:0"] = "video.example.org/embed/" } };
        using var admin = app.CreateAdminClient();
        var article = ArticlesApiTests.NewArticle();
        article["body"] = "<p>Ours:</p><iframe src=\"https://video.example.org/embed/7\"></iframe><p>Theirs:</p><iframe src=\"https://www.youtube.com/embed/abc\"></iframe>";

        using var created = await admin.PostAsJsonAsync("/api/articles", article);
        created.EnsureSuccessStatusCode();
        var body = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["body"]!;

        Assert.Equal($"<p>Ours:</p><iframe src=\"https://video.example.org/embed/7\" {Sandbox} allowfullscreen=\"\"></iframe>"
            + "<p>Theirs:</p><a href=\"https://www.youtube.com/embed/abc\">https://www.youtube.com/embed/abc</a>", body);
        var feed = JsonNode.Parse(await admin.GetStringAsync("/feeds/latest.json"))!;
        Assert.Contains(feed["items"]!.AsArray(), item => (string?)item!["content_html"] == body);
    }

    [Fact]
    public void EmbedHosts_SetEmpty_KeepsNoPlayer()
    {
        // What "EmbedHosts": [] in appsettings.json, or Content__EmbedHosts= in the environment, gives.
        using var app = new NewsFeedApp { Settings = new() { ["Content:EmbedHosts"] = "" } };

        var html = app.Services.GetRequiredService<ContentSanitizer>().Sanitize("<iframe src=\"https://www.youtube.com/embed/abc\"></iframe>", Base);

        Assert.Equal("<a href=\"https://www.youtube.com/embed/abc\">https://www.youtube.com/embed/abc</a>", html);
    }

    [Fact]
    public async Task EmbedHosts_Configured_ReachThePartnerPoller()
    {
        using var harness = PartnerHarness.With(new() { ["Content:EmbedHosts:0"] = "video.example.org/embed/" });
        harness.ServeFeed("/metro.json", PartnerHarness.Fixture("metro-daily.json"), "application/feed+json");
        await harness.AddPartnerAsync("metro", "/metro.json");

        await harness.Poller.PollAsync("metro", CancellationToken.None);

        var items = await harness.Store.GetNewestAsync("metro", null, 10, CancellationToken.None);
        Assert.Contains(items, i => i.Item.ContentHtml!.EndsWith($"<iframe src=\"https://video.example.org/embed/991\" {Sandbox} allowfullscreen=\"\"></iframe>", StringComparison.Ordinal));
    }
}
