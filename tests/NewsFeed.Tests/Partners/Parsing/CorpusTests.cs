using Microsoft.Extensions.Time.Testing;
using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>Every document of feeds/partners/corpus, parsed with its Content-Type and URL, reads as expected.json says.</summary>
public class CorpusTests
{
    public static TheoryData<string> Files() => [.. CorpusDocuments.Documents.Select(d => d.File)];

    [Fact]
    public void Corpus_IsLargeAndCoversEveryFormat()
    {
        var documents = CorpusDocuments.Documents.ToList();

        Assert.True(documents.Count >= 200, $"{documents.Count} documents");
        Assert.Equal(["Atom 0.3", "Atom 1.0", "JSON Feed 1.0", "JSON Feed 1.1", "RSS 0.90", "RSS 0.91", "RSS 0.92", "RSS 1.0", "RSS 2.0"],
            documents.Select(d => d.Format).Distinct().Order(StringComparer.Ordinal));
        Assert.All(documents, d => Assert.True(File.Exists(Path.Combine(CorpusDocuments.Folder, "documents", d.File)), d.File));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parse_CorpusDocument_ReadsAsExpected(string file)
    {
        var expected = CorpusDocuments.Get(file);

        var feed = PartnerFeedParser.Parse(CorpusDocuments.Bytes(expected), expected.ContentType, expected.Url, new PartnerParserLimits(),
            new FakeTimeProvider(PartnerFeeds.Now));

        Assert.Equal(expected.Format, feed.Format);
        Assert.Equal(expected.Items, feed.Items.Select(i => new CorpusDocuments.Item(i.Title, i.Url, i.Published ?? i.Updated, i.Author)));
    }
}
