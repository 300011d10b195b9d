"""The faster feedparser internals (core/fetch/feedparser_patches.py) change no result."""

from __future__ import annotations

import copy
import importlib.util
import io
import random
import xml.sax
import xml.sax.expatreader
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
    problem = parsed.get("bozo_exception")
    others = (parsed.get("version"), parsed.get("bozo"), parsed.get("namespaces"))
    return repr((entries, feed, others, type(problem), str(problem), parsed.get("encoding")))


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
    # none of them is here: feedparser's parser goes to (sitrep's shortcuts to) expat
    assert feedparser_patches.installed_drivers(shipped) == []
    assert preferred == [feedparser_patches.__name__] == feedparser.api.PREFERRED_XML_PARSERS
    assert isinstance(xml.sax.make_parser(preferred), feedparser_patches.FeedExpatParser)


def same_with_and_without_the_replacements(data: bytes) -> None:
    patched = everything(raw_parse(data))
    mine = converted(data)
    with feedparser_patches.original_feedparser():
        assert everything(raw_parse(data)) == patched, data
        assert converted(data) == mine, data


XHTML = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="http://www.w3.org/1999/xhtml" xml:lang="fr_CA">
<title>F</title><id>urn:f</id>
<entry xml:base="http://a.example/one/"><id>urn:1</id><title type="xhtml">
<div xmlns="http://www.w3.org/1999/xhtml">caf\xc3\xa9 <em>\xe2\x80\x93</em></div></title>
<content type="xhtml"><x:div><x:p>A <x:a href="b">b</x:a><x:br/></x:p>
<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>
<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg></x:div></content>
<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">one</div>
<div xmlns="http://www.w3.org/1999/xhtml">two</div></summary></entry>
<entry xml:lang=""><id>urn:2</id><title type="text">T</title>
<content type="html" mode="escaped">&lt;p&gt;&#169; &amp;amp; &#x2019;&lt;/p&gt;</content>
<content type="application/octet-stream" mode="base64">not base64 at all!</content>
<content type="text/plain">a &lt;b&gt;plain&lt;/b&gt; text</content>
<link rel="alternate" href="/two?a=1&amp;b=2"/><updated>2020-02-30T08:00:00Z</updated></entry>
</feed>"""

# Bytes that are mojibake (UTF-8 read as latin-1, re-encoded), C1 controls that feedparser
# maps to their windows-1252 characters, character references, latin-1 and cp1252 documents.
ENCODINGS = {
    "mojibake": rss(
        [
            {
                "title": "caf\u00c3\u00a9 \u00c3\u00a0",
                "link": "http://e.example/\u00c3\u00a9",
                "guid": "g",
                "description": "\u00e2\u0080\u0099 quote \u0085 \u0096 \u0080",
                "pubDate": "Wed, 01 Jan 2020 00:00:00 +0000",
                "content": "<p>\u00c3\u00a9t\u00c3\u00a9</p>",
            }
        ]
    ),
    "latin-1": '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel>'
    "<title>Caf\u00e9</title><item><title>\u00e9l\u00e8ve \u00a0</title><link>http://l.example/"
    "</link><description>\u00ff&#128;&#x9f;&#150;</description></item></channel></rss>".encode(
        "latin-1"
    ),
    "windows-1252": '<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel>'
    "<title>\u2018quoted\u2019 \u2026</title><item><title>\u20ac5 \u2013 \u0160</title>"
    "<guid isPermaLink='false'>\u201c1\u201d</guid></item></channel></rss>".encode("cp1252"),
    "utf-8 without declaration": "<rss version='2.0'><channel><title>\u65e5\u672c \U0001f600"
    "</title><item><title>\u0410\u0411</title></item></channel></rss>".encode(),
    "charrefs": b"<rss version='2.0'><channel><item><title>&#233;&#xE9;&#128;&#x85;&#38;&#60;"
    b"&#8217;</title><description>&#60;b&#62;x&#60;/b&#62; &#x26;amp;</description>"
    b"</item></channel></rss>",
}

HOSTILE = {
    "xhtml": XHTML,
    **ENCODINGS,
    "html entities (loose)": b"<rss version='2.0'><channel><title>&copy; &eacute;&nbsp;&bogus;"
    b"</title><item><title>&hellip; &#150; &#x2019;</title><description><![CDATA[<p>a & b"
    b"</p>]]> &amp; &lt;i&gt;</description><link>http://x.example/?a=1&amp;b=2&amp;c;d</link>"
    b"</item></channel></rss>",
    "cdata": b"<rss version='2.0'><channel><item><title><![CDATA[Fish & <b>chips</b>]]></title>"
    b"<description><![CDATA[]]></description><content:encoded xmlns:content="
    b"'http://purl.org/rss/1.0/modules/content/'><![CDATA[<p>caf\xc3\xa9</p>]]>"
    b"</content:encoded></item></channel></rss>",
    "unclosed cdata (loose)": b"<rss version='2.0'><channel><item><title>a & b</title>"
    b"<description><![CDATA[<p>never closed</description></item>",
    "undeclared prefix": b"<rss version='2.0'><channel><item><dc:creator>me</dc:creator>"
    b"<title>t</title></item></channel></rss>",
    "namespaces redeclared": b"<?xml version='1.0'?><rss version='2.0' xmlns:dc="
    b"'http://purl.org/dc/elements/1.1/' xmlns:n='urn:n'><channel><title>c</title>"
    b"<item><dc:creator>one</dc:creator><n:tag>x</n:tag><title>1</title></item>"
    b"<item xmlns:dc='urn:not-dc' xmlns:n='http://purl.org/dc/elements/1.1/'><dc:creator>two"
    b"</dc:creator><n:creator>three</n:creator><n:tag a='1'>y</n:tag><title>2</title></item>"
    b"<item xmlns='http://purl.org/rss/1.0/'><title>3</title><link>/3</link></item>"
    b"<item xmlns='urn:other' xmlns:o='urn:other'><title>4</title><o:title>5</o:title></item>"
    b"<item><DC:Creator xmlns:DC='HTTP://PURL.ORG/DC/ELEMENTS/1.1/'>six</DC:Creator>"
    b"<TITLE>Upper</TITLE><Link>http://x.example/up</Link></item>"
    b"<item xmlns:b='http://backend.userland.com/rss2'><b:title>userland</b:title></item>"
    b"<item xmlns:a='urn:x'><a:foo>1</a:foo><a:title x='1'>t</a:title></item>"
    b"<item xmlns:a='urn:y'><foo xmlns='urn:x'>2</foo><a:foo>3</a:foo></item>"
    b"<item xmlns:c='urn:x'><c:foo>4</c:foo><foo xmlns='urn:x'>5</foo></item>"
    b"<item><svg xmlns='http://www.w3.org/2000/svg'/><math xmlns='http://www.w3.org/1998/"
    b"Math/MathML'/></item></channel></rss>",
    "xlink": b"<feed xmlns='http://www.w3.org/2005/Atom'><entry xmlns:xlink='http://www.w3.org/"
    b"1999/xlink'><id>1</id><title type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>"
    b"<a xmlns:xlink='http://www.w3.org/1999/xlink'>x</a></div></title></entry></feed>",
    "prefix rebound (loose)": b"<rss version='2.0' xmlns:a='urn:x'><channel><title>T & U</title>"
    b"<item><a:creator>x</a:creator><a:date>2020-01-01</a:date><title>1</title></item>"
    b"<item xmlns:a='http://purl.org/dc/elements/1.1/'><a:creator>y</a:creator><a:date>"
    b"2020-01-02</a:date></item><item xmlns:a='urn:z'><a:creator>z</a:creator></item>"
    b"<item xmlns:a='http://purl.org/dc/elements/1.1/'><a:creator>w</a:creator></item>"
    b"</channel></rss>",
    "prefix rebound": b"<rss version='2.0' xmlns:a='urn:x'><channel><title>T</title>"
    b"<item><a:creator>x</a:creator><a:date>2020-01-01</a:date><title>1</title></item>"
    b"<item xmlns:a='http://purl.org/dc/elements/1.1/'><a:creator>y</a:creator><a:date>"
    b"2020-01-02</a:date></item><item xmlns:a='urn:z'><a:creator>z</a:creator></item>"
    b"<item xmlns:b='http://purl.org/dc/elements/1.1/'><b:creator>w</b:creator></item>"
    b"</channel></rss>",
    # escaped markup before the first child element (which turns the content into xhtml):
    # text pieces that only joined together would look like an enclosing <div>
    "escaped div then xhtml": b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>1</id>"
    b"<content type='html'>&lt;div&gt;<p>x</p><div>y</div></content></entry></feed>",
    "rdf": b"<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'"
    b" xmlns='http://purl.org/rss/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
    b"<channel rdf:about='http://r.example/'><title>R</title><link>http://r.example/</link>"
    b"</channel><item rdf:about='http://r.example/1'><title>One</title><link>"
    b"http://r.example/1</link><dc:date>2020-02-01T10:00:00+01:00</dc:date><description>"
    b"&lt;p&gt;d&lt;/p&gt;</description></item></rdf:RDF>",
    "xml:base chain": b"<feed xmlns='http://www.w3.org/2005/Atom' xml:base='http://a.example/x/'>"
    b"<entry xml:base='../y/'><id>1</id><link href='z'/><author xml:base='mailto:q'><name>N"
    b"</name><uri>u</uri></author><content xml:base='javascript:void(0)' type='html'>"
    b"&lt;a href='r'&gt;r&lt;/a&gt;</content></entry><entry xml:base='http://[bad/'><id>2"
    b"</id><link href='w'/></entry></feed>",
    "atom 0.3": b"<feed version='0.3' xmlns='http://purl.org/atom/ns#'><title mode='escaped'>"
    b"&lt;b&gt;x&lt;/b&gt;</title><entry><title>e</title><content type='text/plain' "
    b"mode='xml'>a &lt;/b&gt; b</content><issued>2004-01-01T00:00:00Z</issued></entry></feed>",
    "plain titles that look like html": b"<rss version='2.0'><channel><title>a &lt;/b&gt;</title>"
    b"<item><title>x &lt;b&gt;y&lt;/b&gt; &amp;amp; &amp;nbsp;</title><title>second</title>"
    b"<description>&lt;blink&gt;z&lt;/blink&gt;</description></item></channel></rss>",
    "truncated": RSS_EXTRAS[: len(RSS_EXTRAS) // 2],
    "garbage": b"\x00\xff<<<>>>&&&<item><title>x",
    "empty elements": b"<rss version='2.0'><channel><title/><link/><item><title/><link/><guid/>"
    b"<pubDate/><description/></item><image><url/><title>i</title><link>/</link><width>x"
    b"</width></image><textInput><title>t</title><name>n</name><link>/t</link></textInput>"
    b"</channel></rss>",
}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_and_odd_documents_parse_the_same_with_and_without_the_replacements(name: str):
    same_with_and_without_the_replacements(HOSTILE[name])


def bench_documents() -> list[bytes]:
    spec = importlib.util.spec_from_file_location(
        "bench_fetch", ROOT / "tests/bench/bench_fetch.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [module.feed_document(index, 20) for index in range(6)]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_bench_documents_parse_the_same_with_and_without_the_replacements():
    for data in bench_documents():
        same_with_and_without_the_replacements(data)


# Pieces the random documents are made of: text of every kind (non-ASCII, mojibake, C1
# controls, entities and character references, CDATA, markup escaped or not), dates in many
# forms, attributes that change the base, the language, the content type or the namespaces.
TEXTS = [
    *("plain words", "caf\u00e9", "\u00c3\u00a9t\u00c3\u00a9", "\u2013 \u2019", "\u0085\u0096"),
    *("\u20ac", "\u65e5\u672c", "&amp;", "&amp;amp;", "&lt;p&gt;para&lt;/p&gt;", "&#150;"),
    *("&#x2019;", "&#169;", "&#60;b&#62;", "<![CDATA[<b>x</b> & y]]>", "  padded  ", "a\u00a0b"),
    *("&lt;blink&gt;no&lt;/blink&gt;", "&lt;/b&gt;", "http://h.example/p?a=1&amp;b=2", "/rel"),
    *("aGVsbG8=", "", " ", "\n", "<b>raw</b>", "&#x80;", "\u00c2\u0080", "\u00e2\u0082\u00ac"),
]
# What makes expat give up, so that feedparser's loose parser reads the document instead.
BROKEN = ["&copy;", "&bogus;", "x & y", "<", "]]>", "<b>", "</i>", "&#0;", "\x01"]
DATES = [
    *("Wed, 01 Jan 2020 00:00:00 +0000", "Wed, 1 Jan 2020 00:00:00 GMT", "01 Jan 2020 00:00 EST"),
    *("Thu, 01 Jan 2020 10:00:00 -0530", "Wed, 01 Jan 20 00:00:00 +0000", "2020-01-01T00:00:00Z"),
    *("2020-01-01", "Wed, 31 Feb 2020 25:00:00 +0000", "Wednesday, 01-Jan-2020 00:00:00 UT"),
    *("Wed, 01 Jan 2020 00:00:00 +0100 (CET)", "garbage", "", "Wed, 01 Jan 2020 00:00:00 Z"),
    *("Wed,01 Jan 2020 00:00:00 PDT", "01 January 2020 00:00:00 +0000", "Wed, 01 Jan 2020"),
    *("Sun, 06 Nov 1994 08:49:37 XYZ", "Wed, 01 Jan 2020 24:00:00 +0000", "wed, 01 jan 2020 1:2:3"),
    *("Fri, 13 Mar 2020 23:59:60 +1400", "Mon, 02 Mar 2020 08:00:00 -0000", " Tue, 3 Mar 2020 "),
]
# Attribute name -> values (one of each name at most, so none is repeated).
ATTRIBUTES = {
    "xml:base": ["http://b.example/dir/", "../up/", "mailto:x", "javascript:x()"],
    "xml:lang": ["de", "", "en_GB"],
    "type": ["html", "xhtml", "text", "application/octet-stream", "text/plain", "TEXT/HTML"],
    "mode": ["base64", "escaped", "xml"],
    "isPermaLink": ["false", "true"],
    "rel": ["enclosure", "alternate", "license"],
    "href": ["e", "http://h.example/x"],
    "xmlns:dc": ["urn:changed", "http://purl.org/dc/elements/1.1/"],
    "xmlns:z": ["http://purl.org/dc/elements/1.1/", "urn:z"],
    "xmlns": ["http://www.w3.org/2005/Atom", "urn:unknown", "http://purl.org/rss/1.0/", ""],
    "Length": ["12"],
}
RSS_ELEMENTS = [
    "title",
    "link",
    "guid",
    "pubDate",
    "description",
    "content:encoded",
    "dc:creator",
    "dc:date",
    "category",
    "author",
    "comments",
    "source",
    "z:subject",
    "u:thing",
    "Title",
    "media:title",
    "itunes:summary",
    "atom:link",
    "summary",
    "updated",
    "id",
    "dc:description",
]
ATOM_ELEMENTS = [
    "title",
    "content",
    "summary",
    "id",
    "updated",
    "published",
    "link",
    "category",
    "rights",
    "subtitle",
    "author",
    "name",
    "email",
    "uri",
    "dc:subject",
    "u:thing",
    "source",
    "xhtml:div",
]
DECLARATIONS = (
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:u="urn:u"'
    ' xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom"'
    ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'
)


def random_document(seed: int) -> bytes:
    """A feed of random entries made of the pieces above; some are malformed on purpose."""
    rng = random.Random(seed)
    atom = rng.random() < 0.35
    names = ATOM_ELEMENTS if atom else RSS_ELEMENTS
    texts = TEXTS + BROKEN if rng.random() < 0.2 else TEXTS

    def attributes() -> str:
        chosen = rng.sample(sorted(ATTRIBUTES), rng.choice([0, 0, 0, 1, 1, 2, 3]))
        return "".join(f' {name}="{rng.choice(ATTRIBUTES[name])}"' for name in chosen)

    def element(depth: int) -> str:
        name = rng.choice(names)
        if name in ("pubDate", "dc:date", "updated", "published") and rng.random() < 0.8:
            body = rng.choice(DATES)
        elif depth < 2 and rng.random() < 0.15:
            body = "".join(element(depth + 1) for _ in range(rng.randint(1, 3)))
        elif rng.random() < 0.1:
            body = f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{rng.choice(texts)}</p></div>'
        else:
            body = "".join(rng.choice(texts) for _ in range(rng.randint(0, 4)))
        attrs = attributes()
        if name.startswith("z:") and "xmlns:z" not in attrs:
            attrs += ' xmlns:z="urn:z"'
        if rng.random() < 0.05:
            return f"<{name}{attrs}/>"
        return f"<{name}{attrs}>{body}</{name}>"

    tag = "entry" if atom else "item"
    entries = []
    for _ in range(rng.randint(0, 6)):
        inner = "".join(element(0) for _ in range(rng.randint(0, 8)))
        entries.append(f"<{tag}{attributes()}>{inner}</{tag}>")
    head = "".join(element(1) for _ in range(rng.randint(0, 3)))
    body = head + "".join(entries)
    if atom:
        text = f'<feed xmlns="http://www.w3.org/2005/Atom"{DECLARATIONS}>{body}</feed>'
    else:
        text = f'<rss version="2.0"{DECLARATIONS}><channel>{body}</channel></rss>'
    encoding = rng.choice(["utf-8", "utf-8", "iso-8859-1", "windows-1252", ""])
    data = (f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else "") + text
    raw = data.encode(encoding or "utf-8", "xmlcharrefreplace")
    if rng.random() < 0.05:
        raw = raw[: rng.randint(0, len(raw))]
    return raw


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("block", range(8))
def test_random_documents_parse_the_same_with_and_without_the_replacements(block: int):
    for seed in range(block * 50, block * 50 + 50):
        same_with_and_without_the_replacements(random_document(seed))


def test_rfc822_dates_are_read_as_feedparser_reads_them():
    """The shortcut for 'Wed, 01 Jan 2020 00:00:00 +0000' gives what feedparser's chain of
    date handlers gives, edge cases included (day 00 or 31 Feb, hour 24, year 0000 or 9999
    shifted past the end by the zone, -0000), and W3DTF never reads such a date."""
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    zones = ["+0000", "-0000", "GMT", "+0530", "-0930", "+2359", "-9999", "+1460"]
    rng = random.Random(822)
    dates = [f"{d}, 01 {m} 2020 12:00:00 {z}" for d in days for m in months for z in zones]
    for _ in range(8_000):
        day = rng.choice([f"{n:02}" for n in range(0, 33)])
        year = rng.choice(["0000", "0001", "1969", "1970", "2020", "2038", "9999"])
        clock = ":".join(f"{rng.randint(0, 61):02}" for _ in range(3))
        dates.append(f"{rng.choice(days)}, {day} {rng.choice(months)} {year} {clock} ")
        dates[-1] += rng.choice(zones)
    w3dtf = feedparser.datetimes.w3dtf._parse_date_w3dtf
    shortcut = feedparser.namespaces._base._parse_date
    assert shortcut is not feedparser.datetimes._parse_date  # the replacement is installed
    for date in dates:
        assert w3dtf(date) is None
        assert shortcut(date) == feedparser.datetimes._parse_date(date), date


def test_feedparser_dicts_store_mapped_and_plain_keys_as_before():
    keys = ["description", "url", "channel", "guid", "date", "category", "updated", "title", 3]

    def filled() -> list[str]:
        results = []
        for key in keys:
            d = feedparser.FeedParserDict(summary="s", tags=[{"term": "t"}])
            d[key] = "first"
            results.append(repr((d.setdefault(key, "second"), d.setdefault("x", key), d)))
            d = feedparser.FeedParserDict(links=[])
            results.append(repr((d.setdefault(key, "third"), d)))
        return results

    mine = filled()
    with feedparser_patches.original_feedparser():
        assert filled() == mine


def test_the_original_feedparser_has_none_of_the_replacements():
    """The comparisons above mean something only if feedparser as shipped is what runs inside
    `original_feedparser()`: every replaced attribute is its own again (and back after)."""
    installed = dict(feedparser_patches._INSTALLED)
    replaced = {name: vars(owner).get(attribute) for name, (owner, attribute) in installed.items()}
    expected = {"pop", "unknown_starttag", "unknown_endtag", "startElementNS", "endElementNS"}
    assert expected | {"track_namespace", "drivers", "__setitem__", "setdefault"} <= set(installed)
    with feedparser_patches.original_feedparser():
        for name, (owner, attribute) in installed.items():
            assert vars(owner).get(attribute) is not replaced[name], name
        mixin = feedparser.mixin._FeedParserMixin
        assert {getattr(mixin, n).__module__ for n in ("pop", "unknown_starttag")} == {
            "feedparser.mixin"
        }
        parser = xml.sax.make_parser(feedparser.api.PREFERRED_XML_PARSERS)
        assert type(parser) is xml.sax.expatreader.ExpatParser
    again = {n: vars(o).get(a) for n, (o, a) in feedparser_patches._INSTALLED.items()}
    assert again.keys() == replaced.keys()  # (the joins are wrapped afresh)
    assert all(type(again[n]) is type(replaced[n]) for n in again)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_sanitising_and_resolving_feedparser_gives_the_same_results_too():
    """sitrep turns feedparser's sanitiser and URI resolution off; the copies keep both."""
    documents = [*HOSTILE.values(), ATOM, RSS_EXTRAS, *map(random_document, range(60))]
    for data in documents:
        patched = everything(feedparser.parse(io.BytesIO(data)))
        with feedparser_patches.original_feedparser():
            assert everything(feedparser.parse(io.BytesIO(data))) == patched, data


