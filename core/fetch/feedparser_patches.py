"""Faster equivalents of feedparser internals that dominate its time on every feed.

feedparser does Python work for every element of a document; a profile of a typical feed
(RSS 2.0, 20 entries with content:encoded) put most of it in these:

* `make_safe_absolute_uri(base, rel)`, called on every start tag to apply the element's
  xml:base to the current base URI. An element without xml:base joins the base with itself,
  so the same pair repeats tag after tag: the previous pair's answer is kept and reused.
* `FeedParserDict.get` / `[]` / `in` / `[]=` / `setdefault`, called hundreds of thousands
  of times, mostly with plain keys ('type', 'value', ...) for which the class's legacy key
  mapping does nothing: those go straight to the dict; mapped and computed keys still take
  feedparser's path.
* `copy.deepcopy` of the small content-parameter dicts (type, language, base) stored with
  each title, summary and content: a dict of strings, so a copy is a deep copy (and
  feedparser.mixin's own calls skip `copy.deepcopy`'s generic dispatch: `_CopyModule`).
* `handle_data(text)`, called for every run of character data, asks the content parameters
  for their 'type' through `FeedParserDict.get` (a Python call); the replacement (feedparser
  6.0.14's method, installed only for that release) reads the plain key straight from
  the dict.
* `_urljoin(base, uri)`, called for every link and permalink guid to resolve it against the
  base URI. Feeds nearly always give plain absolute links (`http://host/path`), which the
  join gives back unchanged: those are returned at once (see `plain_absolute_join`).

* Every element's way through feedparser 6.0 (copies of its methods, statement for
  statement, installed only for the release they were read from (`COPIED_FROM`), each
  skipping only work that cannot change a result):
  `pop` (at each end tag) skips the latin-1/utf-8 round trip and cp1252 translation of an
  ASCII value, the bytes pass over pieces that are all str, and FeedParserDict calls for the
  content parameters; `unknown_starttag` / `unknown_endtag` and the strict parser's
  `startElementNS` / `endElementNS` remember per parser what a tag and the namespace
  declarations give (forgotten in `track_namespace`, the only code that changes those);
  `_parse_date` reads the usual RFC 822 form at once (see `_parse_date`).
* expatreader's wrappers around every element event: `FeedExpatParser` (below) hands expat's
  events for an element without attributes straight to feedparser's parser.

And one per document: feedparser asks `xml.sax.make_parser` for its preferred SAX driver
(`drv_libxml2`) before the standard expat one, and when that driver is not installed the
failed import searches the whole module path (~0.1 ms, file-system look-ups included) for
every feed. Names that cannot be found when the replacements are installed are left out of
the list; when none is left, the list names this module, whose `create_parser` gives the
expat driver `make_parser` would have fallen back to (`FeedExpatParser`, with its shortcuts).

Each replacement gives the same result as the original for every input (the pure function
and the dict lookups by construction; the copy only where every value is immutable; the
copied methods by the argument in each docstring). The tests parse the bench documents,
every sample and fixture feed, hostile documents and hundreds of random well-formed and
malformed feeds with and without them and compare feedparser's whole result and sitrep's.
If a future feedparser renames these internals, nothing is replaced and parsing simply runs
at the old speed.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime
import functools
import importlib.util
import re
import urllib.parse
import xml.sax
import xml.sax.saxutils
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any
from xml.sax.expatreader import ExpatParser
from xml.sax.xmlreader import AttributesNSImpl

import feedparser.api
import feedparser.datetimes
import feedparser.datetimes.rfc822
import feedparser.datetimes.w3dtf
import feedparser.mixin
import feedparser.namespaces._base
import feedparser.namespaces.dc
import feedparser.parsers.strict
import feedparser.urls
import feedparser.util

_FeedParserDict: Any = feedparser.util.FeedParserDict
# The feedparser releases whose methods the copies below repeat, statement for statement (read
# against each one's source). Any other release, older or newer, keeps its own methods (a
# newer one may have fixed something in them): only the pure helpers stay replaced.
COPIED_FROM = frozenset({"6.0.14"})
_IMMUTABLE = frozenset((str, int, float, bool, type(None)))
# Keys FeedParserDict maps or computes (its `keymap`, plus the ones its __getitem__ and
# __contains__ special-case): these keep feedparser's own lookup.
_SPECIAL_KEYS = frozenset(getattr(_FeedParserDict, "keymap", {})) | {
    *("category", "enclosures", "license", "updated", "updated_parsed"),
}
# A link that feedparser's `_urljoin` gives back unchanged whatever the (well-formed) base:
# lower-case http(s) scheme, a host of letters, digits, dots and hyphens (no port, no user),
# then a path of characters urlsplit/urlparse leave alone and never split on (no ';', which
# urlparse splits off as parameters, dropping an empty one; no '?', '#', '[', ']', '\\',
# spaces or controls).
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9\-._~!$&'()*+,=:@/%]*)?")
_STR_ONLY = frozenset((str,))
_AttributesNSImpl: Any = AttributesNSImpl
# Methods a feedparser handler instance must not override for FeedExpatParser's shortcuts.
_HANDLER_METHODS = frozenset(("startElementNS", "endElementNS", "characters", "handle_data"))
_ORIGINALS_STRICT: dict[str, Any] = {}  # _StrictFeedParser's own methods, as shipped
_mixin: Any = feedparser.mixin
_datetimes: Any = feedparser.datetimes
_W3DTF = getattr(feedparser.datetimes.w3dtf, "_parse_date_w3dtf", None)
_RFC822 = getattr(feedparser.datetimes.rfc822, "_parse_date_rfc822", None)
_ORIGINALS: dict[str, Any] = {}  # name -> what feedparser had (None: nothing)
_INSTALLED: dict[str, tuple[Any, str]] = {}  # name -> (owner, attribute) replaced


def remembering_last_join(join: Callable[..., Any]) -> Callable[..., Any]:
    """`join(base, rel)` answering a repeat of the previous pair from memory (one pair kept,
    so memory does not grow; the answer depends only on the two strings)."""
    last: tuple[Any, Any, Any] = (None, None, None)

    def remembered(base: Any, rel: Any = None) -> Any:
        nonlocal last
        seen_base, seen_rel, result = last
        if seen_base is not None and base == seen_base and rel == seen_rel:
            return result
        result = join(base, rel)
        last = (base, rel, result)
        return result

    return remembered


def plain_absolute_join(join: Callable[..., Any]) -> Callable[..., Any]:
    """feedparser's `_urljoin(base, uri)`, answering at once for a plain absolute `uri`.

    `_urljoin` strips extra slashes after '://' (a plain uri has none) and returns
    `urllib.parse.urljoin(base, uri)`, or '' when that raises ValueError. For a plain uri the
    join returns it as it is: with no base, with another scheme, and with the base's scheme
    (then it is `urlunparse(urlparse(uri))`, the same text for a uri with no parameters,
    query or fragment and a lower-case scheme). The join raises only when the base does not
    split (`urlsplit(base)` raises: a bad IPv6 host, a host NFKC changes): that case, and
    every other uri, takes the original path.
    """

    def joined(base: Any, uri: Any) -> Any:
        if type(uri) is str and type(base) is str and _PLAIN_ABSOLUTE.fullmatch(uri):
            if not base:
                return uri
            try:
                urllib.parse.urlsplit(base, "", True)  # as urljoin splits it (cached)
            except ValueError:
                return join(base, uri)
            return uri
        return join(base, uri)

    return joined


def _get(self: Any, key: Any, default: Any = None) -> Any:
    if key in _SPECIAL_KEYS:
        return _ORIGINALS["get"](self, key, default)
    return dict.get(self, key, default)


def _getitem(self: Any, key: Any) -> Any:
    if key in _SPECIAL_KEYS:
        return _ORIGINALS["__getitem__"](self, key)
    return dict.__getitem__(self, key)


def _contains(self: Any, key: Any) -> bool:
    if key in _SPECIAL_KEYS:
        return bool(_ORIGINALS["__contains__"](self, key))
    return dict.__contains__(self, key)


def _setitem(self: Any, key: Any, value: Any) -> None:
    if key in _SPECIAL_KEYS:
        _ORIGINALS["__setitem__"](self, key, value)
    else:
        dict.__setitem__(self, key, value)


def _setdefault(self: Any, key: Any, default: Any) -> Any:
    """FeedParserDict.setdefault (`in`, then `[]=` or `[]`): for a plain key, the dict's."""
    if key in _SPECIAL_KEYS:
        return _ORIGINALS["setdefault"](self, key, default)
    return dict.setdefault(self, key, default)


