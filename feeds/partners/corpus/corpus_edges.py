"""The hard cases, one concern per document: every date style, author forms, missing fields, pictures without
words, shared guids, nesting too deep, entities and CDATA, Atom text constructs, namespaces, relative URLs."""

import datetime as dt

from corpus_dates import ISO_STYLES, RFC822_STYLES, rfc822
from corpus_lib import NS_RSS, UTC, add, atom, derive_title, esc, item, json_feed, rss, when
from corpus_text import HEADLINES, SUMMARIES

RSS_TYPE = "application/rss+xml"
LONG = SUMMARIES[11]
DEEP = "<div>" * 120 + "too deep" + "</div>" * 120


def rss_item(title, link, date_xml="", extra=""):
    return f"<item><title>{esc(title)}</title><link>{link}</link>{date_xml}{extra}</item>\n"


def dates():
    for s, (name, style) in enumerate(RFC822_STYLES):
        items, expected = [], []
        for i, instant in enumerate([when(s + 3), dt.datetime(2025, 9, 3, 19, 5, 9, tzinfo=UTC) + dt.timedelta(days=s)]):
            written, date = style(instant)
            title, link = f"{HEADLINES[(s + i) % len(HEADLINES)]} [{name}]", f"https://dates.example/rss/{s}/{i}"
            items.append(rss_item(title, link, f"<pubDate>{esc(written)}</pubDate>"))
            expected.append(item(title, link, date))
        add(f"dates-rfc822-{s:02d}.rss", rss(items, title="Dates"), RSS_TYPE, "RSS 2.0", expected)
    for s, (name, style) in enumerate(ISO_STYLES):
        entries, expected = [], []
        for i, instant in enumerate([when(s + 5), dt.datetime(2025, 2, 28, 23, 59, 30, 250000, tzinfo=UTC) + dt.timedelta(days=s)]):
            written, date = style(instant)
            title, link = f"{HEADLINES[(s + i + 7) % len(HEADLINES)]} [{name}]", f"https://dates.example/atom/{s}/{i}"
            entries.append(f"<entry><id>urn:dates:{s}:{i}</id><title>{esc(title)}</title><link href=\"{link}\"/><published>{written}</published>"
                           "<updated>2026-11-23T00:00:00Z</updated></entry>\n")
            expected.append(item(title, link, date))
        add(f"dates-iso-{s:02d}.atom", atom(entries, title="Dates"), "application/atom+xml", "Atom 1.0", expected)
    # Which date counts: the first readable, not in the future, published before updated.
    future, past = dt.datetime(2027, 1, 5, 9, 0, tzinfo=UTC), when(40)
    cases = [
        ("future pubDate", f"<pubDate>{rfc822(future)}</pubDate>", None),
        ("future pubDate, atom:updated", f"<pubDate>{rfc822(future)}</pubDate><atom:updated>{past.strftime('%Y-%m-%dT%H:%M:%SZ')}</atom:updated>", past),
        ("unreadable pubDate, dc:date", f"<pubDate>the day after tomorrow</pubDate><dc:date>{past.strftime('%Y-%m-%dT%H:%M:%SZ')}</dc:date>", past),
        ("dcterms:issued", f"<dcterms:issued>{past.strftime('%Y-%m-%d')}</dcterms:issued>", past.replace(hour=0, minute=0, second=0)),
        ("dcterms:created", f"<dcterms:created>{past.strftime('%Y-%m-%dT%H:%M:%S+00:00')}</dcterms:created>", past),
        ("dcterms:modified only", f"<dcterms:modified>{past.strftime('%Y-%m-%dT%H:%M:%SZ')}</dcterms:modified>", past),
        ("dc:date, year and month", "<dc:date>2026-10</dc:date>", dt.datetime(2026, 10, 1, tzinfo=UTC)),
        ("no date at all", "", None),
        ("a day ahead is allowed", f"<pubDate>{rfc822(dt.datetime(2026, 11, 25, 6, 0, tzinfo=UTC))}</pubDate>", dt.datetime(2026, 11, 25, 6, 0, tzinfo=UTC)),
    ]
    items = [rss_item(f"Which date: {name}", f"https://dates.example/which/{i}", xml) for i, (name, xml, _) in enumerate(cases)]
    expected = [item(f"Which date: {name}", f"https://dates.example/which/{i}", date) for i, (name, _, date) in enumerate(cases)]
    add("dates-which.rss", rss(items, title="Dates", ns=NS_RSS + ' xmlns:dcterms="http://purl.org/dc/terms/"'), RSS_TYPE, "RSS 2.0", expected)


