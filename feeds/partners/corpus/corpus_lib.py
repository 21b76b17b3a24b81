"""Helpers shared by the corpus writers: escaping, expected values, document shells, and the list being written."""

import datetime as dt
import json
import os

from corpus_text import SITES

HERE = os.path.dirname(os.path.abspath(__file__))
DOCUMENTS = os.path.join(HERE, "documents")
UTC = dt.timezone.utc
# The tests' clock (PartnerFeeds.Now, NewsFeedApp.Now): a date more than a day after it is dropped.
NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

NS_RSS = ('xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:atom="http://www.w3.org/2005/Atom"')

corpus = []


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(text):
    return esc(text).replace('"', "&quot;").replace("'", "&apos;")


def cdata(text):
    return "<![CDATA[" + text + "]]>"


def when(n):
    """The n-th story's time: every 7 hours 13 minutes back from 23 Nov 2026 10:41:17 UTC."""
    return dt.datetime(2026, 11, 23, 10, 41, 17, tzinfo=UTC) - dt.timedelta(minutes=433 * n)


def expected_date(value):
    if value is None:
        return None
    value = value.astimezone(UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += ".%06d" % value.microsecond
    return text + "Z"


def item(title, link=None, date=None, author=None):
    return {"title": title, "link": link, "date": expected_date(date), "author": author}


def derive_title(summary):
    """PartnerText.DeriveTitle: the text itself up to 80 characters, else cut at a word after 40, with an ellipsis."""
    if len(summary) <= 80:
        return summary
    cut = summary[:80]
    space = cut.rfind(" ")
    return (cut[:space] if space > 40 else cut).rstrip() + "\u2026"


def add(name, data, content_type, fmt, items, url=None):
    if isinstance(data, str):
        data = data.encode("utf-8")
    corpus.append({
        "file": name,
        "url": url or "https://corpus.example/feeds/" + name,
        "contentType": content_type,
        "format": fmt,
        "items": items,
    })
    with open(os.path.join(DOCUMENTS, name), "wb") as f:
        f.write(data)


def rss(items_xml, version="2.0", title="Partner", link="https://partner.example/", ns=NS_RSS, head="", declaration='<?xml version="1.0" encoding="UTF-8"?>', channel_attrs=""):
    return (f'{declaration}\n<rss version="{version}" {ns}>\n<channel{channel_attrs}>\n<title>{esc(title)}</title>\n<link>{link}</link>\n'
            f'<description>{esc(title)} stories</description>\n{head}' + "".join(items_xml) + "</channel>\n</rss>\n")


def atom(entries_xml, title="Partner", head="", root_attrs="", declaration='<?xml version="1.0" encoding="utf-8"?>'):
    return (f'{declaration}\n<feed xmlns="http://www.w3.org/2005/Atom"{root_attrs}>\n<title>{esc(title)}</title>\n<id>urn:corpus:{attr(title)}</id>\n'
            f'<updated>2026-11-23T12:00:00Z</updated>\n{head}' + "".join(entries_xml) + "</feed>\n")


def rdf(items_xml, title="Partner", link="https://partner.example/", rss_ns="http://purl.org/rss/1.0/", extra_ns=""):
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="{rss_ns}" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"{extra_ns}>\n<channel rdf:about="{link}">\n<title>{esc(title)}</title>\n<link>{link}</link>\n'
            f'<description>{esc(title)}</description>\n</channel>\n' + "".join(items_xml) + "</rdf:RDF>\n")


def json_feed(items, version="1.1", title="Partner", home="https://partner.example/", **top):
    document = {"version": "https://jsonfeed.org/version/" + version, "title": title, "home_page_url": home}
    document.update(top)
    document["items"] = items
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def slug(text):
    out = "".join(c.lower() if c.isascii() and c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def pick(seq, n):
    return seq[n % len(seq)]


def write_family(name, ext, count, per_document, story, document, content_type, fmt, first=0, stride=10, site_offset=0, url=None):
    """One document per n < count, of a partner site: per_document(n) stories, each story(n, i, k, site, host) ->
    (its XML or JSON, its expected item or None), with k = first + n * stride + i picking its words and time;
    document(n, site, host, stories) -> the document; content_type and url may depend on n."""
    for n in range(count):
        site, host = pick(SITES, n + site_offset)
        stories = [story(n, i, first + n * stride + i, site, host) for i in range(per_document(n))]
        add(f"{name}-{n:02d}.{ext}", document(n, site, host, [written for written, _ in stories]),
            content_type(n) if callable(content_type) else content_type, fmt, [e for _, e in stories if e is not None],
            url=url(n, host) if url else None)
