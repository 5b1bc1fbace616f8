"""Each data cell labelled with its column's header (`data-label`), so that on a narrow screen a
table's row can be shown as a block of labelled values (village-portal.css) instead of a table
wider than the phone. Wide screens and paper keep the table and ignore the labels."""

from __future__ import annotations

import re
from html import escape, unescape

_TABLE = re.compile(r'<table class="vp-table\b[^>]*>.*?</table>', re.S)
_HEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
_HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_CELL = re.compile(r"<(td|th)\b(?![^>]*\bdata-label=)")
_TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    return " ".join(unescape(_TAG.sub("", html)).split())


def _label_table(match: re.Match[str]) -> str:
    table = match.group(0)
    head = _HEAD.search(table)
    if head is None:
        return table
    rows = _ROW.findall(head.group(1))
    if not rows:
        return table
    labels = [escape(_text(cell), quote=True) for cell in _HEADER.findall(rows[-1])]
    body_start = head.end()

    def label_row(row: re.Match[str]) -> str:
        column = iter(labels)

        def label_cell(cell: re.Match[str]) -> str:
            label = next(column, "")
            return f'{cell.group(0)} data-label="{label}"' if label else cell.group(0)

        return _CELL.sub(label_cell, row.group(0))

    return table[:body_start] + _ROW.sub(label_row, table[body_start:])


def label_cells(html: str) -> str:
    """`html` with every body cell of each `vp-table` labelled by its column's last header row.
    Cells already labelled are left as they are (a page may pass through twice)."""
    if "vp-table" not in html:
        return html
    return _TABLE.sub(_label_table, html)
