"""Fast paths in parsing (feedparser's link join, canonical links, HTML to text) give exactly
what the general path gives, for the inputs they take and the ones they must leave alone."""

from __future__ import annotations

import calendar
import copy
import itertools
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import feedparser.mixin
import feedparser.urls
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.fetch import feedparser_patches
from core.fetch import html as html_module
from core.fetch import parse as parse_module  # installs the replacements
from core.fetch.html import html_to_text, parsed_text

BASES = [
    "",
    "http://feed.example/dir/feed.xml",
    "https://feed.example/",
    "HTTP://Feed.Example:8080/a;b?c#d",
    "ftp://files.example/x/",
    "mailto:desk@example.org",
    "http://[::1]/feed",
    "http://[::1/feed",  # urlsplit raises: the join gives ''
    "http://[bad]/feed",
    "http://\uff41.example/",  # NFKC changes the host
    "http://a\u2100b.example/",  # NFKC makes a '/' of it: urlsplit raises
    "relative/base",
    " http://spaced.example/ ",
]
URI_CHARS = "aZ09.-_~!$&'()*+,;=:@/%?#[]\\ \t\n\u00e9\x00"
uris = st.builds(
    lambda scheme, host, rest: scheme + host + rest,
    st.sampled_from(["http://", "https://", "HTTP://", "ftp://", "http:///", "//", "", "http:"]),
    st.text(alphabet="aZ09.-:@[]\u00e9 ", max_size=12),
    st.text(alphabet=URI_CHARS, max_size=20),
)


def original_urljoin(base: str, uri: str) -> str:
    with feedparser_patches.original_feedparser():
        return str(feedparser.urls._urljoin(base, uri))


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.sampled_from(BASES), st.text(max_size=20)), uris)
def test_the_link_join_gives_what_feedparser_gives(base: str, uri: str) -> None:
    assert feedparser.mixin._urljoin(base, uri) == original_urljoin(base, uri)


def test_the_link_join_answers_plain_links_at_once_and_keeps_the_rest() -> None:
    for base in BASES:
        for uri in (
            "http://pub.example/story/1",
            "https://Pub.Example/a/b.html",
            "http://pub.example",
            "http://pub.example/a;b",
            "http://pub.example/a;",
            "http://pub.example/;",
            "http://pub.example/a/b/",
            "http://pub.example:80/a",
            "http://user@pub.example/a",
            "http://pub.example/a%20b/c:d@e",
            "http://pub.example/a?",
            "http://pub.example/a#",
            "HTTP://pub.example/a",
            "http:///pub.example/a",
            "story/2",
            "../up",
        ):
            assert feedparser.mixin._urljoin(base, uri) == original_urljoin(base, uri)
    assert feedparser.mixin._urljoin("http://[::1/feed", "http://pub.example/a") == ""
    for name in ("mixin", "urls"):
        replaced = feedparser_patches._ORIGINALS[f"feedparser.{name}._urljoin"]
        assert getattr(feedparser, name)._urljoin is not replaced


def general_canonical_url(url: str) -> str:
    """canonical_url with its fast path for plain URLs switched off."""
    plain = parse_module._PLAIN_URL
    parse_module._PLAIN_URL = re.compile("(?!)")
    try:
        return parse_module.canonical_url(url)
    finally:
        parse_module._PLAIN_URL = plain


URL_CHARS = "aZ09.-_~!$&'()*+,;=:@/%?#[] \x1b\u00e9\u200b"
urls = st.builds(
    lambda scheme, host, rest: scheme + host + rest,
    st.sampled_from(["http://", "https://", "HTTP://", "Https://", "ftp://", "http:///", "//", ""]),
    st.text(alphabet="abZ09.-:@[]\u00e9", max_size=12),
    st.text(alphabet=URL_CHARS, max_size=24),
)


def outcome(function: Callable[[str], str], url: str) -> str:
    """What `function` gives, or the error it raises (the general path raises on bad hosts)."""
    try:
        return function(url)
    except ValueError as error:
        return f"ValueError: {error}"


