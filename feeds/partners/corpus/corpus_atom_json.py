"""Atom 1.0 (Blogger and others), Atom 0.3, and JSON Feed 1.0 and 1.1 as publishing tools write them."""

import datetime as dt

from corpus_dates import ISO_STYLES
from corpus_lib import atom, attr, derive_title, esc, item, json_feed, pick, slug, when, write_family
from corpus_text import HEADLINES, PEOPLE, SUMMARIES

BLOGGER_NS = (' xmlns:openSearch="http://a9.com/-/spec/opensearchrss/1.0/" xmlns:blogger="http://schemas.google.com/blogger/2008" '
              'xmlns:georss="http://www.georss.org/georss" xmlns:gd="http://schemas.google.com/g/2005" xmlns:thr="http://purl.org/syndication/thread/1.0"')


def isodate(style, k):
    return pick(ISO_STYLES, style)[1](when(k))


def blogger_story(n, i, k, site, host):
    title, owner, published = pick(HEADLINES, k), pick(PEOPLE, n + 6), when(k)
    # Blogger writes local time with milliseconds and an offset.
    written = published.astimezone(dt.timezone(dt.timedelta(hours=-8))).strftime("%Y-%m-%dT%H:%M:%S.000-08:00")
    link = f"https://{host}/2026/11/{slug(title)[:40]}.html"
    anonymous = i % 4 == 3
    author_xml = "<author><name>Unknown</name><email>noreply@blogger.com</email></author>" if anonymous else \
        f"<author><name>{esc(owner)}</name><uri>https://www.blogger.example/profile/{n}</uri><email>noreply@blogger.com</email></author>"
    return (f"<entry><id>tag:blogger.com,1999:blog-{n}.post-{k}</id><published>{written}</published>"
            f"<updated>{written}</updated><category scheme=\"http://www.blogger.com/atom/ns#\" term=\"news\"/>"
            f"<title type='text'>{esc(title)}</title><content type='html'>{esc('<p>' + pick(SUMMARIES, k) + '</p>')}</content>"
            f"<link rel='replies' type='text/html' href='{link}#comment-form' title='0 Comments'/>"
            f"<link rel='edit' type='application/atom+xml' href='https://www.blogger.example/feeds/{n}/posts/default/{k}'/>"
            f"<link rel='alternate' type='text/html' href='{link}' title='{attr(title)}'/>{author_xml}<thr:total>0</thr:total></entry>\n"), \
        item(title, link, published, "Unknown" if anonymous else owner)


def blogger_document(n, site, host, entries):
    head = f"<author><name>{esc(pick(PEOPLE, n + 6))}</name></author><openSearch:totalResults>{len(entries)}</openSearch:totalResults>\n"
    return atom(entries, title=site, head=head, root_attrs=BLOGGER_NS)


def atom10_story(n, i, k, site, host):
    title, base = pick(HEADLINES, k), f"https://{host}/blog/"
    written, date = isodate(k, k)
    # Links relative to the feed's xml:base, some under an entry xml:base of their own.
    if i % 3 == 1:
        entry_base, href, link = ' xml:base="2026/"', f"{slug(title)}.html", f"{base}2026/{slug(title)}.html"
    else:
        entry_base, href, link = "", f"posts/{k}", f"{base}posts/{k}"
    title_xml = [f"<title>{esc(title)}</title>", f'<title type="html">{esc(esc(title))}</title>',
                 f'<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{esc(title)}</div></title>'][i % 3]
    own_author = i % 2 == 0
    author_xml = f"<author><name>{esc(pick(PEOPLE, k))}</name><email>{slug(pick(PEOPLE, k))}@{host}</email></author>" if own_author else ""
    # Some entries have only <updated> (required), no <published>.
    date_xml = f"<published>{written}</published><updated>{written}</updated>" if n % 2 else f"<updated>{written}</updated>"
    return (f"<entry{entry_base}><id>urn:uuid:{k:08x}-1111-4222-8333-{n:012x}</id>{title_xml}<link href=\"{href}\"/>"
            f"<link rel=\"enclosure\" type=\"image/jpeg\" href=\"/img/{k}.jpg\"/>{date_xml}{author_xml}"
            f"<summary>{esc(pick(SUMMARIES, k))}</summary><category term=\"local\" label=\"Local\"/></entry>\n"), \
        item(title, link, date, pick(PEOPLE, k) if own_author else pick(PEOPLE, n + 1))


