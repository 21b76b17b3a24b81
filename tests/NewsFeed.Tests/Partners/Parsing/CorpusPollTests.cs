using NewsFeed.Partners;
using WireMock.ResponseBuilders;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>
/// A sample of feeds/partners/corpus polled through the app: served over HTTP by WireMock.Net with each document's
/// Content-Type, fetched, parsed and stored by the poller. (Links resolve against the mock server's URL
/// here, so only titles are compared; CorpusTests checks every field at the parser.)
/// </summary>
public sealed class CorpusPollTests(PartnerHarness harness) : IClassFixture<PartnerHarness>
{
    // Every format, the encodings, and the documents the issue was about; each within the default item cap.
    private static readonly string[] Sample =
    [
        "wordpress-03.rss", "substack-01.rss", "medium-02.rss", "podcast-00.rss", "agency-01.rss", "rss091-00.xml", "rss092-01.xml",
        "rss10-00.rdf", "rss090-00.rdf", "blogger-03.atom", "atom10-01.atom", "atom03-00.xml", "jsonfeed1-02.json", "jsonfeed11-03.json",
        "image-only.rss", "shared-guids.rss", "deep-middle.rss", "deep.json", "authors.rss", "entities.rss", "missing-fields.rss",
        "encoding-ja-eucjp-undeclared.rss", "encoding-ja-shiftjis-http.atom", "encoding-zh-gb2312-undeclared.rss",
        "encoding-ko-euckr-declared.rss", "encoding-ru-koi8r-undeclared.rss", "utf8-labelled-iso-8859-1.rss",
        "charset-http-utf8-declared-1252.rss", "utf16le-bom.rss", "latin1-with-0x92.rss",
    ];

    [Fact]
    public async Task Poll_CorpusSample_StoresTheExpectedTitles()
    {
        for (var i = 0; i < Sample.Length; i++)
        {
            var document = CorpusDocuments.Get(Sample[i]);
            var id = $"corpus-{i}";
            var path = "/corpus/" + document.File;
            harness.Serve(path, Response.Create().WithStatusCode(200).WithHeader("Content-Type", document.ContentType).WithBody(CorpusDocuments.Bytes(document)));
            await harness.AddPartnerAsync(id, path);

            var result = await harness.Poller.PollAsync(id, CancellationToken.None);

            Assert.True(result.Outcome == PollOutcome.Updated, $"{document.File}: {result.Outcome} {result.Error}");
            var stored = await harness.Store.GetNewestAsync(id, null, 0, 1_000, CancellationToken.None);
            Assert.True(document.Items.Count <= 50, $"{document.File} is over the default item cap");
            Assert.Equal(document.Items.Select(e => e.Title).Order(StringComparer.Ordinal), stored.Select(s => s.Item.Title).Order(StringComparer.Ordinal));
        }
    }
}
