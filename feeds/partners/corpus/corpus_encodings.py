"""Bytes in the encodings partner feeds use, declared in the XML declaration, in the HTTP charset, in both
(disagreeing), or nowhere; UTF-8 under a Latin label; byte order marks; UTF-16."""

from corpus_dates import rfc822
from corpus_lib import add, atom, esc, item, json_feed, rss, when
from corpus_text import LANGUAGES

LABELS = {"euc_jp": "EUC-JP", "shift_jis": "Shift_JIS", "gb2312": "GB2312", "euc_kr": "EUC-KR", "koi8_r": "KOI8-R",
          "cp1251": "windows-1251", "cp1252": "windows-1252", "latin_1": "ISO-8859-1", "iso8859_15": "ISO-8859-15"}
# The detector reads these when nothing is declared; Latin text undeclared is read as windows-1252, which
# agrees with ISO-8859-1 on every letter (not with ISO-8859-15, so that one is never left undeclared).
UNDECLARED_OK = {"euc_jp", "shift_jis", "gb2312", "euc_kr", "koi8_r", "cp1251", "cp1252", "latin_1"}


def stories(lang, codec, n):
    pairs = list(LANGUAGES[lang][0])
    if codec in ("cp1252", "iso8859_15"):
        pairs.append(("Prix du ticket : 2 € de plus", "Le ticket de tram coûte désormais deux euros de plus."))
    if codec == "cp1252":
        pairs.append(("\u201cGuillemets anglais\u201d \u2013 et tirets", "Les typographes s\u2019en m\u00e9fient."))
    items, expected = [], []
    for i, (title, summary) in enumerate(pairs):
        k = n * 10 + i
        link = f"https://{lang}.encodings.example/{codec}/{k}"
        items.append((title, summary, link, when(k + 2)))
        expected.append(item(title, link, when(k + 2), "Desk"))
    return items, expected


def rss_document(items, declaration):
    xml = [f"<item><title>{esc(t)}</title><link>{link}</link><description>{esc(s)}</description><pubDate>{rfc822(d)}</pubDate>"
           f"<dc:creator>Desk</dc:creator></item>\n" for t, s, link, d in items]
    return rss(xml, title="Encodings", declaration=declaration)


def atom_document(items, declaration):
    xml = [f"<entry><id>{link}</id><title>{esc(t)}</title><link href=\"{link}\"/><summary>{esc(s)}</summary>"
           f"<published>{d.strftime('%Y-%m-%dT%H:%M:%SZ')}</published><author><name>Desk</name></author></entry>\n" for t, s, link, d in items]
    return atom(xml, title="Encodings", declaration=declaration)


def legacy():
    n = 0
    for lang, (_, codecs) in LANGUAGES.items():
        for codec in codecs:
            label = LABELS[codec]
            variants = [("declared", f'<?xml version="1.0" encoding="{label}"?>', "application/rss+xml", rss_document),
                        ("http", '<?xml version="1.0"?>', f"application/atom+xml; charset={label}", atom_document)]
            if codec in UNDECLARED_OK:
                variants.append(("undeclared", '<?xml version="1.0"?>', "application/rss+xml", rss_document))
            for variant, declaration, content_type, write in variants:
                items, expected = stories(lang, codec, n)
                fmt = "Atom 1.0" if write is atom_document else "RSS 2.0"
                add(f"encoding-{lang}-{codec.replace('_', '')}-{variant}.{'atom' if fmt == 'Atom 1.0' else 'rss'}",
                    write(items, declaration).encode(codec), content_type, fmt, expected)
                n += 1


