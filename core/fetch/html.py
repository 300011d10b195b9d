"""HTML fragments (feed summaries, content:encoded) to plain text with paragraph breaks."""

from __future__ import annotations

import html as htmllib
import re

import lxml.etree
import lxml.html

from core.text import MAX_BODY_CHARS, clean_text

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
# Paragraphs of plain text (no markup, no entity, no character the HTML parser changes or
# drops: controls but tab and newline, DEL, C1 controls, surrogates, non-characters), one
# after another with spaces or newlines between them: the commonest summary and content.
_PLAIN_CHARS = "[^<>&\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufeff\ufffe\uffff]"
_PLAIN_PARAGRAPHS = re.compile(f"(?:<p>{_PLAIN_CHARS}*</p>[ \n]*)+")


def html_to_text(markup: str, limit: int = MAX_BODY_CHARS) -> str:
    """Visible text of an HTML fragment, blocks separated by blank lines, sanitised."""
    if "<" not in markup:
        return clean_text(htmllib.unescape(markup), limit)
    if _PLAIN_PARAGRAPHS.fullmatch(markup):
        # What the parse below gives such markup: each paragraph's text, then the blank line
        # its end makes, then the spaces after it.
        return clean_text(markup.replace("<p>", "").replace("</p>", "\n\n"), limit)
    return parsed_text(markup, limit)


def parsed_text(markup: str, limit: int = MAX_BODY_CHARS) -> str:
    """`html_to_text` of markup, through the HTML parser."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return clean_text(htmllib.unescape(markup), limit)
    _drop_invisible(root)
    _mark_breaks(root)
    return clean_text(root.text_content(), limit)


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
