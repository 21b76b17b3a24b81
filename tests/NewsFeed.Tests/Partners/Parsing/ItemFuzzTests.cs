using System.Text;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using static NewsFeed.Tests.Partners.Parsing.PartnerFeeds;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>
/// The property behind "one bad item never costs the others": in every format, whatever fields the bad
/// items have (empty, whitespace, markup only, huge, malformed, nested too deep, a good item's guid),
/// every good item survives with its fields and in its order.
/// </summary>
public class ItemFuzzTests
{
    private const int Rounds = 60;

    public static TheoryData<string> Formats() => [.. FuzzDocuments.Formats];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Parse_RandomBadItems_EveryGoodItemSurvivesWithItsFields(string format)
    {
        // Seeded per format: a failure names its round and is reproducible.
        var random = new Random(16_000 + Array.IndexOf(FuzzDocuments.Formats, format));
        for (var round = 0; round < Rounds; round++)
        {
            var (document, goods) = FuzzDocuments.Create(format, random, round);

            PartnerFeed feed;
            try
            {
                feed = Parse(document);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{format} round {round} threw {e}\n{Encoding.UTF8.GetString(document)[..Math.Min(document.Length, 4_000)]}");
            }

            Assert.Equal(format, feed.Format);
            var good = feed.Items.Where(i => i.Title.StartsWith("Good story ", StringComparison.Ordinal)).ToList();
            Assert.True(goods.Count == good.Count, $"{format} round {round}: {good.Count} of {goods.Count} good items; warnings: {string.Join(" | ", feed.Warnings)}");
            foreach (var (expected, item) in goods.Zip(good))
            {
                Assert.Equal(expected.Title, item.Title);
                Assert.Equal(expected.Link, item.Url);
                Assert.Equal(expected.Id, item.SourceId);
                Assert.Equal(expected.Summary, item.SummaryText);
                Assert.Equal(expected.Published, item.Published);
                Assert.Equal(expected.Author, item.Author);
            }
            Assert.Equal(feed.Items.Count, feed.Items.Select(i => i.Key).Distinct(StringComparer.Ordinal).Count());
            Assert.All(feed.Items, i => Assert.NotNull(i.Title));
        }
    }
}
