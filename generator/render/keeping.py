"""A printed bulletin's closing block (posting period, issuer, date, signature lines) kept on the
sheet that holds the end of the body it signs (issue 22).

CSS alone does not do it in Chromium: `break-before: avoid` on the closing block needs the break
moved back into the body, which Chromium does not do once the body has started on an earlier
sheet (a 4-sheet duty roster printed its signatures alone). What Chromium does honour everywhere
is `break-inside: avoid` on a box that fits a sheet: it moves the box over whole. So the closing
block goes into one such box (`vp-keep-end`, print.css) with the body's last part:

- a table: its last rows (or its footer, the totals), the closing block a row of its own after
  them, so that the header is repeated above them on the new sheet;
- a list: its last item, split off into a list of its own (an ordered list numbered on from
  where the first part stopped), wrapped with the closing block;
- anything else: the last paragraph or table of facts, wrapped with the closing block.

On screen the closing block is hidden (`vp-print-only`) and the box changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

END_CLASS = "vp-bulletin-end"
KEEP_CLASS = "vp-keep-end"
# The table rows that go over with the closing block: enough that the new sheet reads as the
# table's end, few enough that the box always fits a sheet.
KEPT_ROWS = 3
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_CONTAINERS = {"div", "section", "article"}


@dataclass
class _Element:
    tag: str
    classes: set[str]
    start: int  # offset of the start tag
    inner: int  # offset just after the start tag
    close: int = -1  # offset of the end tag
    end: int = -1  # offset just after the end tag
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[_Element] = field(default_factory=list)


class _Tree(HTMLParser):
    """The page's elements with where each starts and ends in the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self._lines = [0]
        for line in html.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self.root = _Element("", set(), 0, 0, len(html), len(html))
        self._open = [self.root]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        values = dict(attrs)
        element = _Element(tag, set((values.get("class") or "").split()), start,
                           start + len(self.get_starttag_text() or ""), attrs=values)
        self._open[-1].children.append(element)
        if tag in _VOID:
            element.close = element.end = element.inner
        else:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            element = self._open.pop()
            element.close = element.end = element.inner

    def handle_endtag(self, tag: str) -> None:
        if not any(element.tag == tag for element in self._open[1:]):
            return  # a stray end tag: ignored, as a browser does
        close = self._offset()
        end = self.html.index(">", close) + 1
        while self._open[-1].tag != tag:  # elements left open end where their parent does
            element = self._open.pop()
            element.close = element.end = close
        element = self._open.pop()
        element.close, element.end = close, end


def _printed(element: _Element) -> bool:
    return "vp-screen-only" not in element.classes


def _find(element: _Element, name: str) -> tuple[_Element, _Element] | None:
    """The first element with class `name` under `element`, and its parent."""
    for child in element.children:
        if name in child.classes:
            return child, element
        found = _find(child, name)
        if found:
            return found
    return None


def _last_part(parent: _Element, end: _Element) -> _Element | None:
    """The body's last printed part before the closing block: the element just before it, or,
    where that is a box of other parts (the notice's text, a section), that box's last part."""
    before = [child for child in parent.children[:parent.children.index(end)] if _printed(child)]
    last = before[-1] if before else None
    while last is not None and last.tag in _CONTAINERS and "vp-table-wrap" not in last.classes:
        inside = [child for child in last.children if _printed(child)]
        if not inside:
            break
        last = inside[-1]
    return last


def _number(element: _Element, name: str, default: int) -> int:
    value = element.attrs.get(name) or ""
    return int(value) if value.isdigit() else default


def _table(element: _Element) -> _Element | None:
    if element.tag == "table":
        return element
    for child in element.children:
        found = _table(child)
        if found:
            return found
    return None


def keep_end_with_body(html: str) -> str:
    """`html` (a record's page or sheet) with its closing block in one unbreakable box with the
    end of its body; as it is when there is no closing block or nothing before it."""
    if END_CLASS not in html:
        return html
    tree = _Tree(html)
    tree.feed(html)
    tree.close()
    found = _find(tree.root, END_CLASS)
    if found is None:
        return html
    end, parent = found
    last = _last_part(parent, end)
    if last is None or last.end > end.start:
        return html
    block = html[end.start:end.end]
    edits: list[tuple[int, int, str]] = [(end.start, end.end, "")]  # (from, to, replaced by)
    table = _table(last)
    groups = [child for child in table.children if child.tag in ("tbody", "tfoot")] if table else []
    rows = [child for child in groups[-1].children if child.tag == "tr"] if groups else []
    if table and rows:
        group = groups[-1]
        columns = sum(_number(cell, "colspan", 1) for cell in rows[0].children if cell.tag in ("td", "th"))
        # data-label="": the phones' labelled cells (render/cells.py) leave this cell unlabelled.
        row = f'<tr class="vp-print-only vp-end-row"><td colspan="{columns}" data-label="">{block}</td></tr>'
        edits.append((group.close, group.close, row))
        if group.tag == "tbody" and len(rows) > KEPT_ROWS:
            edits.append((rows[-KEPT_ROWS].start, rows[-KEPT_ROWS].start, f'</tbody><tbody class="{KEEP_CLASS}">'))
        else:
            edits.append(_add_class(html, group))
    elif last.tag in ("ol", "ul") and "reversed" not in last.attrs \
            and len(items := [child for child in last.children if child.tag == "li"]) > 1:
        # A list's last item may be short where the list is longer than a sheet (a decision's steps).
        opening = html[last.start:last.inner]
        if last.tag == "ol":
            opening = re.sub(r'\sstart="[^"]*"', "", opening)[:-1] + \
                f' start="{_number(last, "start", 1) + len(items) - 1}">'
        edits += [(items[-1].start, items[-1].start, f'</{last.tag}><div class="{KEEP_CLASS}">{opening}'),
                  (last.end, last.end, block + "</div>")]
    else:
        edits += [(last.start, last.start, f'<div class="{KEEP_CLASS}">'), (last.end, last.end, block + "</div>")]
    # From the end backwards, so that each edit's offsets still hold; at one offset the closing
    # block's removal before what is put there.
    for start, stop, text in sorted(edits, key=lambda edit: (edit[0], edit[1]), reverse=True):
        html = html[:start] + text + html[stop:]
    return html


def _add_class(html: str, element: _Element) -> tuple[int, int, str]:
    """The edit that gives `element`'s start tag the keeping class."""
    tag = html[element.start:element.inner]
    quoted = re.search(r'\bclass="([^"]*)"', tag)
    if quoted:
        tag = tag[:quoted.start(1)] + f"{quoted.group(1)} {KEEP_CLASS}" + tag[quoted.end(1):]
    else:
        tag = tag[:-1].rstrip("/") + f' class="{KEEP_CLASS}">'
    return element.start, element.inner, tag