def atom10_document(n, site, host, entries):
    head = f'<link rel="self" href="https://{host}/blog/atom.xml"/><link href="/"/><author><name>{esc(pick(PEOPLE, n + 1))}</name></author>\n'
    return atom(entries, title=site, head=head, root_attrs=f' xml:base="https://{host}/blog/"')


def atom03_story(n, i, k, site, host):
    title, person = pick(HEADLINES, k), pick(PEOPLE, k)
    issued, date = isodate(k, k)
    link = f"http://{host}/archives/{k}.html"
    # Atom 0.3: issued (required), modified, created; content by mode.
    return (f'<entry><title>{esc(title)}</title><link rel="alternate" type="text/html" href="{link}"/><id>tag:{host},2026:{k}</id>'
            f"<issued>{issued}</issued><modified>{isodate(0, k - 2)[0]}</modified><created>{issued}</created>"
            f"<author><name>{esc(person)}</name></author>"
            f'<content type="text/html" mode="escaped" xml:lang="en">{esc("<p>" + pick(SUMMARIES, k) + "</p>")}</content></entry>\n'), \
        item(title, link, date, person)


def atom03_document(n, site, host, entries):
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:lang="en">\n'
            f'<title>{esc(site)}</title><link rel="alternate" type="text/html" href="http://{host}/"/><modified>2026-11-23T12:00:00Z</modified>\n'
            + "".join(entries) + "</feed>\n")


def json_story(version):
    def story(n, i, k, site, host):
        title, person = pick(HEADLINES, k), pick(PEOPLE, k)
        written, date = isodate(k, k)
        entry = {"id": f"https://{host}/{k}" if i % 3 else k, "url": f"https://{host}/{slug(title)}", "title": title,
                 "content_html": f"<p>{esc(pick(SUMMARIES, k))}</p>", "date_published": written,
                 "date_modified": isodate(0, k - 1)[0], "tags": ["local", "news"], "image": f"https://{host}/i/{k}.jpg"}
        link, author = entry["url"], pick(PEOPLE, n + 2)
        if i % 2:
            if version == "1":
                entry["author"] = {"name": person, "url": f"https://{host}/by/{slug(person)}"}
            else:
                entry["authors"] = [{"name": person}, {"name": pick(PEOPLE, k + 1)}]
            author = person
        if i == 3:  # a link post: external_url only, and no title (JSON Feed allows it)
            del entry["url"], entry["title"], entry["content_html"]
            entry["external_url"] = link = f"https://elsewhere.example/{k}"
            entry["content_text"] = pick(SUMMARIES, k + 5)
            title = derive_title(pick(SUMMARIES, k + 5))
        if i == 4:  # relative url, resolved against the document's URL
            entry["url"] = f"/posts/{k}"
            link = f"https://{host}/posts/{k}"
        return entry, item(title, link, date, author)
    return story


def json_document(version):
    def document(n, site, host, items):
        feed_author = pick(PEOPLE, n + 2)
        top = {"author": {"name": feed_author}} if version == "1" else {"authors": [{"name": feed_author}], "language": "en-GB"}
        return json_feed(items, version=version, title=site, home=f"https://{host}/", **top)
    return document


def write_all():
    write_family("blogger", "atom", 10, lambda n: 3 + n % 5, blogger_story, blogger_document, "application/atom+xml; charset=UTF-8", "Atom 1.0",
                 first=1200, stride=6, site_offset=1)
    write_family("atom10", "atom", 12, lambda n: 3 + n % 4, atom10_story, atom10_document, "application/atom+xml", "Atom 1.0",
                 first=1300, stride=5, site_offset=2)
    write_family("atom03", "xml", 8, lambda n: 3, atom03_story, atom03_document, "application/atom+xml", "Atom 0.3", first=1400, stride=3, site_offset=4)
    for version, count, first, offset in (("1", 10, 1500, 0), ("1.1", 12, 1600, 6)):
        write_family(f"jsonfeed{version.replace('.', '')}", "json", count, lambda n: 2 + n % 5, json_story(version), json_document(version),
                     lambda n: "application/feed+json" if n % 2 else "application/json; charset=utf-8",
                     "JSON Feed 1.0" if version == "1" else "JSON Feed 1.1", first=first, stride=6, site_offset=offset,
                     url=lambda n, host: f"https://{host}/feed.json")
