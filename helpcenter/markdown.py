"""Article Markdown → HTML a visitor may see, and the plain text that search reads.

markdown-it-py renders CommonMark with raw HTML turned off (an HTML tag is shown as
text) and refuses ``javascript:``/``vbscript:``/``data:`` link targets; nh3 then keeps
only the tags and attributes below, with http(s) and mailto links (and relative ones, the
uploaded images) and nothing else. Either alone would do; both are cheap."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_MARKDOWN.enable("table").enable("strikethrough")

TAGS = {
    "a", "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol",
    "li", "h2", "h3", "h4", "h5", "h6", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HEADING_ONE = re.compile(r"<(/?)h1>")
_TAG = re.compile(r"<[^>]+>")


def markdown_render(text: str) -> str:
    """Sanitised HTML of ``text``. A level-one heading becomes level two: the page has
    the title as its one ``h1``."""
    rendered = _HEADING_ONE.sub(r"<\1h2>", _MARKDOWN.render(text))
    return nh3.clean(
        rendered, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow", strip_comments=True,
    )  # fmt: skip


def html_to_text(rendered: str) -> str:
    """The words of sanitised HTML, for search and snippets."""
    return " ".join(html.unescape(_TAG.sub(" ", rendered)).split())
