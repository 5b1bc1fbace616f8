"""Untrusted text to safe HTML: Markdown for emphasis, lists and links; never raw HTML or scripts."""

from __future__ import annotations

import re

import markdown
import nh3
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "h3", "h4", "h5", "h6",
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


def render_markdown(text: str) -> Markup:
    """A record's free text as HTML that cannot run anything, whatever was typed or pasted."""
    if not text:
        return Markup("")
    html = _MARKDOWN.reset().convert(_escape_raw_html(text))
    # Headings in a record body sit below the page's own h1/h2.
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
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
    word = getattr(record, "word", None)
    if word is None or not text or text != getattr(record, "body", None):
        return render_markdown(text)
    lists = context.environment.get_template("_list_table.html").make_module(context.get_all())
    html = []
    for number, (part, table) in enumerate(word.pieces(record.title), 1):
        html.append(render_markdown(part))
        if table is not None:
            caption = table.caption or context["t"]("records.word_table", number=number)
            html.append(lists.list_table(caption, table.columns, table.rows))
    return Markup("\n").join(html)
