"""Untrusted text to safe HTML: Markdown for emphasis, lists and links; never raw HTML or scripts."""

from __future__ import annotations

import re

import markdown
import nh3
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "h2", "h3", "h4", "h5", "h6",
         "table", "thead", "tbody", "tr", "th", "td", "code", "hr"}
_ATTRIBUTES = {"a": {"href", "title"}}
_SCHEMES = {"http", "https", "mailto"}
# Markdown escapes "&" again inside code; there our own escaping must be undone once.
_CODE = re.compile(r"<code>.*?</code>", re.S)


def _escape_raw_html(text: str) -> str:
    # Markdown would pass raw HTML through; escaping "<" first makes every tag plain text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# One converter, reset for each text: setting one up costs more than converting a notice.
_MARKDOWN = markdown.Markdown(extensions=["sane_lists", "nl2br"], output_format="html")


_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")
_HEADING_LINE = re.compile(r"^(#{1,6})\s", re.M)


def render_markdown(text: str, top: int = 3, highest: int | None = None) -> Markup:
    """A record's free text as HTML that cannot run anything, whatever was typed or pasted.

    Its headings sit below the page's own: none above `top` (h3 under a page's h2 sections). A
    body right under the page's h1 gives `top` 2 and the level of its highest heading, `highest`,
    which then becomes h2 and the others keep their steps below it (no level skipped)."""
    if not text:
        return Markup("")
    html = _MARKDOWN.reset().convert(_escape_raw_html(text))
    shift = 0 if highest is None else top - highest
    html = _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{max(top, min(6, int(m.group(2)) + shift))}>", html)
    html = _CODE.sub(lambda match: match.group(0).replace("&amp;", "&"), html)
    clean = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)


@pass_context
def record_text(context: Context, text: str) -> Markup:
    """The templates' `markdown`: a record's free text as safe HTML (`render_markdown`). Its body,
    when written in Word, with the Word file's tables where they stand in the document, each a
    data table of the page (_list_table.html: labelled on a phone, published as open data)."""
    record = context.get("record")
    if not text or text != getattr(record, "body", None):
        return render_markdown(text)
    # The body comes right under the record's title: h1 on its page, h2 on a printed sheet.
    top = 3 if context.get("sheet") else 2
    word = getattr(record, "word", None)
    if word is None:
        return render_markdown(text, top, _highest(text))
    pieces = word.pieces(record.title)
    highest = _highest("\n".join(part for part, _ in pieces))
    lists = context.environment.get_template("_list_table.html").make_module(context.get_all())
    html = []
    for number, (part, table) in enumerate(pieces, 1):
        html.append(render_markdown(part, top, highest))
        if table is not None:
            caption = table.caption or context["t"]("records.word_table", number=number)
            html.append(lists.list_table(caption, table.columns, table.rows))
    return Markup("\n").join(html)


def _highest(text: str) -> int | None:
    """The level of the highest Markdown heading in `text` (1 for "# "), if it has any."""
    levels = [len(marks) for marks in _HEADING_LINE.findall(text)]
    return min(levels) if levels else None