def _is_flat(parameters: Any) -> bool:
    """A FeedParserDict whose copy is a deep one: immutable values, no mapped or computed
    key, no attribute of its own."""
    return (
        not vars(parameters)
        and _SPECIAL_KEYS.isdisjoint(dict.keys(parameters))
        and all(map(_IMMUTABLE.__contains__, map(type, dict.values(parameters))))
    )


def _flat_copy(parameters: Any) -> Any:
    duplicate = _FeedParserDict()
    dict.update(duplicate, parameters)
    return duplicate


def _deepcopy(self: Any, memo: dict[int, Any]) -> Any:
    """A shallow copy where that is a deep one (flat, immutable values, no mapped keys);
    otherwise the generic deep copy `copy.deepcopy` would have made."""
    if _is_flat(self):
        duplicate = _flat_copy(self)
        memo[id(self)] = duplicate
        return duplicate
    reductor = self.__reduce_ex__(4)
    return copy._reconstruct(self, memo, *reductor)  # type: ignore[attr-defined]


def _handle_data(self: Any, text: Any, escape: Any = 1) -> None:
    """feedparser 6.0's `_FeedParserMixin.handle_data`, with the content parameters' 'type'
    (a key FeedParserDict neither maps nor computes) read by `dict.get`."""
    if not self.elementstack:
        return
    params = self.contentparams
    kind = dict.get(params, "type") if type(params) is _FeedParserDict else params.get("type")
    if escape and kind == "application/xhtml+xml":
        text = xml.sax.saxutils.escape(text)
    self.elementstack[-1][2].append(text)


