using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Documents that are not feeds are refused with a reason the partner's health can show.</summary>
public class NotAFeedTests
{
    [Theory]
    [InlineData("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Home</title></head><body><p>Welcome</body></html>")]
    [InlineData("\n  <html><body>Moved</body></html>")]
    [InlineData("<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>x</title></head><body/></html>")]
    public void Parse_HtmlPage_IsNotAFeed(string page)
    {
        var error = Rejects(page);

        Assert.Equal("Not a feed: the document is an HTML page.", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\t ")]
    [InlineData("\uFEFF")]
    public void Parse_EmptyBody_IsNotAFeed(string body)
    {
        Assert.Equal("Not a feed: the document is empty.", Rejects(body).Message);
    }

    [Theory]
    [InlineData("""{"status":"ok","items":[{"id":1}]}""")]
    [InlineData("""{"version":"2.0","items":[]}""")]
    [InlineData("""[{"title":"a"}]""")]
    public void Parse_JsonThatIsNotJsonFeed_IsNotAFeed(string json)
    {
        Assert.StartsWith("Not a feed: JSON", Rejects(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherXml_IsNotAFeedAndNamesTheRoot()
    {
        Assert.Equal("Not a feed: the root element is <sitemapindex>, not rss, rdf:RDF or an Atom feed.",
            Rejects("<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>").Message);
    }

    [Fact]
    public void Parse_PlainText_IsNotAFeed()
    {
        Assert.Equal("Not a feed: the document is neither XML nor JSON.", Rejects("502 Bad Gateway").Message);
    }

    [Fact]
    public void Parse_MalformedJson_IsRefusedWithItsPosition()
    {
        var error = Rejects("{\"version\": \"https://jsonfeed.org/version/1.1\",\n \"items\": [ {\"id\": } ]}");

        Assert.StartsWith("Malformed JSON at line 2", error.Message, StringComparison.Ordinal);
    }
}
