"""RSS as publishing tools write it: WordPress, Substack, Medium, podcast hosts, news agencies, RSS 0.90/0.91/0.92/1.0."""

from corpus_dates import ISO_STYLES, RFC822_STYLES
from corpus_lib import NS_RSS, cdata, derive_title, esc, item, pick, rdf, rss, slug, when, write_family
from corpus_text import HEADLINES, PEOPLE, SUMMARIES

RSS_TYPE = "application/rss+xml; charset=UTF-8"


def rfc(style, k):
    return pick(RFC822_STYLES, style)[1](when(k))


def words(k):
    return pick(HEADLINES, k), pick(PEOPLE, k)


def wordpress_story(n, i, k, site, host):
    title, person = words(k)
    written, date = rfc(k, k)
    link = f"https://{host}/2026/11/{slug(title)}/"
    return (f"<item>\n<title>{esc(title)}</title>\n<link>{link}</link>\n<comments>{link}#respond</comments>\n"
            f"<dc:creator>{cdata(person)}</dc:creator>\n<pubDate>{written}</pubDate>\n<category>{cdata('News')}</category>\n"
            f'<guid isPermaLink="false">https://{host}/?p={1000 + k}</guid>\n'
            f"<description>{cdata(pick(SUMMARIES, k) + ' [&#8230;]')}</description>\n"
            f"<content:encoded>{cdata('<p>' + esc(pick(SUMMARIES, k)) + '</p><p>More to follow.</p>')}</content:encoded>\n"
            f"<slash:comments>{k % 9}</slash:comments>\n</item>\n"), item(title, link, date, person)