def authors():
    forms = [
        ("<author>editor@authors.example (Example Editor)</author>", "Example Editor"),
        ("<author>Example Editor &lt;editor@authors.example&gt;</author>", "Example Editor"),
        ("<author>&quot;Example Editor&quot; &lt;mailto:editor@authors.example&gt;</author>", "Example Editor"),
        ("<author>Example Editor (editor@authors.example)</author>", "Example Editor"),
        ("<author>editor@authors.example</author>", None),
        ("<author>mailto:editor@authors.example</author>", None),
        ("<author>desk@authors.example</author><dc:creator>Desk Writer</dc:creator>", "Desk Writer"),
        ("<dc:creator>desk@authors.example</dc:creator><author>desk@authors.example (Night Desk)</author>", "Night Desk"),
        ("<author>Sam Example</author>", "Sam Example"),
        ("<dc:creator><![CDATA[  Élodie   Marchand ]]></dc:creator>", "Élodie Marchand"),
    ]
    items = [rss_item(f"Author form {i}", f"https://authors.example/{i}", extra=xml) for i, (xml, _) in enumerate(forms)]
    add("authors.rss", rss(items, title="Authors"), RSS_TYPE, "RSS 2.0",
        [item(f"Author form {i}", f"https://authors.example/{i}", None, name) for i, (_, name) in enumerate(forms)])
    entries = ['<entry><id>a0</id><title>Named</title><author><name>Atom Writer</name><email>w@authors.example</email></author></entry>',
               '<entry><id>a1</id><title>Address only</title><author><name>w@authors.example</name></author></entry>',
               '<entry><id>a2</id><title>No author</title></entry>']
    add("authors.atom", atom(entries, title="Authors", head="<author><name>Feed Editor</name></author>"), "application/atom+xml", "Atom 1.0",
        [item("Named", None, None, "Atom Writer"), item("Address only", None, None, "Feed Editor"), item("No author", None, None, "Feed Editor")])
    items = [{"id": "j0", "title": "Second name counts", "authors": [{"name": "j@authors.example"}, {"name": "JSON Writer"}]},
             {"id": "j1", "title": "Name in parentheses", "authors": [{"name": "j@authors.example (Paren Writer)"}]},
             {"id": "j2", "title": "Feed author", "authors": [{"url": "https://authors.example/"}]}]
    add("authors.json", json_feed(items, title="Authors", authors=[{"name": "Feed Desk"}]), "application/feed+json", "JSON Feed 1.1",
        [item("Second name counts", None, None, "JSON Writer"), item("Name in parentheses", None, None, "Paren Writer"), item("Feed author", None, None, "Feed Desk")])


def missing_fields():
    picture = '&lt;img src="https://pictures.example/p/1.jpg" alt=""&gt;'
    items = [
        (f"<description>{esc(SUMMARIES[10])}</description><link>https://missing.example/1</link>", item(SUMMARIES[10], "https://missing.example/1")),
        (f"<description>&lt;p&gt;{esc(LONG)}&lt;/p&gt;</description>", item(derive_title(LONG))),
        ("<link>https://missing.example/only-link</link>", item("https://missing.example/only-link", "https://missing.example/only-link")),
        ("<title>No link, no date</title>", item("No link, no date")),
        ("<title>  </title><description>  </description>", None),  # nothing at all: skipped
        (f'<guid isPermaLink="false">picture-1</guid><description>{picture}</description><pubDate>{rfc822(when(3))}</pubDate>', item("", None, when(3))),
        ('<guid isPermaLink="false">empty-1</guid><description>&lt;p&gt;&lt;/p&gt;</description>', None),  # shows nothing: skipped
        ("<guid>https://missing.example/permalink</guid><title>Permalink guid</title>", item("Permalink guid", "https://missing.example/permalink")),
        ("<title>Script only</title><description>&lt;script&gt;alert(1)&lt;/script&gt;</description>", item("Script only")),
        ("<title>Bad link</title><link>javascript:alert(1)</link>", item("Bad link")),
    ]
    add("missing-fields.rss", rss([f"<item>{xml}</item>\n" for xml, _ in items], title="Missing"), RSS_TYPE, "RSS 2.0", [e for _, e in items if e])
    # The case: one normal item and one picture with only a guid.
    add("image-only.rss", rss([rss_item("Normal story", "https://pictures.example/normal", f"<pubDate>{rfc822(when(1))}</pubDate>"),
                               f'<item><guid isPermaLink="false">pic-2</guid><description>{picture}</description></item>\n'], title="Pictures"),
        RSS_TYPE, "RSS 2.0", [item("Normal story", "https://pictures.example/normal", when(1)), item("")])
    entries = ['<entry><id>p1</id><content type="html">&lt;img src="/p/2.jpg"&gt;</content><updated>2026-11-20T10:00:00Z</updated></entry>',
               '<entry><id>p2</id><title>Words</title><updated>2026-11-20T11:00:00Z</updated></entry>']
    add("image-only.atom", atom(entries, title="Pictures"), "application/atom+xml", "Atom 1.0",
        [item("", None, dt.datetime(2026, 11, 20, 10, tzinfo=UTC)), item("Words", None, dt.datetime(2026, 11, 20, 11, tzinfo=UTC))])
    add("image-only.json", json_feed([{"id": "p1", "content_html": "<figure><img src=\"https://pictures.example/3.jpg\"></figure>"},
                                      {"id": "p2", "content_html": "<p></p>"}, {"id": "p3", "title": "Words"}], title="Pictures"),
        "application/feed+json", "JSON Feed 1.1", [item(""), item("Words")])