def _pop(self: Any, element: Any, strip_whitespace: Any = 1) -> Any:
    """feedparser 6.0's `_FeedParserMixin.pop`, statement for statement, skipping work that
    cannot change its result: the content parameters' plain keys ('type', 'base64', 'mode')
    are read and removed on the dict itself; pieces that are all str skip the bytes-decoding
    pass; an ASCII str output skips the latin-1/utf-8 round trip (ASCII encodes and decodes
    to itself) and the cp1252 translation (its table maps only code points 0x80-0x9f)."""
    params = self.contentparams
    if type(params) is not _FeedParserDict:
        return _ORIGINALS["pop"](self, element, strip_whitespace)
    if not self.elementstack:
        return None
    if self.elementstack[-1][0] != element:
        return None

    element, expecting_text, pieces = self.elementstack.pop()

    # Ensure each piece is a str for Python 3
    if not _STR_ONLY.issuperset(map(type, pieces)):
        for i, v in enumerate(pieces):
            if isinstance(v, bytes):
                pieces[i] = v.decode("utf-8")

    if self.version == "atom10" and dict.get(params, "type", "text") == "application/xhtml+xml":
        # remove enclosing child element, but only if it is a <div> and
        # only if all the remaining content is nested underneath it.
        # This means that the divs would be retained in the following:
        #    <div>foo</div><div>bar</div>
        while pieces and len(pieces) > 1 and not pieces[-1].strip():
            del pieces[-1]
        while pieces and len(pieces) > 1 and not pieces[0].strip():
            del pieces[0]
        if (
            pieces
            and (pieces[0] == "<div>" or pieces[0].startswith("<div "))
            and pieces[-1] == "</div>"
        ):
            depth = 0
            for piece in pieces[:-1]:
                if piece.startswith("</"):
                    depth -= 1
                    if depth == 0:
                        break
                elif piece.startswith("<") and not piece.endswith("/>"):
                    depth += 1
            else:
                pieces = pieces[1:-1]

    output = "".join(pieces)
    if strip_whitespace:
        output = output.strip()
    if not expecting_text:
        return output

    # decode base64 content
    if _mixin.base64 and dict.get(params, "base64", 0):
        with suppress(binascii.Error, binascii.Incomplete, UnicodeDecodeError):
            output = base64.decodebytes(output.encode("utf8")).decode("utf8")

    # resolve relative URIs
    # (but not guid elements with isPermalink="false")
    if element in self.can_be_relative_uri and output and (element != "id" or self.guidislink):
        output = self.resolve_uri(output)

    # decode entities within embedded markup
    if not dict.get(params, "base64", 0):
        output = self.decode_entities(element, output)

    # some feed formats require consumers to guess
    # whether the content is html or plain text
    if (
        not self.version.startswith("atom")
        and dict.get(params, "type") == "text/plain"
        and self.looks_like_html(output)
    ):
        params["type"] = "text/html"

    # remove temporary cruft from contentparams (`del`, KeyError ignored)
    dict.pop(params, "mode", None)
    dict.pop(params, "base64", None)

    is_htmlish = self.map_content_type(dict.get(params, "type", "text/html")) in self.html_types
    # resolve relative URIs within embedded markup
    if is_htmlish and self.resolve_relative_uris and element in self.can_contain_relative_uris:
        output = _mixin.resolve_relative_uris(
            output, self.baseuri, self.encoding, dict.get(params, "type", "text/html")
        )

    # sanitize embedded markup
    if is_htmlish and self.sanitize_html and element in self.can_contain_dangerous_markup:
        output = _mixin._sanitize_html(output, self.encoding, dict.get(params, "type", "text/html"))

    if type(output) is not str or not output.isascii():
        if self.encoding and isinstance(output, bytes):
            output = output.decode(self.encoding, "ignore")

        # address common error where people take data that is already
        # utf-8, presume that it is iso-8859-1, and re-encode it.
        if self.encoding in ("utf-8", "utf-8_INVALID_PYTHON_3") and not isinstance(output, bytes):
            with suppress(UnicodeEncodeError, UnicodeDecodeError):
                output = output.encode("iso-8859-1").decode("utf-8")

        # map win-1252 extensions to the proper code points
        if not isinstance(output, bytes):
            output = output.translate(_mixin._cp1252)

    # categories/tags/keywords/whatever are handled in _end_category or
    # _end_tags or _end_itunes_keywords
    if element in ("category", "tags", "itunes_keywords"):
        return output

    if element == "title" and -1 < self.title_depth <= self.depth:
        return output

    # store output in appropriate place(s)
    if self.inentry and not self.insource:
        if element == "content":
            self.entries[-1].setdefault(element, [])
            contentparams = _mixin.copy.deepcopy(self.contentparams)
            contentparams["value"] = output
            self.entries[-1][element].append(contentparams)
        elif element == "link":
            if not self.inimage:
                # query variables in urls in link elements are improperly
                # converted from `?a=1&b=2` to `?a=1&b;=2` as if they're
                # unhandled character references. fix this special case.
                output = output.replace("&amp;", "&")
                output = re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", output)
                self.entries[-1][element] = output
                if output:
                    self.entries[-1]["links"][-1]["href"] = output
        else:
            if element == "description":
                element = "summary"
            # (the map the original looks up again: entries hash by identity)
            depth_map = self.property_depth_map.setdefault(self.entries[-1], {})
            old_value_depth = depth_map.get(element)
            if old_value_depth is None or self.depth <= old_value_depth:
                depth_map[element] = self.depth
                self.entries[-1][element] = output
            if self.incontent:
                contentparams = _mixin.copy.deepcopy(self.contentparams)
                contentparams["value"] = output
                self.entries[-1][element + "_detail"] = contentparams
    elif self.infeed or self.insource:  # and (not self.intextinput) and (not self.inimage):
        context = self._get_context()
        if element == "description":
            element = "subtitle"
        context[element] = output
        if element == "link":
            # fix query variables; see above for the explanation
            output = re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", output)
            context[element] = output
            context["links"][-1]["href"] = output
        elif self.incontent:
            contentparams = _mixin.copy.deepcopy(self.contentparams)
            contentparams["value"] = output
            context[element + "_detail"] = contentparams
    return output


