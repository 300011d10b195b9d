"""OPML in and out: a round trip keeps every feed, title, site link and category."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.fetch.opml import OpmlError, parse_opml, write_opml
from core.models import Feed

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="Syria">
    <outline text="Levant Wire" type="rss" xmlUrl="https://levant.example/rss" htmlUrl="https://levant.example/"/>
    <outline text="Monitors">
      <outline text="Casualty Watch" title="Casualty Watch (EN)" xmlUrl="http://cw.example/feed"/>
    </outline>
  </outline>
  <outline text="Tagged" xmlUrl="https://tag.example/atom" category="/Aid/Cross-border,/Other"/>
  <outline text="Loose" xmlUrl="https://loose.example/rss"/>
  <outline text="Duplicate" xmlUrl="https://loose.example/rss"/>
  <outline text="Local file" xmlUrl="file:///etc/passwd"/>
</body></opml>"""


def test_outlines_become_feeds_with_titles_links_and_categories():
    problems: list[str] = []
    feeds = parse_opml(OPML, source="mine.opml", problems=problems)
    found = [(f.url, f.title, f.html_url, f.category) for f in feeds]
    assert found == [
        ("https://levant.example/rss", "Levant Wire", "https://levant.example/", "Syria"),
        ("http://cw.example/feed", "Casualty Watch (EN)", None, "Monitors"),
        ("https://tag.example/atom", "Tagged", None, "Aid/Cross-border"),
        ("https://loose.example/rss", "Loose", None, None),
    ]
    assert problems == ["mine.opml: skipped 'file:///etc/passwd' (not an http(s) URL)"]


def test_round_trip_import_export_import_is_identical():
    first = parse_opml(OPML, source="a.opml")
    again = parse_opml(write_opml(first), source="b.opml")
    key = [(f.url, f.title, f.html_url, f.category) for f in first]
    assert [(f.url, f.title, f.html_url, f.category) for f in again] == key


def test_export_escapes_hostile_titles():
    feeds = [Feed(url="https://x.example/rss?a=1&b=2", title='<b>"Quotes" & tags</b>')]
    again = parse_opml(write_opml(feeds), source="x")
    assert (again[0].url, again[0].title) == (feeds[0].url, feeds[0].title)


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "x">]><opml><body/></opml>',
        b'<!DOCTYPE opml SYSTEM "http://evil.example/x.dtd"><opml><body/></opml>',
    ],
    ids=["entity", "external-dtd"],
)
def test_dtds_are_refused(data: bytes):
    with pytest.raises(OpmlError, match=r"^in\.opml: refused"):
        parse_opml(data, source="in.opml")


def test_xxe_in_opml_reads_no_file(tmp_path: Path):
    secret = tmp_path / "s.txt"
    secret.write_text("MARKER-opml-secret")
    data = (
        f'<!DOCTYPE opml [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<opml><body><outline text="&x;" xmlUrl="http://a.example/"/></body></opml>'
    ).encode()
    with pytest.raises(OpmlError):
        parse_opml(data, source="x.opml")


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"<opml><body>", "not well-formed"), (b"<rss/>", "not an OPML document")],
)
def test_broken_or_foreign_documents_name_the_file(data: bytes, reason: str):
    with pytest.raises(OpmlError, match=f"^feeds.opml: {reason}"):
        parse_opml(data, source="feeds.opml")
