"""Fast paths in parsing (feedparser's link join, canonical links, HTML to text) give exactly
what the general path gives, for the inputs they take and the ones they must leave alone."""

from __future__ import annotations

import feedparser.urls
from hypothesis import given, settings
from hypothesis import strategies as st

from core.fetch import feedparser_patches
from core.fetch.parse import parse_feed_bytes  # installs the replacements

assert parse_feed_bytes

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