def wordpress_document(n, site, host, items):
    # Some WordPress themes drop the sy:/slash: declarations; the prefixes still read.
    ns = NS_RSS + ('' if n % 4 == 0 else ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/"')
    head = f'<atom:link href="https://{host}/feed/" rel="self" type="application/rss+xml" />\n<sy:updatePeriod>hourly</sy:updatePeriod>\n'
    return rss(items, title=site, link=f"https://{host}/", ns=ns, head=head)


def newsletter_story(link, guid, extra, content):
    """Substack and Medium: CDATA titles and bylines, an RFC 822 date in GMT."""
    def story(n, i, k, site, host):
        title, person = words(k)
        written, date = rfc(0, k)
        url = link(n, k, host, title, person)
        return (f"<item><title>{cdata(title)}</title>{extra(k, host)}<link>{esc(url)}</link><guid isPermaLink=\"false\">{guid(k, url)}</guid>"
                f"<dc:creator>{cdata(person)}</dc:creator><pubDate>{written}</pubDate>{content(k, title)}</item>"), item(title, url, date, person)
    return story


substack_story = newsletter_story(
    lambda n, k, host, title, person: f"https://{host}/p/{slug(title)}", lambda k, url: url,
    lambda k, host: f'<description>{cdata(pick(SUMMARIES, k))}</description><enclosure url="https://cdn.{host}/image/{k}.jpeg" length="0" type="image/jpeg"/>',
    lambda k, title: f"<content:encoded>{cdata('<div class=captioned><p>' + esc(pick(SUMMARIES, k + 1)) + '</p></div>')}</content:encoded>")

medium_story = newsletter_story(
    lambda n, k, host, title, person: f"https://medium.example/@{slug(person)}/{slug(title)}-{k:x}?source=rss----{n:x}---4",
    lambda k, url: f"https://medium.example/p/{k:012x}", lambda k, host: f'<category>{cdata("local")}</category>',
    lambda k, title: f"<atom:updated>{ISO_STYLES[10][1](when(k - 1))[0]}</atom:updated>"
                     f"<content:encoded>{cdata('<h3>' + esc(title) + '</h3><p>' + esc(pick(SUMMARIES, k)) + '</p>')}</content:encoded>")


def podcast_story(n, i, k, site, host):
    title = f"Episode {40 - i}: {pick(HEADLINES, k)}"
    written, date = rfc(n + i, k)
    host_name = pick(PEOPLE, n + 3)
    author_xml, author = [
        (f"<itunes:author>{esc(host_name)}</itunes:author>", host_name),
        (f"<author>{esc(f'podcast@{host} ({host_name})')}</author>", host_name),
        (f"<author>podcast@{host}</author><itunes:author>{esc(site)} Radio</itunes:author>", f"{site} Radio"),
        (f"<itunes:author>{esc(host_name)}</itunes:author>", host_name),
    ][i]
    return (f"<item><title>{esc(title)}</title><description>{cdata('<p>' + esc(pick(SUMMARIES, k)) + '</p>')}</description>"
            f'<enclosure url="https://media.{host}/ep{k}.mp3" length="{k * 1000}" type="audio/mpeg"/>'
            f'<guid isPermaLink="false">{k:08x}-0000-4000-8000-{n:012x}</guid><pubDate>{written}</pubDate>{author_xml}'
            f'<itunes:duration>00:{20 + i}:13</itunes:duration><itunes:episode>{40 - i}</itunes:episode>'
            f'<itunes:image href="https://media.{host}/art{k}.jpg"/><podcast:transcript url="https://media.{host}/ep{k}.vtt" type="text/vtt"/></item>'), \
        item(title, None, date, author)


def podcast_document(n, site, host, items):
    declared = n % 3 != 0  # podcast: is often used without its declaration
    ns = NS_RSS + ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"' + (' xmlns:podcast="https://podcastindex.org/namespace/1.0"' if declared else "")
    head = f"<itunes:author>{esc(pick(PEOPLE, n + 3))}</itunes:author><itunes:explicit>false</itunes:explicit>\n"
    return rss(items, title=site + " Podcast", link=f"https://{host}/podcast", ns=ns, head=head)


def agency_story(n, i, k, site, host):
    title = pick(HEADLINES, k) + ("" if i < len(HEADLINES) else f" ({i // len(HEADLINES) + 1})")
    written, date = rfc(4 + (k % 22), k)
    link = f"https://{host}/wire/{k}"
    author_xml, author = [("<dc:creator>Staff Reporter</dc:creator>", "Staff Reporter"),
                          (f"<author>desk@{host} ({pick(PEOPLE, k)})</author>", pick(PEOPLE, k)), (f"<author>desk@{host}</author>", None)][i % 3]
    # The parser reads the first 200 items of a document.
    return (f"<item><title>{esc(title)}</title><link>{link}</link><guid>{link}</guid><pubDate>{written}</pubDate>{author_xml}"
            f"<category>World</category><description>{esc(pick(SUMMARIES, k))}</description>"
            f'<media:content url="https://img.{host}/{k}.jpg" medium="image" width="1200" height="800">'
            f"<media:credit>{esc(site)}</media:credit><media:description>Photo {k}</media:description></media:content></item>\n"), \
        item(title, link, date, author) if i < 200 else None


def rss091_story(n, i, k, site, host):
    title, link = pick(HEADLINES, k), f"http://{host}/news/{k}.html"
    return (f"<item>\n<title>{esc(title)}</title>\n<link>{link}</link>\n<description>{esc(pick(SUMMARIES, k))} &eacute;t&eacute; &copy;</description>\n</item>\n",
            item(title, link))


def rss091_document(n, site, host, items):
    doctype = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
               '"http://my.netscape.com/publish/formats/rss-0.91.dtd">')
    head = f"<language>en-gb</language>\n<image><title>{esc(site)}</title><url>http://{host}/logo.gif</url><link>http://{host}/</link></image>\n"
    return rss(items, version="0.91", title=site, link=f"http://{host}/", ns="", head=head, declaration=doctype)


def rss092_story(n, i, k, site, host):
    link = f"http://{host}/{k}"
    if i == 1:  # RSS 0.92 made every item element optional: a description alone is an item
        summary = pick(SUMMARIES, k)
        return f"<item><description>{esc(summary)}</description><link>{link}</link></item>\n", item(derive_title(summary), link)
    title = pick(HEADLINES, k)
    written, date = rfc(k, k) if n % 2 else (None, None)
    return (f"<item><title>{esc(title)}</title><link>{link}</link><description>{esc(pick(SUMMARIES, k))}</description>"
            + (f"<pubDate>{written}</pubDate>" if written else "")
            + f'<enclosure url="http://{host}/{k}.mp3" length="1000" type="audio/mpeg"/><source url="http://{host}/rss">{esc(site)}</source></item>\n'), \
        item(title, link, date)


