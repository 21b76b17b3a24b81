using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Whatever the bytes, Parse returns a feed or throws PartnerFeedException, never anything else.</summary>
public class RobustnessTests
{
    public static TheoryData<string> RecordedFiles() =>
        [.. Directory.GetFiles(RepoPaths.PartnerDocuments).Where(f => Path.GetExtension(f) is ".rss" or ".atom" or ".rdf" or ".json").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(RecordedFiles))]
    public void Parse_MutatedRecordedFeed_ReturnsOrThrowsPartnerFeedException(string file)
    {
        var original = File.ReadAllBytes(RepoPaths.PartnerDocument(file));
        var random = new Random(20261124); // fixed seed: a failure is reproducible
        byte[] interesting = "<>&;\"'/[]{}:,!?#xudD0123456789\\"u8.ToArray();
        for (var round = 0; round < 300; round++)
        {
            var bytes = (byte[])original.Clone();
            var length = random.Next(bytes.Length + 1);
            for (var flips = random.Next(1, 6); flips > 0 && length > 0; flips--)
            {
                bytes[random.Next(length)] = random.Next(2) == 0 ? interesting[random.Next(interesting.Length)] : (byte)random.Next(256);
            }

            var exception = Record.Exception(() => Parse(bytes[..length]));

            Assert.True(exception is null or PartnerFeedException, $"{file} round {round}: {exception}");
        }
    }

    [Fact]
    public void Parse_LoneSurrogateEscapesInJson_AreReplacedNotFatal()
    {
        var feed = Parse("""{"version":"https://jsonfeed.org/version/1.1","title":"\ud800","items":[{"\ud800":1,"id":"1","title":"bad \udc00 x","tags":["\ud800"],"authors":[{"\udc00":"","name":"A \ud83d\ude00"}]}]}""");

        var item = Assert.Single(feed.Items);
        Assert.Equal("bad \uFFFD x", item.Title);
        Assert.Equal("A \U0001F600", item.Author);
    }

    [Fact]
    public void Parse_EscapedBackslashes_AreNotMistakenForSurrogateEscapes()
    {
        var backslashes = new string('\\', 1_000_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var feed = Parse($$"""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"a\\ud800 {{backslashes}}\\ud800"}]}""");

        Assert.Equal("a\\ud800 " + new string('\\', 4), Assert.Single(feed.Items).Title[..12]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Parse_ManyProblems_WarningsAreCapped()
    {
        var items = Enumerable.Range(1, 120).Select(i => $"<title>t{i}</title><pubDate>never {i}</pubDate>").ToArray();

        var feed = Parse(Rss(items));

        Assert.Equal(120, feed.Items.Count);
        Assert.Equal(51, feed.Warnings.Count);
        Assert.Equal("…and 70 more warnings.", feed.Warnings[^1]);
    }

    [Fact]
    public void Parse_Atom03_ReadsIssuedAndModified()
    {
        var feed = Parse("""
            <feed version="0.3" xmlns="http://purl.org/atom/ns#">
              <title>Old Atom</title>
              <entry><id>a1</id><title>Hello</title><link rel="alternate" type="text/html" href="https://old.example/a1"/>
                <issued>2026-11-20T10:00:00Z</issued><modified>2026-11-21T10:00:00Z</modified>
                <content type="text/html" mode="escaped">&lt;p&gt;Hi&lt;/p&gt;</content></entry>
            </feed>
            """);

        Assert.Equal("Atom 0.3", feed.Format);
        var item = Assert.Single(feed.Items);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), item.Published);
        Assert.Equal("<p>Hi</p>", item.ContentHtml);
    }
}
