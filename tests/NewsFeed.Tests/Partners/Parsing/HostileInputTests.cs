using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Documents built to hurt the parser: no file read, no network call, bounded time and size.</summary>
public sealed class HostileInputTests : IDisposable
{
    // Generous: the point is "bounded", not "fast" (a billion-laughs expansion would take minutes or exhaust memory).
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);
    private readonly string _secretFile = Path.Combine(Path.GetTempPath(), $"newsfeed-xxe-{Guid.NewGuid():N}.txt");
    private readonly string _marker = "SECRET-" + Guid.NewGuid().ToString("N");
    // A port we own and never accept on: any connection the parser tried would be Pending().
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public HostileInputTests()
    {
        File.WriteAllText(_secretFile, _marker);
        _listener.Start();
    }

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Dispose();
        File.Delete(_secretFile);
    }

    private static (PartnerFeed? Feed, PartnerFeedException? Error, TimeSpan Elapsed) Timed(string document)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            return (Parse(document), null, clock.Elapsed);
        }
        catch (PartnerFeedException e)
        {
            return (null, e, clock.Elapsed);
        }
    }

    private static string AllText(PartnerFeed feed) =>
        string.Join("\n", feed.Items.SelectMany(i => new[] { i.Title, i.SummaryText, i.ContentHtml, i.Url }).Append(feed.Title));

    [Fact]
    public void Parse_ExternalEntityToFile_IsNeverRead()
    {
        var feed = Parse($"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file://{_secretFile}"> ]>
            <rss version="2.0"><channel><title>&xxe;</title>
            <item><title>Leak: &xxe;</title><description>&xxe;</description></item></channel></rss>
            """);

        Assert.DoesNotContain(_marker, AllText(feed), StringComparison.Ordinal);
        Assert.Equal("Leak: &xxe;", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void Parse_ExternalEntityToHttp_MakesNoConnection()
    {
        var (feed, _, elapsed) = Timed($"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY remote SYSTEM "http://127.0.0.1:{Port}/secret"> ]>
            <rss version="2.0"><channel><item><title>x &remote;</title></item></channel></rss>
            """);

        Assert.NotNull(feed);
        Assert.True(elapsed < Quick, $"took {elapsed}");
        Assert.False(_listener.Pending(), "the parser connected to the entity's URL");
    }

    [Fact]
    public void Parse_ExternalDtd_IsNeverFetched()
    {
        var (feed, _, elapsed) = Timed($"""
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "http://127.0.0.1:{Port}/evil.dtd">
            <rss version="2.0"><channel><item><title>x &fromdtd;</title></item></channel></rss>
            """);

        Assert.Equal("x &fromdtd;", Assert.Single(feed!.Items).Title);
        Assert.True(elapsed < Quick, $"took {elapsed}");
        Assert.False(_listener.Pending(), "the parser fetched the external DTD");
    }

    [Fact]
    public void Parse_ParameterEntities_AreNeverExpandedOrFetched()
    {
        var (feed, _, elapsed) = Timed($"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [
              <!ENTITY % remote SYSTEM "http://127.0.0.1:{Port}/p.dtd">
              <!ENTITY % file SYSTEM "file://{_secretFile}">
              <!ENTITY % wrap "<!ENTITY send SYSTEM 'http://127.0.0.1:{Port}/?%file;'>">
              %remote; %wrap;
              <!-- a ']>' inside a comment does not end the subset -->
            ]>
            <rss version="2.0"><channel><item><title>p &send;</title></item></channel></rss>
            """);

        Assert.Equal("p &send;", Assert.Single(feed!.Items).Title);
        Assert.DoesNotContain(_marker, AllText(feed), StringComparison.Ordinal);
        Assert.True(elapsed < Quick, $"took {elapsed}");
        Assert.False(_listener.Pending());
    }

    [Fact]
    public void Parse_BillionLaughs_ReturnsQuicklyWithoutExpansion()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++) entities.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");

        var (feed, _, elapsed) = Timed($"<!DOCTYPE rss [{entities}]><rss version=\"2.0\"><channel><item><title>&lol9;</title></item></channel></rss>");

        Assert.True(elapsed < Quick, $"took {elapsed}");
        Assert.Equal("&lol9;", Assert.Single(feed!.Items).Title);
    }

    [Fact]
    public void Parse_QuadraticBlowup_ReturnsQuicklyWithoutExpansion()
    {
        var big = new string('a', 50_000);
        var refs = string.Concat(Enumerable.Repeat("&a;", 20_000));

        var (feed, _, elapsed) = Timed($"<!DOCTYPE rss [<!ENTITY a \"{big}\">]><rss version=\"2.0\"><channel><item><title>{refs}</title><link>https://p.example/q</link></item></channel></rss>");

        Assert.True(elapsed < Quick, $"took {elapsed}");
        var item = Assert.Single(feed!.Items);
        Assert.DoesNotContain("aaaa", item.Title, StringComparison.Ordinal);
        Assert.True(item.Title.Length <= 300);
    }

    [Fact]
    public void SafeReader_DoctypeThatReachesIt_IsRefusedNotProcessed()
    {
        // Defence in depth: even if the repair pass missed a DOCTYPE, the reader will not process it.
        using var reader = SafeXml.CreateReader($"<!DOCTYPE r [<!ENTITY x SYSTEM \"file://{_secretFile}\">]><r>&x;</r>");

        Assert.Throws<XmlException>(() => { while (reader.Read()) { } });
    }

    [Fact]
    public void Parse_DeeplyNestedJson_RejectedQuickly()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100_000));
        var (feed, error, elapsed) = Timed($$"""{"version":"https://jsonfeed.org/version/1.1","items":[{{deep}}""");

        Assert.Null(feed);
        Assert.Contains("depth", error!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(elapsed < Quick, $"took {elapsed}");
    }

    [Fact]
    public void Parse_DeeplyNestedXml_IsMalformedAndReturnsQuickly()
    {
        var deep = string.Concat(Enumerable.Repeat("<div>", 50_000)) + "deep" + string.Concat(Enumerable.Repeat("</div>", 50_000));

        var (feed, _, elapsed) = Timed(Rss("<title>a</title>", $"<title>b</title><description>{deep}</description>"));

        Assert.Equal("a", Assert.Single(feed!.Items).Title);
        Assert.Contains(feed.Warnings, w => w.Contains("nest more than 100 levels", StringComparison.Ordinal));
        Assert.True(elapsed < Quick, $"took {elapsed}");
    }

    [Fact]
    public void Parse_DeeplyNestedHtml_SanitizedQuicklyWithItsText()
    {
        var deep = string.Concat(Enumerable.Repeat("<div><b>", 10_000)) + "deep";

        var (feed, _, elapsed) = Timed(Rss($"<title>b</title><content:encoded><![CDATA[{deep}]]></content:encoded>"));

        var item = Assert.Single(feed!.Items);
        Assert.Contains("deep", item.ContentHtml, StringComparison.Ordinal);
        Assert.True(elapsed < Quick, $"took {elapsed}");
    }

    [Fact]
    public void Parse_TenThousandItems_CappedAtMaxItems()
    {
        var items = Enumerable.Range(1, 10_000).Select(i => $"<title>Story {i}</title><guid>id-{i}</guid>").ToArray();

        var (feed, _, elapsed) = Timed(Rss(items));

        Assert.Equal(200, feed!.Items.Count);
        Assert.Equal("id-200", feed.Items[^1].Key);
        Assert.Contains(feed.Warnings, w => w.Contains("more than 200 items", StringComparison.Ordinal));
        Assert.True(elapsed < Quick, $"took {elapsed}");
    }

    [Fact]
    public void Parse_TenThousandJsonItems_CappedAtMaxItems()
    {
        var items = string.Join(",", Enumerable.Range(1, 10_000).Select(i => $$"""{"id":"{{i}}","title":"t{{i}}"}"""));

        var feed = Parse($$"""{"version":"https://jsonfeed.org/version/1.1","items":[{{items}}]}""", limits: new PartnerParserLimits { MaxItems = 50 });

        Assert.Equal(50, feed.Items.Count);
    }

    [Fact]
    public void Parse_OneMegabyteTitle_CappedToMaxTitleLength()
    {
        var (feed, _, elapsed) = Timed(Rss($"<title>{new string('x', 1_048_576)}</title>"));

        Assert.Equal(new string('x', 300), Assert.Single(feed!.Items).Title);
        Assert.True(elapsed < Quick, $"took {elapsed}");
    }

    [Fact]
    public void Parse_CapInsideSurrogatePair_DoesNotSplitIt()
    {
        var limits = new PartnerParserLimits { MaxTitleLength = 10, MaxSummaryLength = 5 };

        var feed = Parse(Rss($"<title>{new string('a', 9)}\U0001F600bbb</title><description>abcd\U0001F600</description>"), limits: limits);

        var item = Assert.Single(feed.Items);
        Assert.Equal(new string('a', 9), item.Title);
        Assert.Equal("abcd", item.SummaryText);
        Assert.All(feed.Items, i => Assert.False(char.IsHighSurrogate(i.Title[^1])));
    }

    [Fact]
    public void Parse_HugeContentAndManyCategories_Capped()
    {
        var limits = new PartnerParserLimits { MaxContentLength = 1_000, MaxCategories = 3 };
        var html = string.Concat(Enumerable.Repeat("<p>Paragraph &amp; <a href=\"/x\">link</a></p>", 5_000));
        var categories = string.Concat(Enumerable.Range(1, 50).Select(i => $"<category>c{i}</category>"));

        var feed = Parse(Rss($"<title>t</title><content:encoded><![CDATA[{html}]]></content:encoded>{categories}"), limits: limits);

        var item = Assert.Single(feed.Items);
        Assert.InRange(item.ContentHtml!.Length, 500, 1_000);
        Assert.EndsWith("</p>", item.ContentHtml, StringComparison.Ordinal);
        Assert.Equal(["c1", "c2", "c3"], item.Categories);
    }

    [Fact]
    public void Parse_ContentThatGrowsWhenEscaped_StillFitsTheCap()
    {
        var limits = new PartnerParserLimits { MaxContentLength = 1_000 };

        var item = Assert.Single(Parse(Rss($"<title>t</title><content:encoded><![CDATA[{new string('&', 5_000)}]]></content:encoded>"), limits: limits).Items);

        Assert.InRange(item.ContentHtml!.Length, 900, 1_000);
        Assert.StartsWith("&amp;&amp;", item.ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UrlLongerThanTheCap_IsDroppedNotCut()
    {
        var feed = Parse(Rss($"<title>t</title><link>https://p.example/{new string('a', 3_000)}</link>"));

        Assert.Null(Assert.Single(feed.Items).Url);
    }
}
