"""Markup as feeds write it: entities and CDATA, Atom text constructs, namespaces declared or not, relative URLs
and xml:base, junk around the document, documents cut off, JSON with comments."""

import datetime as dt

from corpus_lib import UTC, add, atom, cdata, item, json_feed, rdf, rss

RSS_TYPE = "application/rss+xml"


def entities():
    cases = [
        ("<title>Caf&eacute; owners &mdash; and their regulars &hellip;</title>", "Café owners — and their regulars …"),
        ("<title>A&nbsp;non-breaking&nbsp;space</title>", "A non-breaking space"),
        ("<title>Windows quotes &#147;as HTML reads them&#148; &#150; dashes</title>", "Windows quotes \u201cas HTML reads them\u201d \u2013 dashes"),
        ("<title>Hex &#x2019;references&#x2019; &amp; decimal &#8364;5</title>", "Hex \u2019references\u2019 & decimal \u20ac5"),
        ("<title>AT&T profits < 5% &unknownthing; as written</title>", "AT&T profits < 5% &unknownthing; as written"),
        ("<title>History of the &amp;lt;blink&amp;gt; tag</title>", "History of the <blink> tag"),
        (f"<title>{cdata('Council <em>approves</em> budget &amp; plan')}</title>", "Council approves budget & plan"),
        ("<title>" + cdata("  Spread\n   over\tlines  ") + "</title>", "Spread over lines"),
        ("<title>Uppercase &AMP; entity, and &lt;3</title>", "Uppercase & entity, and <3"),
        ("<title>Control\u0001 characters\u0008 removed</title>", "Control characters removed"),
        ("<title>Raw <b>bold</b> markup in a title</title>", "Raw bold markup in a title"),
        ("<title>Emoji \U0001F4F0 and astral \U0001D54F</title>", "Emoji \U0001F4F0 and astral \U0001D54F"),
    ]
    items = [f"<item>{xml}<link>https://entities.example/{i}</link></item>\n" for i, (xml, _) in enumerate(cases)]
    add("entities.rss", rss(items, title="Entities"), RSS_TYPE, "RSS 2.0", [item(t, f"https://entities.example/{i}") for i, (_, t) in enumerate(cases)])


def atom_text():
    xhtml = '<div xmlns="http://www.w3.org/1999/xhtml">'
    cases = [
        ("<title type=\"text\">History of the &lt;blink&gt; tag</title>", "History of the <blink> tag"),
        ("<title type=\"html\">History of the &amp;lt;blink&amp;gt; tag</title>", "History of the <blink> tag"),
        (f"<title type=\"xhtml\">{xhtml}History of the &lt;blink&gt; tag</div></title>", "History of the <blink> tag"),
        (f"<title type=\"xhtml\">{xhtml}History of the <code>&lt;blink&gt;</code> tag</div></title>", "History of the <blink> tag"),
        (f"<title type=\"xhtml\"><xhtml:div xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">Prefixed <xhtml:em>div</xhtml:em> &amp; text</xhtml:div></title>", "Prefixed div & text"),
        ("<title type=\"html\">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; escaped</title>", "Bold & escaped"),
        ("<title>Plain &amp; simple</title>", "Plain & simple"),
        ("<title type=\"text\">  Whitespace\n  collapsed  </title>", "Whitespace collapsed"),
        (f"<title type=\"html\">{cdata('CDATA &lt;html&gt; &amp; <i>tags</i>')}</title>", "CDATA <html> & tags"),
    ]
    entries = [f"<entry><id>t{i}</id>{xml}<link href=\"https://text.example/{i}\"/></entry>\n" for i, (xml, _) in enumerate(cases)]
    add("atom-text-constructs.atom", atom(entries, title="Text constructs"), "application/atom+xml", "Atom 1.0",
        [item(t, f"https://text.example/{i}") for i, (_, t) in enumerate(cases)])


def namespaces():
    # Prefixes used without any declaration, and RSS 2.0 in a namespace of its own.
    undeclared = ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Undeclared</title><link>https://ns.example/</link>\n'
                  '<item><title>Media without xmlns</title><link>https://ns.example/1</link><media:thumbnail url="https://ns.example/1.jpg"/>'
                  '<dc:creator>Kofi Mensah</dc:creator></item>\n'
                  '<item><title>GeoRSS without xmlns</title><link>https://ns.example/2</link><georss:point>51.5 -0.1</georss:point>'
                  '<feedburner:origLink>https://ns.example/orig/2</feedburner:origLink></item>\n</channel></rss>\n')
    add("namespaces-undeclared.rss", undeclared, "text/xml", "RSS 2.0",
        [item("Media without xmlns", "https://ns.example/1", None, "Kofi Mensah"), item("GeoRSS without xmlns", "https://ns.example/2")])
    userland = ('<?xml version="1.0"?>\n<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>Userland</title>'
                '<item><title>Namespaced RSS 2.0</title><link>https://ns.example/u</link><author>u@ns.example (User Land)</author></item></channel></rss>\n')
    add("namespaces-userland.rss", userland, "text/xml", "RSS 2.0", [item("Namespaced RSS 2.0", "https://ns.example/u", None, "User Land")])
    prefixed = ('<?xml version="1.0"?>\n<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>Prefixed</a:title>'
                '<a:entry><a:id>p1</a:id><a:title>Prefixed Atom</a:title><a:link href="https://ns.example/p"/><a:updated>2026-11-22T08:00:00Z</a:updated>'
                '<a:author><a:name>Prefix Writer</a:name></a:author></a:entry></a:feed>\n')
    add("namespaces-prefixed.atom", prefixed, "application/atom+xml", "Atom 1.0",
        [item("Prefixed Atom", "https://ns.example/p", dt.datetime(2026, 11, 22, 8, tzinfo=UTC), "Prefix Writer")])