def rss10_story(n, i, k, site, host):
    title, person = words(k)
    written, date = pick(ISO_STYLES, k)[1](when(k))
    link = f"https://{host}/story/{k}"
    # dc:date is RSS 1.0's date; some writers use dcterms:issued instead.
    date_xml = f"<dc:date>{written}</dc:date>" if n % 3 else f"<dcterms:issued>{written}</dcterms:issued>"
    return (f'<item rdf:about="{link}">\n<title>{esc(title)}</title>\n<link>{link}</link>\n<description>{esc(pick(SUMMARIES, k))}</description>\n'
            f"{date_xml}\n<dc:creator>{esc(person)}</dc:creator>\n<dc:subject>Local</dc:subject>\n</item>\n"), item(title, link, date, person)


def rss090_story(n, i, k, site, host):
    title, link = pick(HEADLINES, k), f"http://{host}/{k}"
    return f"<item><title>{esc(title)}</title><link>{link}</link></item>\n", item(title, link)


def write_all():
    media_ns = NS_RSS + ' xmlns:media="http://search.yahoo.com/mrss/"'
    write_family("wordpress", "rss", 14, lambda n: 3 + n % 6, wordpress_story, wordpress_document, RSS_TYPE, "RSS 2.0",
                 stride=7, url=lambda n, host: f"https://{host}/feed/")
    write_family("substack", "rss", 10, lambda n: 2 + n % 5, substack_story, lambda n, site, host, items: rss(items, title=site, link=f"https://{host}/"),
                 "application/rss+xml; charset=utf-8", "RSS 2.0", first=100, stride=5, site_offset=3)
    write_family("medium", "rss", 10, lambda n: 3 + n % 4, medium_story, lambda n, site, host, items: rss(items, title="Stories on Medium", link="https://medium.example/"),
                 "text/xml; charset=UTF-8", "RSS 2.0", first=200, stride=4)
    write_family("podcast", "rss", 10, lambda n: 4, podcast_story, podcast_document, "application/xml", "RSS 2.0", first=300, stride=4, site_offset=5)
    # The last agency document is a firehose of 230 items.
    write_family("agency", "rss", 10, lambda n: 230 if n == 9 else 8 + n * 5, agency_story,
                 lambda n, site, host, items: rss(items, title=site + " Wire", link=f"https://{host}/", ns=media_ns),
                 "application/rss+xml", "RSS 2.0", first=400, stride=50, site_offset=7)
    write_family("rss091", "xml", 8, lambda n: 3 + n % 3, rss091_story, rss091_document, "text/xml", "RSS 0.91", first=900, stride=3,
                 url=lambda n, host: f"http://{host}/rss.xml")
    write_family("rss092", "xml", 8, lambda n: 3, rss092_story, lambda n, site, host, items: rss(items, version="0.92", title=site, link=f"http://{host}/", ns=""),
                 "text/xml", "RSS 0.92", first=950, stride=3, site_offset=2)
    write_family("rss10", "rdf", 10, lambda n: 3 + n % 4, rss10_story,
                 lambda n, site, host, items: rdf(items, title=site, link=f"https://{host}/", extra_ns=' xmlns:dcterms="http://purl.org/dc/terms/"'),
                 "application/rdf+xml", "RSS 1.0", first=1000, stride=4, site_offset=4)
    write_family("rss090", "rdf", 4, lambda n: 5, rss090_story,
                 lambda n, site, host, items: rdf(items, title=site, link=f"http://{host}/", rss_ns="http://my.netscape.com/rdf/simple/0.9/"),
                 "application/xml", "RSS 0.90", first=1100, stride=5, site_offset=8)