# Per parser: (namespace, localname) -> the tag feedparser's strict parser names an element
# by, at its start and at its end; forgotten whenever a namespace is declared (see below).
# (Attributes of the parser: _sitrep_start_tags and _sitrep_end_tags.)
_OWN_XMLNS = {
    "math": "http://www.w3.org/1998/Math/MathML",
    "svg": "http://www.w3.org/2000/svg",
}


def _start_tag(self: Any, name: tuple[Any, Any]) -> str | None:
    """The tag feedparser 6.0's `startElementNS` computes for an element with no qname (the
    expat driver gives none) and no attributes, or None where it would also add an `xmlns`
    attribute (MathML's math, SVG's svg). Reads `_matchnamespaces` (fixed once filled) and,
    for a namespace without a known prefix, `namespaces_in_use`."""
    namespace, localname = name
    lowernamespace = str(namespace or "").lower()
    if lowernamespace.find("backend.userland.com/rss") != -1:
        # match any backend.userland.com namespace
        namespace = "http://backend.userland.com/rss"
        lowernamespace = namespace
    prefix = self._matchnamespaces.get(lowernamespace, None)
    localname = str(localname).lower()
    if _OWN_XMLNS.get(localname, False) == namespace:
        return None
    if prefix:
        localname = prefix.lower() + ":" + localname
    elif namespace:  # Expat
        for known, value in self.namespaces_in_use.items():
            if known and value == namespace:
                localname = known + ":" + localname
                break
    return str(localname).lower()


def _end_tag(self: Any, name: tuple[Any, Any]) -> str:
    """The tag feedparser 6.0's `endElementNS` computes for an element with no qname."""
    namespace, localname = name
    lowernamespace = str(namespace or "").lower()
    prefix = self._matchnamespaces.get(lowernamespace, "")
    if prefix:
        localname = prefix + ":" + localname
    elif namespace:  # Expat
        for known, value in self.namespaces_in_use.items():
            if known and value == namespace:
                localname = known + ":" + localname
                break
    return str(localname).lower()


def _start_element_ns(self: Any, name: Any, qname: Any, attrs: Any) -> None:
    """feedparser 6.0's strict `startElementNS`: for an element without attributes, qname
    (expat gives none) or pending xlink declaration, the tag it computes is remembered per
    parser; anything else takes the original method."""
    if (
        qname is None
        and type(name) is tuple
        and type(attrs) is _AttributesNSImpl
        and not attrs._attrs
        and not attrs._qnames
        and not self.decls
    ):
        try:
            tags = self._sitrep_start_tags
        except AttributeError:
            tags = self._sitrep_start_tags = {}
        tag = tags.get(name)
        if tag is None:
            tag = _start_tag(self, name)
            if tag is None:
                _ORIGINALS["startElementNS"](self, name, qname, attrs)
                return
            tags[name] = tag
        # (the original hands self.decls, empty here, on and starts a new one: same state)
        self.unknown_starttag(tag, [])
        return
    _ORIGINALS["startElementNS"](self, name, qname, attrs)


def _end_element_ns(self: Any, name: Any, qname: Any) -> None:
    """feedparser 6.0's strict `endElementNS`, the tag of a qname-less element remembered."""
    if qname is None and type(name) is tuple:
        try:
            tags = self._sitrep_end_tags
        except AttributeError:
            tags = self._sitrep_end_tags = {}
        tag = tags.get(name)
        if tag is None:
            tag = tags[name] = _end_tag(self, name)
        self.unknown_endtag(tag)
        return
    _ORIGINALS["endElementNS"](self, name, qname)


def _start_plan(self: Any, tag: str) -> tuple[str, str, bool, bool]:
    """What feedparser 6.0's `unknown_starttag` derives from a tag and `namespacemap`: the
    handler's name, the name of an element without one, and whether the element leaves a
    textinput and an image."""
    # match namespaces
    if tag.find(":") != -1:
        prefix, suffix = tag.split(":", 1)
    else:
        prefix, suffix = "", tag
    prefix = self.namespacemap.get(prefix, prefix)
    if prefix:
        prefix = prefix + "_"
    # Special hack for better tracking of empty textinput/image elements in
    # illformed feeds.
    leaves_textinput = (not prefix) and tag not in ("title", "link", "description", "name")
    leaves_image = (not prefix) and tag not in (
        *("title", "link", "description", "url", "href", "width", "height"),
    )
    return "_start_" + prefix + suffix, prefix + suffix, leaves_textinput, leaves_image