def identity():
    shared = [rss_item(f"Series part {i}", f"https://ids.example/series/{i}", extra='<guid isPermaLink="false">series-guid</guid>') for i in range(1, 4)]
    repeat = rss_item("Repeated exactly", "https://ids.example/r", extra='<guid isPermaLink="false">r-1</guid>')
    same_guid_link = rss_item("Same guid and link, new text", "https://ids.example/r", extra='<guid isPermaLink="false">r-1</guid>')
    no_guid = [rss_item("Link only", "https://ids.example/l"), rss_item("Link only again", "https://ids.example/l")]
    add("shared-guids.rss", rss(shared + [repeat, repeat, same_guid_link] + no_guid, title="Ids"), RSS_TYPE, "RSS 2.0",
        [item(f"Series part {i}", f"https://ids.example/series/{i}") for i in range(1, 4)]
        + [item("Repeated exactly", "https://ids.example/r"), item("Link only", "https://ids.example/l")])
    entries = [f'<entry><id>tag:ids.example,2026:one</id><title>Edition {i}</title><link href="https://ids.example/e/{i}"/></entry>' for i in range(3)]
    add("shared-ids.atom", atom(entries, title="Ids"), "application/atom+xml", "Atom 1.0", [item(f"Edition {i}", f"https://ids.example/e/{i}") for i in range(3)])
    items = [{"id": "same", "url": f"https://ids.example/j/{i}", "title": f"JSON {i}"} for i in range(3)] + [{"id": "same", "url": "https://ids.example/j/0", "title": "JSON 0 again"}]
    add("shared-ids.json", json_feed(items, title="Ids"), "application/feed+json", "JSON Feed 1.1", [item(f"JSON {i}", f"https://ids.example/j/{i}") for i in range(3)])


def depth():
    items = [rss_item("Before the deep one", "https://deep.example/1"), rss_item("Deep", "https://deep.example/2", extra=f"<description>{DEEP}</description>"),
             rss_item("After the deep one", "https://deep.example/3")]
    add("deep-middle.rss", rss(items, title="Deep"), RSS_TYPE, "RSS 2.0", [item("Before the deep one", "https://deep.example/1"), item("After the deep one", "https://deep.example/3")])
    entries = [f'<entry><id>d1</id><title>Deep first</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{DEEP}</div></content></entry>',
               '<entry><id>d2</id><title>Then a normal one</title></entry>']
    add("deep-first.atom", atom(entries, title="Deep"), "application/atom+xml", "Atom 1.0", [item("Then a normal one")])
    deep_json = {"id": "x", "title": "Deep JSON"}
    inner = deep_json
    for _ in range(120):
        inner["_ext"] = {}
        inner = inner["_ext"]
    add("deep.json", json_feed([{"id": "a", "title": "Shallow"}, deep_json, {"id": "b", "title": "Shallow too"}], title="Deep").replace("\n", ""),
        "application/feed+json", "JSON Feed 1.1", [item("Shallow"), item("Shallow too")])


def write_all():
    dates()
    authors()
    missing_fields()
    identity()
    depth()
