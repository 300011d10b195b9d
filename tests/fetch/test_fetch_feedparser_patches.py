"""The faster feedparser internals (core/fetch/feedparser_patches.py) change no result."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import feedparser
import pytest
from fetch_helpers import items, rss

from core.fetch import feedparser_patches
from core.fetch.parse import parse_feed_bytes

ROOT = Path(__file__).resolve().parents[2]
FILES = (
    sorted((ROOT / "sample_data" / "feeds").glob("*"))
    + sorted((ROOT / "tests" / "fixtures").rglob("*.atom"))
    + sorted((ROOT / "tests" / "fixtures").rglob("*.rss"))
)

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://a.example/news/" xml:lang="en">
<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>bold</b> wire</div></title>
<subtitle>Sub</subtitle><rights>(c)</rights><updated>2020-02-01T00:00:00Z</updated>
<link rel="license" href="/license"/><id>urn:feed</id>
<entry xml:base="2020/"><id>urn:1</id><title>One</title><link href="one"/>
<link rel="enclosure" href="clip.mp3" type="audio/mpeg" length="10"/>
<category term="war" label="War"/><category term="aid"/>
<published>2020-02-01T08:00:00Z</published>
<content type="xhtml" xml:base="../img/"><div xmlns="http://www.w3.org/1999/xhtml">
<p>Para <a href="x.html">link</a> <img src="i.png"/></p></div></content>
<summary type="html">&lt;p&gt;Short&lt;/p&gt;</summary></entry>
<entry xml:base="http://b.example/wire/"><id>urn:2</id><title type="html">T &amp;amp; U</title>
<link href="../two"/><updated>2020-02-02T08:00:00+02:00</updated>
<content type="text">plain &lt;not a tag&gt;</content></entry>
<entry xml:base="javascript:alert(1)//"><id>urn:3</id><title>Three</title><link href="three"/>
<content type="application/octet-stream" mode="base64">aGVsbG8=</content></entry>
</feed>"""

RSS_EXTRAS = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Extras</title><link>http://x.example/</link><description>Desc</description>
<ttl>30</ttl><copyright>c</copyright><image><url>http://x.example/logo.png</url><title>L</title>
<link>http://x.example/</link></image>
<item><title>A</title><link>http://x.example/a?x=1&amp;y=2</link>
<guid isPermaLink="false">a-1</guid>
<category>War</category><category domain="d">Aid</category><dc:creator>Reporter</dc:creator>
<enclosure url="http://x.example/a.mp3" length="5" type="audio/mpeg"/>
<media:content url="http://x.example/a.jpg" medium="image"/><itunes:keywords>a, b</itunes:keywords>
<description>&lt;p&gt;Summary &amp;amp; more&lt;/p&gt;</description>
<dc:date>2020-02-10T08:00:00Z</dc:date>
</item><item><title>B</title><guid>http://x.example/b</guid>
<pubDate>Mon, 10 Feb 2020 08:00:00 GMT</pubDate>
<description><![CDATA[<b>cdata</b> text]]></description></item></channel></rss>"""

MALFORMED = b'<rss version="2.0"><channel><title>Broken & bad</title><item><title>Fish & chips'
MALFORMED += b"</title><link>/1</link></item><item><title>Two</title><link>/2</link>"

DOCUMENTS = {
    "atom": ATOM,
    "rss-extras": RSS_EXTRAS,
    "malformed": MALFORMED,
    "generated": rss(items(5)),
    **{path.name: path.read_bytes() for path in FILES if path.is_file()},
}


def raw_parse(data: bytes) -> feedparser.FeedParserDict:
    return feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": "http://feed.example/dir/feed.xml"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )


def everything(parsed: feedparser.FeedParserDict) -> str:
    """Every value feedparser gave, including what its mapped and computed keys answer."""
    probes = ("category", "enclosures", "license", "updated", "updated_parsed", "description")
    entries = [
        (repr(e), [repr(e.get(k)) for k in probes], [k in e for k in probes])
        for e in parsed.entries
    ]
    feed = (repr(parsed.feed), [repr(parsed.feed.get(k)) for k in probes])
    return repr((entries, feed, parsed.get("version"), parsed.get("bozo")))


# Probing 'updated' on an entry that has only 'published' makes feedparser warn (issue 310).
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_feedparser_gives_the_same_results_with_and_without_the_replacements(name: str):
    data = DOCUMENTS[name]
    patched = everything(raw_parse(data))
    mine = converted(data)
    with feedparser_patches.original_feedparser():
        assert everything(raw_parse(data)) == patched
        assert converted(data) == mine


def converted(data: bytes) -> str:
    """What sitrep makes of the document (each article's fetch time left out)."""
    parsed = parse_feed_bytes(data, url="http://feed.example/dir/feed.xml")
    articles = [a.model_dump(exclude={"fetched"}) for a in parsed.articles]
    parsed.articles = []
    return repr((parsed, articles))


def test_the_replacements_are_installed():
    mixin = feedparser.mixin
    assert mixin.make_safe_absolute_uri("http://a.example/", "b") == "http://a.example/b"
    assert "__deepcopy__" in vars(feedparser.FeedParserDict)
    with feedparser_patches.original_feedparser():
        assert "__deepcopy__" not in vars(feedparser.FeedParserDict)
    assert "__deepcopy__" in vars(feedparser.FeedParserDict)


def test_the_remembered_join_follows_every_change_of_either_argument():
    calls: list[tuple[str, str | None]] = []

    def join(base: str, rel: str | None = None) -> str:
        calls.append((base, rel))
        return f"{base}|{rel}"

    remembered = feedparser_patches.remembering_last_join(join)
    answers = [remembered(b, r) for b, r in [("a", "a"), ("a", "a"), ("a", "b"), ("c", "b")]]
    assert answers == ["a|a", "a|a", "a|b", "c|b"]
    assert calls == [("a", "a"), ("a", "b"), ("c", "b")]


def test_a_copied_parameter_dict_is_independent_and_keeps_mapped_keys_mapped():
    flat = feedparser.FeedParserDict(type="text/html", language=None, base="http://a/")
    duplicate = copy.deepcopy(flat)
    duplicate["type"] = "text/plain"
    assert flat["type"] == "text/html" and type(duplicate) is feedparser.FeedParserDict
    nested = feedparser.FeedParserDict(links=[{"href": "x"}])
    deep = copy.deepcopy(nested)
    deep["links"][0]["href"] = "y"
    assert nested["links"][0]["href"] == "x"


def test_only_sax_drivers_that_can_be_found_stay_preferred():
    assert feedparser_patches.installed_drivers(["no_such_sax_driver_xyz", "json"]) == ["json"]
    preferred = feedparser.api.PREFERRED_XML_PARSERS
    assert preferred == feedparser_patches.installed_drivers(preferred)
    with feedparser_patches.original_feedparser():
        shipped = feedparser.api.PREFERRED_XML_PARSERS
    assert feedparser_patches.installed_drivers(shipped) == preferred
    assert preferred == feedparser.api.PREFERRED_XML_PARSERS  # installed again
