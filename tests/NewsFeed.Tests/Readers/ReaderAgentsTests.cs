using NewsFeed.Readers;

namespace NewsFeed.Tests.Readers;

/// <summary>
/// Every form in reader-agents.json, each with a User-Agent string as readers and aggregators send it. Sources:
/// the issue (#18); Buttondown's RSS-subscriber documentation (Feedbin, Feedly, NewsBlur, Inoreader, The Old
/// Reader, BazQux, Dreamwidth); access logs quoted by Oleg Tkachenko (2007: Feedfetcher-Google, Bloglines,
/// NewsGator), Pete Freitag (2005: Yahoo) and Seth Larson (2025: Feedly's poller); the rest as the projects
/// themselves spell them.
/// </summary>
public sealed class ReaderAgentsTests
{
    private static readonly ReaderAgents Agents = new();

    public static TheoryData<string, string, string, int?, string> Recorded() => new()
    {
        { "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; )", "Feedly", "Aggregator", 462, "" },
        { "Feedly/1.0 (poller; 131 subscribers;)", "Feedly", "Aggregator", 131, "" },
        { "Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)", "Feedly", "Aggregator", null, "" },
        { "Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)", "Inoreader", "Aggregator", 114, "" },
        { "Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 56 subscribers; )", "Inoreader", "Aggregator", 56, "" },
        { "NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/rendezvous-with-cassidoo (\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.1 Safari/605.1.15\")", "NewsBlur", "Aggregator", 27, "7704055" },
        { "Feedbin feed-id:1697787 - 102 subscribers", "Feedbin", "Aggregator", 102, "1697787" },
        { "Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=cead6c3a837650eeefd8fe4a)", "The Old Reader", "Aggregator", 1, "cead6c3a837650eeefd8fe4a" },
        { "Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 1 subscribers)", "BazQux", "Aggregator", 1, "" },
        { "Dreamwidth Studios (webmaster@dreamwidth.org; for https://www.dreamwidth.org/users/vikingschoice_feed/; 2 readers)", "Dreamwidth", "Aggregator", 2, "" },
        { "Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 167 subscribers; feed-id=12310981209483785)", "Google Feedfetcher", "Aggregator", 167, "12310981209483785" },
        { "Bloglines/3.1 (http://www.bloglines.com; 154 subscribers)", "Bloglines", "Aggregator", 154, "" },
        { "NewsGatorOnline/2.0 (http://www.newsgator.com; 99 subscribers)", "NewsGator", "Aggregator", 99, "" },
        { "YahooFeedSeeker/1.0 (compatible; Mozilla 4.0; MSIE 5.5; http://my.yahoo.com/s/publishers.html; users 2; views 169)", "Yahoo", "Aggregator", 2, "" },
        { "Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)", "Feedspot", "Aggregator", null, "" },
        { "Bloglovin/1.0 (http://www.bloglovin.com; 23 subscribers)", "Bloglovin", "Aggregator", 23, "" },
        { "Netvibes (crawler/bot; http://www.netvibes.com; 4 subscribers; feedID: 39407)", "Netvibes", "Aggregator", 4, "39407" },
        { "Superfeedr bot/2.0 http://superfeedr.com - Make your feeds realtime: get in touch - feed-id:46271263", "Superfeedr", "Aggregator", null, "46271263" },
        { "Digg Feed Fetcher 1.0 (Digg, Inc; http://digg.com)", "Digg Reader", "Aggregator", null, "" },
        { "AOLReader/1.0 (+http://reader.aol.com; 3 subscribers)", "AOL Reader", "Aggregator", 3, "" },
        { "Mozilla/5.0 (compatible; FlipboardRSS/1.2; +http://flipboard.com/browserproxy)", "Flipboard", "Aggregator", null, "" },
        { "Newsify Feed Fetcher (+http://newsify.co; 8 subscribers)", "Newsify", "Aggregator", 8, "" },
        { "Tiny Tiny RSS/21.04-9c2aa0a (https://tt-rss.org/)", "Tiny Tiny RSS", "Reader", null, "" },
        { "Mozilla/5.0 (compatible; Miniflux/2.0.51; +https://miniflux.app)", "Miniflux", "Reader", null, "" },
        { "FreshRSS/1.23.1 (Linux; https://freshrss.org)", "FreshRSS", "Reader", null, "" },
        { "NetNewsWire (RSS Reader; https://netnewswire.com/)", "NetNewsWire", "Reader", null, "" },
        { "Reeder/5050.0 CFNetwork/1494.0.7 Darwin/23.4.0", "Reeder", "Reader", null, "" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Feedbro/4.22", "Feedbro", "Reader", null, "" },
        { "Feeder/2.6.3 (Android; https://github.com/spacecowboy/Feeder)", "Feeder", "Reader", null, "" },
        { "NextCloud-News/1.0", "Nextcloud News", "Reader", null, "" },
        { "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0", "Thunderbird", "Reader", null, "" },
        { "Liferea/1.15.4 (Linux; en_GB.UTF-8; https://lzone.de/liferea/)", "Liferea", "Reader", null, "" },
        { "Vienna/3.9.0", "Vienna", "Reader", null, "" },
        { "Mozilla/5.0 (compatible; QuiteRSS/0.19.4; +https://quiterss.org)", "QuiteRSS", "Reader", null, "" },
        { "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "Bot", null, "" },
        { "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "Bingbot", "Bot", null, "" },
        { "FeedValidator/1.3", "W3C Feed Validator", "Bot", null, "" },
        { "curl/8.5.0", "Command-line client", "Bot", null, "" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Other", "Reader", null, "" },
    };

    [Theory]
    [MemberData(nameof(Recorded))]
    public void Of_RecordedUserAgent_NamesTheReaderAndItsCount(string userAgent, string name, string kind, int? subscribers, string feedId)
    {
        var agent = Agents.Of(userAgent);

        Assert.Equal(name, agent.Name);
        Assert.Equal(Enum.Parse<ReaderKind>(kind), agent.Kind);
        Assert.Equal(subscribers, agent.Subscribers);
        Assert.Equal(feedId, agent.FeedId);
    }

    [Fact]
    public void EveryForm_HasARecordedUserAgent()
    {
        var covered = Recorded().Select(row => (string)row[1]).ToHashSet();

        Assert.DoesNotContain(Agents.Names, name => !covered.Contains(name));
    }

    [Fact]
    public void Of_NoUserAgent_IsADirectReaderWithoutAName() => Assert.Same(ReaderAgents.Unnamed, Agents.Of(""));

    [Fact]
    public void Of_CachesAtMostItsBound()
    {
        var agents = new ReaderAgents(maxCached: 2);

        for (var i = 0; i < 5; i++) Assert.Equal("Feedly", agents.Of($"Feedly/1.0 ({i} subscribers)").Name);

        Assert.Equal(7, agents.Of("Feedly/1.0 (7 subscribers)").Subscribers);
    }
}