def relative_urls():
    entries = ['<entry xml:base="/archive/2026/"><id>r1</id><title>Entry base</title><link href="november.html"/></entry>',
               '<entry><id>r2</id><title>Feed base</title><link href="../shared/story.html"/></entry>',
               '<entry><id>r3</id><title>Absolute path</title><link href="/top-level"/></entry>',
               '<entry><id>r4</id><title>Protocol-relative</title><link href="//cdn.base.example/x"/></entry>',
               '<entry><id>r5</id><title>Link base</title><link xml:base="https://other.example/dir/" href="page?a=1&amp;b=2"/></entry>',
               '<entry><id>r6</id><title>Not http</title><link href="ftp://base.example/file"/></entry>']
    add("xml-base.atom", atom(entries, title="Bases", root_attrs=' xml:base="https://base.example/feeds/main/"'), "application/atom+xml", "Atom 1.0",
        [item("Entry base", "https://base.example/archive/2026/november.html"), item("Feed base", "https://base.example/feeds/shared/story.html"),
         item("Absolute path", "https://base.example/top-level"), item("Protocol-relative", "https://cdn.base.example/x"),
         item("Link base", "https://other.example/dir/page?a=1&b=2"), item("Not http")])
    items = ['<item><title>Relative link</title><link>stories/1.html</link></item>',
             '<item xml:base="https://items.example/base/"><title>Item base</title><link>two.html</link></item>',
             '<item><title>Spaces and lines</title><link>\n   https://rel.example/with space\n</link></item>',
             '<item><title>Root relative</title><link>/three</link></item>']
    add("relative-links.rss", rss(items, title="Relative", channel_attrs=' xml:base="https://channel.example/news/"'), RSS_TYPE, "RSS 2.0",
        [item("Relative link", "https://channel.example/news/stories/1.html"), item("Item base", "https://items.example/base/two.html"),
         item("Spaces and lines", "https://rel.example/with%20space"), item("Root relative", "https://channel.example/three")])
    add("relative-links.rdf", rdf(['<item rdf:about="r1"><title>RDF relative</title><link>r/1</link></item>\n'], title="Relative"),
        "application/rdf+xml", "RSS 1.0", [item("RDF relative", "https://corpus.example/feeds/r/1")])
    add("relative-links.json", json_feed([{"id": "1", "url": "posts/1", "title": "JSON relative"}, {"id": "2", "url": "//cdn.json.example/2", "title": "JSON protocol-relative"}],
                                         title="Relative"), "application/feed+json", "JSON Feed 1.1",
        [item("JSON relative", "https://corpus.example/feeds/posts/1"), item("JSON protocol-relative", "https://cdn.json.example/2")])


def around_the_document():
    body = rss(["<item><title>After the junk</title><link>https://junk.example/1</link></item>"], title="Junk")
    add("junk-before.rss", "<br />\n<b>Warning</b>: Cannot modify header information in /var/www/feed.php on line 2<br />\n" + body,
        "text/html; charset=UTF-8", "RSS 2.0", [item("After the junk", "https://junk.example/1")])
    add("junk-after.rss", body + "<!-- served in 0.04 seconds -->\n<p>debug</p>\n", RSS_TYPE, "RSS 2.0", [item("After the junk", "https://junk.example/1")])
    add("bom-and-blank-lines.rss", b"\xef\xbb\xbf\r\n\n  " + body.encode("utf-8"), RSS_TYPE, "RSS 2.0", [item("After the junk", "https://junk.example/1")])
    full = rss([f"<item><title>Complete {i}</title><link>https://cut.example/{i}</link></item>\n" for i in range(3)], title="Cut")
    add("truncated.rss", full[:full.index("<title>Complete 2") + 12], RSS_TYPE, "RSS 2.0",
        [item(f"Complete {i}", f"https://cut.example/{i}") for i in range(2)])
    json_text = ('{\n  // a comment, as some generators write\n  "version": "https://jsonfeed.org/version/1.1",\n  "title": "Lenient JSON",\n'
                 '  "items": [\n    {"id": "1", "title": "Trailing commas", "url": "https://json.example/1",},\n  ],\n}\n')
    add("json-comments-trailing-commas.json", json_text, "application/json", "JSON Feed 1.1", [item("Trailing commas", "https://json.example/1")])
    doctype = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n  <!ENTITY company "Internal Entity Co">\n  <!ENTITY nbsp "&#160;">\n]>\n'
               '<rss version="2.0"><channel><title>DTD</title><item><title>Never expanded: &company;</title><link>https://dtd.example/1</link></item></channel></rss>\n')
    add("internal-dtd.rss", doctype, "text/xml", "RSS 2.0", [item("Never expanded: &company;", "https://dtd.example/1")])


def write_all():
    entities()
    atom_text()
    namespaces()
    relative_urls()
    around_the_document()