def _unknown_starttag(self: Any, tag: Any, attrs: Any) -> Any:
    """feedparser 6.0's `_FeedParserMixin.unknown_starttag`, statement for statement, except
    that an element without attributes skips building them, and what the tag and the
    namespace map give (`_start_plan`) is remembered per parser until a namespace is
    declared (`_track_namespace` forgets it; declarations on this very element are tracked
    before it is read)."""
    if type(tag) is not str:
        return _ORIGINALS["unknown_starttag"](self, tag, attrs)
    # increment depth counter
    self.depth += 1

    # normalize attrs
    if attrs:
        attrs = [self._normalize_attributes(attr) for attr in attrs]
        # track xml:base and xml:lang
        attrs_d = dict(attrs)
        baseuri = attrs_d.get("xml:base", attrs_d.get("base")) or self.baseuri
        lang = attrs_d.get("xml:lang", attrs_d.get("lang"))
    else:
        attrs = []
        attrs_d = {}
        baseuri = self.baseuri
        lang = None
    if isinstance(baseuri, bytes):
        baseuri = baseuri.decode(self.encoding, "ignore")
    # ensure that self.baseuri is always an absolute URI that
    # uses a whitelisted URI scheme (e.g. not `javscript:`)
    if self.baseuri:
        self.baseuri = _mixin.make_safe_absolute_uri(self.baseuri, baseuri) or self.baseuri
    else:
        self.baseuri = _mixin._urljoin(self.baseuri, baseuri)
    if lang == "":
        # xml:lang could be explicitly set to '', we need to capture that
        lang = None
    elif lang is None:
        # if no xml:lang is specified, use parent lang
        lang = self.lang
    if lang and tag in ("feed", "rss", "rdf:RDF"):
        self.feeddata["language"] = lang.replace("_", "-")
    self.lang = lang
    self.basestack.append(self.baseuri)
    self.langstack.append(lang)

    # track namespaces
    for prefix, uri in attrs:
        if prefix.startswith("xmlns:"):
            self.track_namespace(prefix[6:], uri)
        elif prefix == "xmlns":
            self.track_namespace(None, uri)

    # track inline content
    if self.incontent:
        if not self.contentparams.get("type", "xml").endswith("xml"):
            if tag in ("xhtml:div", "div"):
                return None  # typepad does this 10/2007
            # element declared itself as escaped markup, but it isn't really
            self.contentparams["type"] = "application/xhtml+xml"
        if self.contentparams.get("type") == "application/xhtml+xml":
            if tag.find(":") != -1:
                prefix, tag = tag.split(":", 1)
                namespace = self.namespaces_in_use.get(prefix, "")
                if tag == "math" and namespace == "http://www.w3.org/1998/Math/MathML":
                    attrs.append(("xmlns", namespace))
                if tag == "svg" and namespace == "http://www.w3.org/2000/svg":
                    attrs.append(("xmlns", namespace))
            if tag == "svg":
                self.svgOK += 1
            return self.handle_data(f"<{tag}{self.strattrs(attrs)}>", escape=0)

    try:
        plans = self._sitrep_start_plans
    except AttributeError:
        plans = self._sitrep_start_plans = {}
    plan = plans.get(tag)
    if plan is None:
        plan = plans[tag] = _start_plan(self, tag)
    methodname, unknown_tag, leaves_textinput, leaves_image = plan
    if leaves_textinput:
        self.intextinput = 0
    if leaves_image:
        self.inimage = 0

    # call special handler (if defined) or default handler
    try:
        method = getattr(self, methodname)
        return method(attrs_d)
    except AttributeError:
        # Since there's no handler or something has gone wrong we
        # explicitly add the element and its attributes.
        if len(attrs_d) == 0:
            # No attributes so merge it into the enclosing dictionary
            return self.push(unknown_tag, 1)
        # Has attributes so create it in its own dictionary
        context = self._get_context()
        context[unknown_tag] = attrs_d
        return None


def _end_plan(self: Any, tag: str) -> tuple[str, str, bool, str]:
    """What feedparser 6.0's `unknown_endtag` derives from a tag and `namespacemap`."""
    # match namespaces
    if tag.find(":") != -1:
        prefix, suffix = tag.split(":", 1)
    else:
        prefix, suffix = "", tag
    prefix = self.namespacemap.get(prefix, prefix)
    if prefix:
        prefix = prefix + "_"
    return "_end_" + prefix + suffix, prefix + suffix, suffix == "svg", tag.split(":")[-1]


