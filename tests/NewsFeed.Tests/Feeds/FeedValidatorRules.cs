using System.Xml.Linq;

namespace NewsFeed.Tests.Feeds;

/// <summary>
/// The W3C Feed Validation Service's rules that paging and archives can break, checked in-process (the
/// service itself is on the internet, which tests here cannot reach). Each check names the validator's own
/// message (w3c/feedvalidator, <c>link.py</c>, <c>extension.py</c>, <c>feed.py</c>), so a failure reads as the
/// validator would report it. The rules every feed must pass anyway (dates, absolute URLs, required elements)
/// stay in <see cref="FeedAssert"/>.
/// </summary>
public static class FeedValidatorRules
{
    public static readonly XNamespace History = "http://purl.org/syndication/history/1.0";

    // link.py validRelations: the relations the validator accepts without UnregisteredAtomLinkRel.
    private static readonly HashSet<string> RegisteredRelations =
    [
        "alternate", "current", "describedby", "edit", "edit-media", "enclosure", "first", "hub", "last", "license",
        "next", "next-archive", "payment", "prev-archive", "previous", "related", "replies", "search", "self",
        "service", "up", "via",
    ];

    // link.py rfc5005: feed-level navigation; FeedHistoryRelInEntry when one appears in an entry.
    private static readonly HashSet<string> HistoryRelations = ["current", "first", "last", "next", "next-archive", "prev-archive", "previous"];

    /// <summary>
    /// An RSS or Atom document fetched from <paramref name="location"/> passes the validator's link and history
    /// rules with neither errors nor warnings. <paramref name="archive"/>: whether it is an RFC 5005 archive document.
    /// </summary>
    public static XDocument Check(byte[] body, string location, bool archive)
    {
        var doc = FeedAssert.WellFormedXml(body);
        var isAtom = doc.Root!.Name == FeedAssert.Atom + "feed";
        var head = isAtom ? doc.Root : doc.Root.Element("channel")!;
        var entryName = isAtom ? FeedAssert.Atom + "entry" : (XName)"item";
        var headLinks = head.Elements(FeedAssert.Atom + "link").ToList();

        foreach (var link in doc.Descendants(FeedAssert.Atom + "link"))
        {
            var rel = (string?)link.Attribute("rel") ?? "alternate";
            Assert.True(RegisteredRelations.Contains(rel), $"UnregisteredAtomLinkRel: '{rel}'");
            Assert.True(link.IsEmpty || link.Value.Trim().Length == 0, "AtomLinkNotEmpty");
            Assert.False(string.IsNullOrEmpty((string?)link.Attribute("href")), "MissingHref");
            if (link.Parent!.Name == entryName)
            {
                Assert.False(HistoryRelations.Contains(rel), $"FeedHistoryRelInEntry: '{rel}'");
            }
        }

        // link.py: SelfDoesntMatchLocation, the warning a non-canonical page URL used to give.
        var self = Assert.Single(headLinks, l => (string?)l.Attribute("rel") == "self");
        Assert.True((string?)self.Attribute("href") == location, $"SelfDoesntMatchLocation: self is '{self.Attribute("href")}', fetched from '{location}'");
        if (!isAtom && self.Attribute("type") is { } selfType)
        {
            Assert.True(selfType.Value == "application/rss+xml", $"SelfNotAtom: '{selfType.Value}'");
        }

        // feed.py DuplicateAtomLink: one link per relation, type and language (hubs may be many).
        var duplicate = headLinks
            .Where(l => (string?)l.Attribute("rel") != "hub")
            .GroupBy(l => ((string?)l.Attribute("rel") ?? "alternate", (string?)l.Attribute("type"), (string?)l.Attribute("hreflang")))
            .FirstOrDefault(g => g.Count() > 1);
        Assert.True(duplicate is null, $"DuplicateAtomLink: rel '{duplicate?.Key.Item1}'");

        // extension.py do_fh_archive: an empty element of the feed or channel, and only archives carry it.
        var marks = doc.Descendants(History + "archive").ToList();
        if (archive)
        {
            var mark = Assert.Single(marks);
            Assert.Same(head, mark.Parent);
            Assert.True(mark.IsEmpty || mark.Value.Length == 0, "fh:archive has no content");
            Assert.DoesNotContain(headLinks, l => (string?)l.Attribute("rel") is "next" or "previous" or "first" or "last");
        }
        else
        {
            Assert.Empty(marks);
        }

        // Entry identity: DuplicateIds (Atom) and the guid uniqueness readers rely on (RSS).
        var ids = doc.Descendants(entryName)
            .Select(e => isAtom ? (string?)e.Element(FeedAssert.Atom + "id") : (string?)e.Element("guid"))
            .ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        return doc;
    }
}
