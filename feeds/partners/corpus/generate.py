#!/usr/bin/env python3
"""Writes the partner-parser corpus: feeds/partners/corpus/documents/* and feeds/partners/corpus/expected.json.

Every document is written here, for NewsFeed, in the shapes real feeds take (WordPress, Blogger,
Substack, Medium, podcasts, news agencies, RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1),
with the mistakes real feeds make. None is copied from another project. expected.json says, for
each document, what the parser should read: its format, and for each item its title, link, date
(published, else updated, in UTC; null when none) and author name (null when none).

Deterministic: run it again and nothing changes (python3 feeds/partners/corpus/generate.py).
"""

import json
import os
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the corpus

import corpus_atom_json  # noqa: E402
import corpus_edges  # noqa: E402
import corpus_encodings  # noqa: E402
import corpus_markup  # noqa: E402
import corpus_rss  # noqa: E402
from corpus_lib import DOCUMENTS, HERE, NOW, corpus, expected_date  # noqa: E402


def main():
    if os.path.isdir(DOCUMENTS):
        shutil.rmtree(DOCUMENTS)
    os.makedirs(DOCUMENTS)
    corpus_rss.write_all()
    corpus_atom_json.write_all()
    corpus_edges.write_all()
    corpus_markup.write_all()
    corpus_encodings.write_all()
    names = [d["file"] for d in corpus]
    assert len(names) == len(set(names)), "two documents with one name"
    corpus.sort(key=lambda d: d["file"])
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"now": expected_date(NOW), "documents": corpus}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(corpus)} documents, {sum(len(d['items']) for d in corpus)} items")


if __name__ == "__main__":
    main()
