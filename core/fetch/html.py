"""HTML fragments (feed summaries, content:encoded) to plain text with paragraph breaks."""

from __future__ import annotations

import html as htmllib

import lxml.etree
import lxml.html

from core.text import MAX_BODY_CHARS, clean_plain, clean_plain_line, clean_text, strip_unsafe

# Elements whose end is a paragraph (or line) break in the text we keep.
_BLOCKS = frozenset(
    {
        *("p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "li", "dl"),
        *("dt", "dd", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figure"),
        *("figcaption", "header", "footer", "aside"),
    }
)
_DROPPED = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math"}
)
# ASCII characters the HTML parser may change or drop: controls but tab and newline, DEL.
_ASCII_CONTROLS = bytes(range(0x09)) + bytes(range(0x0B, 0x20)) + b"\x7f"
# Those characters to NUL (itself one), every other byte to itself: one is present when the
# translation has a NUL (a plain translation and a memchr: cheaper than deleting them).
_CONTROLS_TO_NUL = bytes(0 if b in _ASCII_CONTROLS else b for b in range(256))


def html_to_text(markup: str, limit: int = MAX_BODY_CHARS) -> str:
    """Visible text of an HTML fragment, blocks separated by blank lines, sanitised."""
    if "<" not in markup:
        return clean_text(htmllib.unescape(markup), limit)
    paragraphs = _paragraphs(markup)
    if paragraphs is None:
        return parsed_text(markup, limit)
    texts, gaps = paragraphs
    if markup.isascii() and "\t" not in markup:
        # Checked already: ASCII (so NFC) with no control but tab and newline (so no
        # carriage return); without a tab that is all clean_text's plain check asks.
        for text in texts:
            if "\n" in text:
                return clean_plain(_joined(texts, gaps), limit)
        # Each paragraph one line: clean_plain keeps each one folded and stripped, and the
        # blank lines after them and the gaps (spaces and newlines) become one blank line.
        return "\n\n".join([line for line in map(clean_plain_line, texts) if line])[:limit]
    return clean_text(_joined(texts, gaps), limit)


def _plain_paragraphs(markup: str) -> str | None:
    """For paragraphs of plain text, the commonest summary and content, what the HTML
    parser's path gives before clean_text: each paragraph's text, then the blank line its
    end makes, then the spaces after it. None for any other markup."""
    paragraphs = _paragraphs(markup)
    return None if paragraphs is None else _joined(*paragraphs)


def _joined(texts: list[str], gaps: list[str]) -> str:
    return "".join([f"{text}\n\n{gap}" for text, gap in zip(texts, gaps, strict=True)])


def _paragraphs(markup: str) -> tuple[list[str], list[str]] | None:
    """The texts of plain paragraphs and the gaps after them; None for any other markup.

    Plain paragraphs are '<p>...</p>' one after another, only spaces and newlines between
    them, and in them no markup or entity ('<', '>', '&') and no character the HTML parser
    may change or drop: ASCII text has no control but tab and newline; other text is
    printable (no control, format, surrogate, unassigned or non-space blank character)."""
    if not markup.startswith("<p>"):
        return None
    texts: list[str] = []
    gaps: list[str] = []
    # Every '<' must open a '</p>' or a '<p>': found with find (a memchr), not by splitting.
    start = 3
    while True:
        close = markup.find("<", start)
        if close < 0 or not markup.startswith("</p>", close):
            return None
        text = markup[start:close]
        if ">" in text or "&" in text:
            return None
        following = markup.find("<", close + 4)
        gap = markup[close + 4 : following] if following >= 0 else markup[close + 4 :]
        if gap and gap.strip(" \n"):
            return None
        texts.append(text)
        gaps.append(gap)
        if following < 0:
            break
        if not markup.startswith("<p>", following):
            return None
        start = following + 3
    if markup.isascii():  # the paragraphs' marks and gaps have no control character
        if b"\0" in markup.encode("ascii").translate(_CONTROLS_TO_NUL):
            return None
    elif not all(text.isprintable() for text in texts):
        return None
    return texts, gaps


def parsed_text(markup: str, limit: int = MAX_BODY_CHARS) -> str:
    """`html_to_text` of markup, through the HTML parser."""
    try:
        # Control characters go first (clean_text drops them anyway): lxml reads them but
        # then refuses to set a text that holds one (`_mark_breaks`).
        root = lxml.html.fragment_fromstring(strip_unsafe(markup), create_parent="div")
        _drop_invisible(root)
        _mark_breaks(root)
        text = root.text_content()
    except (lxml.etree.ParserError, ValueError):
        return clean_text(htmllib.unescape(markup), limit)
    return clean_text(text, limit)


def _drop_invisible(root: lxml.html.HtmlElement) -> None:
    for element in list(root.iter()):
        if (isinstance(element.tag, str) and element.tag.lower() in _DROPPED) or not isinstance(
            element.tag, str
        ):
            element.drop_tree()


def _mark_breaks(root: lxml.html.HtmlElement) -> None:
    for element in root.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