def _unknown_endtag(self: Any, tag: Any) -> None:
    """feedparser 6.0's `_FeedParserMixin.unknown_endtag`, with what the tag and the
    namespace map give (`_end_plan`) remembered per parser like `_unknown_starttag`'s."""
    if type(tag) is not str:
        _ORIGINALS["unknown_endtag"](self, tag)
        return
    try:
        plans = self._sitrep_end_plans
    except AttributeError:
        plans = self._sitrep_end_plans = {}
    plan = plans.get(tag)
    if plan is None:
        plan = plans[tag] = _end_plan(self, tag)
    methodname, name, is_svg, local = plan
    if is_svg and self.svgOK:
        self.svgOK -= 1

    # call special handler (if defined) or default handler
    try:
        if self.svgOK:
            raise AttributeError()
        method = getattr(self, methodname)
        method()
    except AttributeError:
        self.pop(name)

    # track inline content
    if self.incontent:
        if not self.contentparams.get("type", "xml").endswith("xml"):
            # element declared itself as escaped markup, but it isn't really
            if tag in ("xhtml:div", "div"):
                return  # typepad does this 10/2007
            self.contentparams["type"] = "application/xhtml+xml"
        if self.contentparams.get("type") == "application/xhtml+xml":
            self.handle_data(f"</{local}>", escape=0)

    # track xml:base and xml:lang going out of scope
    if self.basestack:
        self.basestack.pop()
        if self.basestack and self.basestack[-1]:
            self.baseuri = self.basestack[-1]
    if self.langstack:
        self.langstack.pop()
        if self.langstack:  # and (self.langstack[-1] is not None):
            self.lang = self.langstack[-1]

    self.depth -= 1


_CLOSE_TAG = re.compile(r"</(\w+)>")
_REFERENCE = re.compile(r"&#?\w+;")
_ANY_TAG = re.compile(r"</?(\w+)")
_NAMED_REFERENCE = re.compile(r"&(\w+);")


def _looks_like_html(s: Any) -> bool:
    """feedparser 6.0's `looks_like_html` (asked of every RSS title, a 'text/plain' value)
    with its four patterns compiled once instead of looked up in re's cache at each call."""
    # must have a close tag or an entity reference to qualify
    if not (_CLOSE_TAG.search(s) or _REFERENCE.search(s)):
        return False

    # all tags must be in a restricted subset of valid HTML tags
    acceptable = _mixin._HTMLSanitizer.acceptable_elements
    if any(t for t in _ANY_TAG.findall(s) if t.lower() not in acceptable):
        return False

    # all entities must have been defined as valid HTML entities
    entitydefs = _mixin.html.entities.entitydefs
    return not any(e for e in _NAMED_REFERENCE.findall(s) if e not in entitydefs)


def _track_namespace(self: Any, prefix: Any, uri: Any) -> Any:
    """feedparser's `track_namespace` (the only code that changes `namespaces_in_use`),
    forgetting the tags remembered from the namespaces as they were (new, empty memories:
    set as attributes, not through vars(), which would turn the parser's attribute storage
    into a dict and slow every other attribute it has)."""
    self._sitrep_start_tags = {}
    self._sitrep_end_tags = {}
    self._sitrep_start_plans = {}
    self._sitrep_end_plans = {}
    return _ORIGINALS["track_namespace"](self, prefix, uri)


def _expat_pair(name: str) -> tuple[Any, Any]:
    """The (namespace, localname) pair expatreader's start/end_element_ns make of expat's
    name (namespace, localname and prefix separated by spaces)."""
    pair: Any = name.split()
    if len(pair) == 1:
        # no namespace
        pair = (None, name)
    elif len(pair) == 3:
        pair = pair[0], pair[1]
    else:
        # default namespace
        pair = tuple(pair)
    return pair  # type: ignore[no-any-return]


class FeedExpatParser(ExpatParser):
    """The standard expat SAX driver, with expat's element and text events handed straight
    to a feedparser strict parser whose `startElementNS`, `endElementNS` and `handle_data`
    are the replacements here. expatreader's wrappers build a (namespace, localname) pair and
    an attributes object for every element; for an element without attributes this calls
    what `_start_element_ns` / `_end_element_ns` would with them (the same tags, remembered
    per expat name), and text goes to `handle_data` as the parser's `characters` does.
    Attributes, pending xlink declarations, math/svg and other content handlers take
    expatreader's own path."""

    _feed_handler: Any = None
    _namespaces: Any  # ExpatParser's own attributes (untyped there)
    _parser: Any
    _cont_handler: Any

    def reset(self) -> None:
        super().reset()
        if self._namespaces and self._feed_handler is not None:
            self._parser.StartElementHandler = self._start_element
            self._parser.EndElementHandler = self._end_element

    def _reset_cont_handler(self) -> None:
        super()._reset_cont_handler()  # type: ignore[misc]
        handler = self._cont_handler
        feed_type = getattr(feedparser.api, "StrictFeedParser", None)
        if (
            type(handler) is feed_type
            and feed_type.startElementNS is _start_element_ns
            and feed_type.endElementNS is _end_element_ns
            and "characters" in _ORIGINALS_STRICT
            and feed_type.characters is _ORIGINALS_STRICT["characters"]
            and feed_type.handle_data is _handle_data
            and not (set(vars(handler)) & _HANDLER_METHODS)
        ):
            self._feed_handler = handler
            self._parser.CharacterDataHandler = functools.partial(_handle_data, handler)
        else:
            self._feed_handler = None

    def _start_element(self, name: str, attrs: Any) -> None:
        handler = self._feed_handler
        if handler is None or attrs or handler.decls:
            self.start_element_ns(name, attrs)
            return
        try:
            tags = handler._sitrep_start_tags
        except AttributeError:
            tags = handler._sitrep_start_tags = {}
        tag = tags.get(name)
        if tag is None:
            tag = _start_tag(handler, _expat_pair(name))
            if tag is None:
                self.start_element_ns(name, attrs)
                return
            tags[name] = tag
        handler.unknown_starttag(tag, [])

    def _end_element(self, name: str) -> None:
        handler = self._feed_handler
        if handler is None:
            self.end_element_ns(name)
            return
        try:
            tags = handler._sitrep_end_tags
        except AttributeError:
            tags = handler._sitrep_end_tags = {}
        tag = tags.get(name)
        if tag is None:
            tag = tags[name] = _end_tag(handler, _expat_pair(name))
        handler.unknown_endtag(tag)