@settings(max_examples=600, deadline=None)
@given(urls)
def test_a_canonical_url_is_what_the_general_path_makes(url: str) -> None:
    assert outcome(parse_module.canonical_url, url) == outcome(general_canonical_url, url)


def test_plain_urls_are_canonical_as_they_are_and_others_are_not_taken_as_plain() -> None:
    for url in (
        "http://pub.example/story/1",
        "https://pub.example",
        "http://pub.example/a;b/c;",
        "http://Pub.example/a",
        "http://pub.example:80/a",
        "https://pub.example:443",
        "http://pub.example/a?utm_source=x",
        "http://pub.example/a?",
        "http://pub.example/a#top",
        "http://pub.example/a b",
        "http://pub.example/\u00e9",
        "HTTP://pub.example/a",
    ):
        assert parse_module.canonical_url(url) == general_canonical_url(url)
    assert parse_module.canonical_url("https://pub.example") == "https://pub.example/"


any_char = st.characters(codec=None, exclude_categories=())
paragraph_text = st.text(alphabet=st.one_of(any_char, st.sampled_from(" \n\t\r\x00<>&;#é")))
paragraphs = st.lists(
    st.tuples(paragraph_text, st.sampled_from(["", " ", "\n", " \n  ", "\t", "\r\n"])),
    min_size=1,
    max_size=4,
).map(lambda pairs: "".join(f"<p>{text}</p>{gap}" for text, gap in pairs))


@settings(max_examples=1500, deadline=None)
@given(paragraphs, st.sampled_from([200_000, 1000, 5]))
def test_plain_paragraphs_give_what_the_html_parser_gives(markup: str, limit: int) -> None:
    assert html_to_text(markup, limit) == parsed_text(markup, limit)


ascii_paragraphs = st.lists(
    st.tuples(
        st.text(alphabet="ab .\n", max_size=8).map(lambda text: text.replace("..", "  ")),
        st.sampled_from(["", " ", "\n", " \n  ", "\n\n\n"]),
    ),
    min_size=1,
    max_size=4,
).map(lambda pairs: "".join(f"<p>{text}</p>{gap}" for text, gap in pairs))


@settings(max_examples=800, deadline=None)
@given(ascii_paragraphs, st.sampled_from([200_000, 7, 1, 0]))
def test_ascii_paragraphs_give_what_the_html_parser_gives(markup: str, limit: int) -> None:
    """One-line paragraphs are joined at once; any with a line break go through clean_plain."""
    assert html_to_text(markup, limit) == parsed_text(markup, limit)


def test_paragraph_markup_that_is_not_plain_goes_through_the_html_parser() -> None:
    for markup in (
        "<p>one</p>",
        "<p>one</p>\n<p>two  words</p> ",
        "<p> spaced </p>  <p></p><p>\u00e9\u0301 \U0001f600</p>",
        "<p>a &amp; b</p>",
        "<p>a<br>b</p>",
        "<p>a\x0cb\x85c</p>",
        "<p>x\ud800y</p>",
        "<p>a\r\nb</p>",
        "<P>a</P>",
        "<p>a</p>tail",
        " <p>a</p>",
        "<p>a</p><p>b",
    ):
        assert html_to_text(markup) == parsed_text(markup)
    assert html_to_text("<p>one</p>\n<p>two</p>") == "one\n\ntwo"