def labels():
    items, expected = stories("fr", "cp1252", 90)
    utf8 = [("iso-8859-1", '<?xml version="1.0" encoding="ISO-8859-1"?>', "application/rss+xml"),
            ("windows-1252", '<?xml version="1.0" encoding="windows-1252"?>', "application/rss+xml"),
            ("iso-8859-15", "<?xml version='1.0' encoding='iso-8859-15'?>", "application/rss+xml"),
            ("us-ascii", '<?xml version="1.0" encoding="US-ASCII"?>', "application/rss+xml"),
            ("http-iso-8859-1", '<?xml version="1.0" encoding="utf-8"?>', "text/xml; charset=ISO-8859-1"),
            ("http-latin1-no-declaration", '<?xml version="1.0"?>', "application/rss+xml; charset=latin1")]
    # UTF-8 under a single-byte Latin label (a default in a CMS or server): read as UTF-8.
    for name, declaration, content_type in utf8:
        add(f"utf8-labelled-{name}.rss", rss_document(items, declaration).encode("utf-8"), content_type, "RSS 2.0", expected)
    # RFC 7303: the HTTP charset first; a UTF-8 charset the bytes are not is passed over for the declaration.
    add("charset-http-utf8-declared-1252.rss", rss_document(items, '<?xml version="1.0" encoding="windows-1252"?>').encode("cp1252"),
        "application/rss+xml; charset=utf-8", "RSS 2.0", expected)
    ru_items, ru_expected = stories("ru", "koi8_r", 91)
    add("charset-http-koi8r-declared-1251.rss", rss_document(ru_items, '<?xml version="1.0" encoding="windows-1251"?>').encode("koi8_r"),
        "application/rss+xml; charset=KOI8-R", "RSS 2.0", ru_expected)
    # "ISO-8859-1" that carries windows-1252's curly apostrophe (0x92), as browsers read it.
    title = "L'heure d'été commence"
    body = rss_document([(title, "Résumé.", "https://fr.encodings.example/92", when(7))], '<?xml version="1.0" encoding="iso-8859-1"?>')
    add("latin1-with-0x92.rss", body.encode("latin_1").replace(b"L'heure d'", b"L\x92heure d\x92"), "text/xml", "RSS 2.0",
        [item("L\u2019heure d\u2019été commence", "https://fr.encodings.example/92", when(7), "Desk")])


def unicode_forms():
    items, expected = stories("ja", "utf-8", 95)
    text = rss_document(items, '<?xml version="1.0" encoding="utf-16"?>')
    add("utf16le-bom.rss", b"\xff\xfe" + text.encode("utf-16-le"), "application/rss+xml", "RSS 2.0", expected)
    add("utf16le-no-bom.rss", text.encode("utf-16-le"), "application/xml", "RSS 2.0", expected)
    atom_text = atom_document(items, '<?xml version="1.0" encoding="UTF-16"?>')
    add("utf16be-bom.atom", b"\xfe\xff" + atom_text.encode("utf-16-be"), "application/atom+xml; charset=utf-8", "Atom 1.0", expected)
    add("utf8-bom-declared-utf16.rss", b"\xef\xbb\xbf" + rss_document(items, '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-8"),
        "application/rss+xml", "RSS 2.0", expected)
    json_items = [{"id": link, "url": link, "title": t, "summary": s, "date_published": d.strftime("%Y-%m-%dT%H:%M:%SZ"), "authors": [{"name": "Desk"}]}
                  for t, s, link, d in items]
    add("json-utf8-bom.json", b"\xef\xbb\xbf" + json_feed(json_items, title="Encodings").encode("utf-8"), "application/feed+json", "JSON Feed 1.1", expected)
    add("json-utf8-labelled-iso-8859-1.json", json_feed(json_items, title="Encodings").encode("utf-8"), "application/json; charset=iso-8859-1",
        "JSON Feed 1.1", expected)
    fr_items, fr_expected = stories("fr", "cp1252", 96)
    fr_json = [{"id": link, "url": link, "title": t, "date_published": d.strftime("%Y-%m-%dT%H:%M:%SZ"), "author": {"name": "Desk"}} for t, s, link, d in fr_items]
    add("json-windows-1252-undeclared.json", json_feed(fr_json, version="1", title="Encodings").encode("cp1252"), "application/json", "JSON Feed 1.0", fr_expected)


def write_all():
    legacy()
    labels()
    unicode_forms()