def create_parser() -> FeedExpatParser:
    """SAX driver entry point: `xml.sax.make_parser` calls it when feedparser lists this
    module among its preferred drivers (see `_targets`)."""
    return FeedExpatParser()


# The RFC 822 date form nearly every RSS feed uses ("Wed, 01 Jan 2020 00:00:00 +0000").
_RFC822_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" ([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) (?:([+-])([0-9]{2})([0-9]{2})|GMT)"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


def _parse_date(date_string: Any) -> Any:
    """feedparser 6.0's `_parse_date`, answering at once for the usual RFC 822 form.

    `_parse_date` asks its date handlers in turn, W3DTF first, then RFC 822. For a string of
    the form above W3DTF gives nothing (what it reads as the year, the text before the first
    't' or the first word, is never four digits: it starts with the day name and a comma,
    or is '' or 'sa' before the 't' of tue/thu/sat), and the RFC 822 handler computes exactly
    what is computed here (the day name dropped, a four-digit year kept, the zone's hours
    and minutes with its sign, or 0 for GMT). Where its datetime arithmetic fails, other
    handlers would be asked: that case, other forms, and changed handlers take the original.
    """
    handlers = _datetimes._date_handlers
    if (
        type(date_string) is str
        and len(handlers) > 1
        and handlers[0] is _W3DTF
        and handlers[1] is _RFC822
        and (match := _RFC822_DATE.fullmatch(date_string)) is not None
    ):
        day, month, year, hour, minute, second, sign, zone_hours, zone_minutes = match.groups()
        if sign:
            timezone_hours = int(zone_hours)
            timezone_minutes = int(zone_minutes)
            if sign == "-":
                timezone_hours *= -1
                timezone_minutes *= -1
        else:
            timezone_hours = timezone_minutes = 0
        try:
            stamp = datetime.datetime(
                int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second)
            )
            delta = datetime.timedelta(0, 0, 0, 0, timezone_minutes, timezone_hours)
            return (stamp - delta).utctimetuple()
        except (OverflowError, ValueError):
            pass
    return _datetimes._parse_date(date_string)  # feedparser's own (left in its module)


class _CopyModule:
    """What feedparser.mixin sees as its `copy` module (it calls only `copy.deepcopy`, on the
    content parameters of every title, summary and content): a flat FeedParserDict is copied
    at once, as `copy.deepcopy` would through `_deepcopy` (a fresh memo, discarded, is all
    it adds); anything else goes to `copy.deepcopy`. Other names are the copy module's."""

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        if memo is None and type(value) is _FeedParserDict and _is_flat(value):
            return _flat_copy(value)
        return copy.deepcopy(value, memo)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def installed_drivers(names: Any) -> list[str]:
    """The SAX driver modules among `names` that can be imported (found on the path)."""
    found = []
    for name in names:
        try:
            if importlib.util.find_spec(name) is not None:
                found.append(name)
        except (ImportError, ValueError):
            continue
    return found


def _pop_replaceable(mixin: Any) -> bool:
    """Whether `_pop` repeats this feedparser's `pop`: 6.0's method, with the content
    parameters a FeedParserDict whose 'type', 'base64' and 'mode' are plain keys (no mapping,
    no __delitem__ of its own) and a cp1252 table that leaves ASCII alone."""
    table = getattr(feedparser.mixin, "_cp1252", None)
    return (
        "pop" in vars(mixin or object)
        and isinstance(table, dict)
        and all(type(k) is int and 0x80 <= k <= 0x9F for k in table)
        and isinstance(_FeedParserDict, type)
        and "__delitem__" not in vars(_FeedParserDict)
        and _SPECIAL_KEYS.isdisjoint(("type", "base64", "mode"))
    )


def _expat_is_the_default() -> bool:
    return getattr(xml.sax, "default_parser_list", None) == ["xml.sax.expatreader"]