def split_plain_paragraphs(markup: str) -> str | None:
    """_plain_paragraphs as first written (split on '<p>', partition at '</p>', a deleting
    translate for controls): the fast path's own fast path must read markup the same way."""
    if not markup.startswith("<p>"):
        return None
    texts: list[str] = []
    parts: list[str] = []
    for piece in markup[3:].split("<p>"):
        text, end, gap = piece.partition("</p>")
        if not end or (gap and gap.strip(" \n")) or "<" in text or ">" in text or "&" in text:
            return None
        texts.append(text)
        parts += (text, "\n\n", gap)
    if markup.isascii():
        data = markup.encode("ascii")
        controls = bytes(range(0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f"
        if len(data.translate(None, controls)) != len(data):
            return None
    elif not all(text.isprintable() for text in texts):
        return None
    return "".join(parts)


# Paragraph-like markup, mostly well formed, with near misses for every mark.
near_paragraphs = st.lists(
    st.tuples(
        st.sampled_from(["<p>"] * 12 + ["<P>", "<", "<x>", "", "<p", "p>"]),
        st.one_of(
            st.text(alphabet="ab \n\u00e9", max_size=4),
            st.text(alphabet="ab <>&\n\t\r\x00\x7f\u00e9", max_size=4),
        ),
        st.sampled_from(["</p>"] * 12 + ["</P>", "</", ">", "", "</p", "<p>"]),
        st.sampled_from(["", " ", "\n", " \n "] * 3 + ["\t", "x", "&", "<"]),
    ),
    min_size=1,
    max_size=4,
).map(lambda pieces: "".join(a + b + c + d for a, b, c, d in pieces))


@settings(max_examples=1500, deadline=None)
@given(st.one_of(paragraphs, near_paragraphs))
def test_plain_paragraphs_are_read_as_splitting_reads_them(markup: str) -> None:
    assert html_module._plain_paragraphs(markup) == split_plain_paragraphs(markup)


@settings(max_examples=800, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="ab  .<>&;#\n\t\r\x00\x7f\u00e9", max_size=12),
        st.text(max_size=12),
        st.text(alphabet="ab", min_size=990, max_size=1010).map(lambda text: f" {text}  x "),
    )
)
def test_a_plain_title_is_what_html_to_text_and_clean_line_make_of_it(raw: str) -> None:
    expected = parse_module.clean_line(html_to_text(raw, 1000).replace("\n", " "))
    assert parse_module._entry_title(raw) == expected


def timestamp_entry_time(value: time.struct_time) -> datetime | None:
    """A feed time through the timestamp, as first written."""
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


@settings(max_examples=500, deadline=None)
@given(
    st.tuples(
        st.one_of(st.integers(-5, 10_001), st.integers(1960, 2040)),
        st.integers(-1, 14),
        st.integers(-1, 33),
        st.integers(-1, 25),
        st.integers(-1, 61),
        st.integers(-1, 62),
    )
)
def test_an_entry_time_is_what_the_timestamp_gives(fields: tuple[int, ...]) -> None:
    value = time.struct_time((*fields, 0, 1, 0))
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        assert parse_module._entry_time({key: value}) == timestamp_entry_time(value)


def test_feedparser_copies_parameters_as_copy_deepcopy_does() -> None:
    fast = feedparser.mixin.copy
    assert fast is not copy and fast.deepcopy is not copy.deepcopy
    flat = feedparser.FeedParserDict(type="text/html", language=None, base="http://a/", n=1)
    nested = feedparser.FeedParserDict(type="text/html", links=[{"href": "x"}])
    mapped = feedparser.FeedParserDict(type="text/html", updated="2020")
    for value in (flat, nested, mapped, {"a": [1]}, [flat]):
        duplicate = fast.deepcopy(value)
        assert duplicate == copy.deepcopy(value) and type(duplicate) is type(value)
        assert duplicate is not value
    duplicate = fast.deepcopy(nested)
    duplicate["links"][0]["href"] = "y"
    assert nested["links"][0]["href"] == "x"
    assert fast.copy is copy.copy  # other names are the copy module's
    with feedparser_patches.original_feedparser():
        assert feedparser.mixin.copy is copy