def test_html_is_recognised_in_plain_text_as_feedparser_recognises_it():
    pieces = ["a", "</b>", "<b>", "&amp;", "&#150;", "&nbsp;", "&bogus;", "</blink>", "<p ", " "]
    pieces += ["</\u00e9t\u00e9>", "&\u00e9;", "<SCRIPT>", "</Script>", "&#x27;", "<", ">", "&"]
    rng = random.Random(5)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    looks = feedparser.mixin._FeedParserMixin.looks_like_html
    mine = [looks(text) for text in texts]
    assert True in mine and False in mine
    with feedparser_patches.original_feedparser():
        looks = feedparser.mixin._FeedParserMixin.looks_like_html
        assert [looks(text) for text in texts] == mine


def test_methods_copied_from_feedparser_6_0_are_left_out_for_any_other_version(monkeypatch):
    copies = {"pop", "unknown_starttag", "unknown_endtag", "startElementNS", "endElementNS"}
    copies |= {"track_namespace", "handle_data", "looks_like_html"}
    copies |= {"feedparser.namespaces._base._parse_date", "feedparser.namespaces.dc._parse_date"}
    copies |= {"__setitem__", "setdefault"}
    with feedparser_patches.original_feedparser():  # (as apply() finds feedparser)
        assert copies <= set(feedparser_patches._targets())
        with monkeypatch.context() as patch:  # (undone before apply() runs again)
            patch.setattr(feedparser, "__version__", "6.1.0")
            others = feedparser_patches._targets()
            patch.setattr(feedparser, "__version__", "6.0.15")  # a later fix release too
            later = feedparser_patches._targets()
    assert not copies & set(others)
    assert not copies & set(later)
    assert copies <= set(feedparser_patches._INSTALLED)  # 6.0's installed again
    # and feedparser keeps choosing its SAX driver as shipped (expat, found by make_parser)
    assert others["drivers"][2] == []