def _targets() -> dict[str, tuple[Any, str, Any]]:
    """name -> (owner, attribute, replacement), for the internals this feedparser has."""
    targets: dict[str, tuple[Any, str, Any]] = {}
    join = getattr(feedparser.mixin, "make_safe_absolute_uri", None)
    if callable(join):
        targets["join"] = (feedparser.mixin, "make_safe_absolute_uri", None)
    mixin = getattr(feedparser.mixin, "_FeedParserMixin", None)
    version = str(getattr(feedparser, "__version__", ""))
    if version in COPIED_FROM and "handle_data" in vars(mixin or object):
        targets["handle_data"] = (mixin, "handle_data", _handle_data)
    if version in COPIED_FROM and _pop_replaceable(mixin):
        targets["pop"] = (mixin, "pop", _pop)
    if version in COPIED_FROM and isinstance(
        vars(mixin or object).get("looks_like_html"), staticmethod
    ):
        targets["looks_like_html"] = (mixin, "looks_like_html", staticmethod(_looks_like_html))
    strict = getattr(feedparser.parsers.strict, "_StrictFeedParser", None)
    if (
        version in COPIED_FROM
        and all(n in vars(strict or object) for n in ("startElementNS", "endElementNS"))
        and "track_namespace" in vars(mixin or object)
        and isinstance(getattr(mixin, "_matchnamespaces", None), dict)
    ):
        targets["track_namespace"] = (mixin, "track_namespace", _track_namespace)
        if all(n in vars(mixin) for n in ("unknown_starttag", "unknown_endtag")):
            targets["unknown_starttag"] = (mixin, "unknown_starttag", _unknown_starttag)
            targets["unknown_endtag"] = (mixin, "unknown_endtag", _unknown_endtag)
        targets["startElementNS"] = (strict, "startElementNS", _start_element_ns)
        targets["endElementNS"] = (strict, "endElementNS", _end_element_ns)
        _ORIGINALS_STRICT.setdefault("characters", vars(strict).get("characters"))
    original_parse_date = getattr(feedparser.datetimes, "_parse_date", None)
    if version in COPIED_FROM and callable(original_parse_date):
        for owner in (feedparser.namespaces._base, feedparser.namespaces.dc):
            if vars(owner).get("_parse_date") is original_parse_date:
                targets[f"{owner.__name__}._parse_date"] = (owner, "_parse_date", _parse_date)
    preferred = getattr(feedparser.api, "PREFERRED_XML_PARSERS", None)
    if isinstance(preferred, list) and all(isinstance(name, str) for name in preferred):
        drivers = installed_drivers(preferred)
        # None of feedparser's preferred drivers is there: make_parser falls back to its
        # default, expat, which FeedExpatParser is (with shortcuts for feedparser's parser).
        if not drivers and "endElementNS" in targets and _expat_is_the_default():
            drivers = [__name__]
        if drivers != preferred:
            targets["drivers"] = (feedparser.api, "PREFERRED_XML_PARSERS", drivers)
    for owner in (feedparser.mixin, feedparser.urls):  # mixin imported it by name
        if callable(vars(owner).get("_urljoin")):
            targets[f"{owner.__name__}._urljoin"] = (owner, "_urljoin", None)
    names = ("get", "__getitem__", "__contains__")
    if isinstance(_FeedParserDict, type) and all(n in vars(_FeedParserDict) for n in names):
        targets["get"] = (_FeedParserDict, "get", _get)
        targets["__getitem__"] = (_FeedParserDict, "__getitem__", _getitem)
        targets["__contains__"] = (_FeedParserDict, "__contains__", _contains)
        setters = ("__setitem__", "setdefault")
        if version in COPIED_FROM and all(n in vars(_FeedParserDict) for n in setters):
            targets["__setitem__"] = (_FeedParserDict, "__setitem__", _setitem)
            targets["setdefault"] = (_FeedParserDict, "setdefault", _setdefault)
        if "__deepcopy__" not in vars(_FeedParserDict) and hasattr(copy, "_reconstruct"):
            targets["__deepcopy__"] = (_FeedParserDict, "__deepcopy__", _deepcopy)
            if vars(feedparser.mixin).get("copy") is copy:
                targets["copy"] = (feedparser.mixin, "copy", _CopyModule())
    return targets


def apply() -> None:
    """Install the replacements (once; later calls do nothing)."""
    if _ORIGINALS:
        return
    for name, (owner, attribute, replacement) in _targets().items():
        original = vars(owner).get(attribute)
        _ORIGINALS[name] = original
        _INSTALLED[name] = (owner, attribute)
        if replacement is None:  # a join: wrapped around the original
            wrap = plain_absolute_join if attribute == "_urljoin" else remembering_last_join
            replacement = wrap(original)
        setattr(owner, attribute, replacement)


@contextmanager
def original_feedparser() -> Iterator[None]:
    """feedparser as shipped, for the duration (tests compare results with and without)."""
    was_applied = bool(_ORIGINALS)
    _restore()
    try:
        yield
    finally:
        if was_applied:
            apply()


def _restore() -> None:
    for name, (owner, attribute) in _INSTALLED.items():
        original = _ORIGINALS[name]
        if original is None:
            delattr(owner, attribute)  # __deepcopy__: feedparser has none of its own
        else:
            setattr(owner, attribute, original)
    _ORIGINALS.clear()
    _INSTALLED.clear()