SAMPLE_FEEDS = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "feeds").glob("*"))
XHTML_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
<entry><id>urn:1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A &amp; <b>b</b>
&lt;c&gt;</div></title><link href="http://a.example/1"/>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x &lt; y &amp; z</p></div>
</content><summary>plain &amp; &lt;simple&gt;</summary></entry></feed>"""


def test_character_data_is_kept_as_feedparser_keeps_it() -> None:
    mixin = feedparser.mixin._FeedParserMixin
    assert "handle_data" in feedparser_patches._ORIGINALS
    replaced = mixin.handle_data
    for data in (XHTML_ATOM, XHTML_ATOM.replace(b"</feed>", b"<bad")):  # strict, then loose
        patched = repr(feedparser.parse(data))
        with feedparser_patches.original_feedparser():
            assert mixin.handle_data is not replaced
            assert repr(feedparser.parse(data)) == patched


# Entries whose elements feedparser maps to other names (description, guid, RSS 1.0, Atom).
MAPPED_NAMES_RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>
<item><guid>urn:2</guid><description>&lt;p&gt;said &amp; done&lt;/p&gt;</description>
<pubDate>Mon, 03 Feb 2020 10:00:00 GMT</pubDate></item>
<item><title>T</title><link>http://a.example/3</link><description>plain</description>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;longer
text&lt;/p&gt;</content:encoded><dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2020-02-03</dc:date>
</item></channel></rss>"""
RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://a.example/"><title>R</title></channel>
<item rdf:about="http://a.example/4"><title>R1</title><link>http://a.example/4</link>
<description>d</description></item></rdf:RDF>"""
# What entry_to_article reads with the dict's own get (entries and their content/summary).
PLAIN_ENTRY_KEYS = ("id", "link", "title", "content", "summary_detail", "summary")
PLAIN_DETAIL_KEYS = ("value", "type")


def test_the_entry_keys_read_directly_are_ones_feedparser_answers_from_the_dict() -> None:
    documents = [MAPPED_NAMES_RSS, RDF, XHTML_ATOM, *(path.read_bytes() for path in SAMPLE_FEEDS)]
    with feedparser_patches.original_feedparser():
        special = set(feedparser.FeedParserDict.keymap) | {"updated", "updated_parsed"}
        assert special.isdisjoint(PLAIN_ENTRY_KEYS + PLAIN_DETAIL_KEYS)
        for document in documents:
            entries = feedparser.parse(document).entries
            assert entries
            for entry in entries:
                for key in PLAIN_ENTRY_KEYS:
                    assert entry.get(key) == dict.get(entry, key)
                details = [*(entry.get("content") or []), entry.get("summary_detail") or {}]
                for detail, key in itertools.product(details, PLAIN_DETAIL_KEYS):
                    assert detail.get(key) == dict.get(detail, key)


def general_absolute(link: str, base: str) -> str:
    """_absolute without its shortcut for links the join gives back as they are."""
    link = link.strip()
    if not link:
        return ""
    absolute = urljoin(base, link)
    return absolute if urlsplit(absolute).scheme in ("http", "https") else ""


BASES = ["", "http://127.0.0.1/feed/1", "https://b.example/x/y?q#f", "ftp://c/", "feed:x"]


@settings(max_examples=600, deadline=None)
@given(urls, st.one_of(st.sampled_from([*BASES, "http://[::1/feed"]), urls))
def test_a_feed_link_is_what_the_join_makes_of_it(link: str, base: str) -> None:
    assert outcome(lambda url: parse_module._absolute(url, base), link) == outcome(
        lambda url: general_absolute(url, base), link
    )


def test_plain_feed_links_are_taken_as_they_are_and_others_are_joined() -> None:
    for link in ("http://pub.example/", "https://Pub.example/a/../b", " http://p.example/./x/.. "):
        assert parse_module._absolute(link, BASES[1]) == link.strip()
    assert parse_module._absolute("/a", BASES[1]) == "http://127.0.0.1/a"
    assert parse_module._absolute("http://p.example/a;", BASES[1]) == "http://p.example/a"
    with pytest.raises(ValueError):
        parse_module._absolute("http://pub.example/", "http://[::1/feed")
