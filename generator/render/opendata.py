"""Open data: every data table of a page (class `vp-table`) as CSV and JSON beside the page.

One mechanism for every kind: `render.write_page` hands each page's HTML here after the
templates have run. The tables are read back from that HTML (so a file holds exactly what the
page shows, masked numbers included), written as `<page folder>/table-<n>.csv` (UTF-8 with BOM,
so that Excel opens the Chinese correctly) and `.json`, and a "下载数据：CSV · JSON" line is put
after each table. The year's `data.json` lists every dataset (`catalogue_json`).

Values are typed (issue 22): amounts and dates are written as the numbers and ISO dates they
stand for, not as shown (`¥12,300.00`, `2025年1月3日`: a cell whose whole text is in the
catalogue's `format.money` or `format.date` is read back through that format), `81.7%` as the
number 81.7 with the unit %, `12` as 12; "" and "—" are missing values (empty in CSV, null in
JSON); a cell's line breaks (`<br>`) are kept. A cell may give its value in `data-value` where
the page says it in words. Where words say yes or no among other words (`4 天，按时答复`,
`最迟 2026年11月15日 ✓ 按时公布`), the header's `data-flag` names a boolean column of its own,
after the column of words, and each cell's `data-flag` gives it (true, false; none: missing). Each column gets one Table Schema type from its cells
(render/datapackage.py), and the year's `datapackage.json` describes every table.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from string import Formatter

from generator.inputs.messages import Catalogue
from generator.render.datapackage import MISSING, Money, Percent, Value, YearMonth, field_names, typed_columns

Cell = Value
# Elements that never have an end tag: they must not be kept open on the parser's stack.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_NUMBER = {"amount": r"-?\d{1,3}(?:,\d{3})*\.\d{2}", "year": r"\d{4}", "month": r"\d{1,2}", "day": r"\d{1,2}"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"-?(?:0|[1-9]\d*)")  # no leading zero: a code such as 007 stays text
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)\.\d+")
_PERCENT = re.compile(r"(-?\d+(?:\.\d+)?)\s*%")
_BOOLEAN = {"true": True, "false": False}


@dataclass(frozen=True)
class PageData:
    """What a page's tables are about, for their titles in the catalogue."""

    title: str  # the page's title
    kind: str  # the section, or the page's name (compliance …)
    period: str  # the period the data covers: a ledger's 2025-01, a notice's date, a section's year


@dataclass
class Table:
    """A data table as the page shows it: its caption, header and rows (tbody and tfoot)."""

    caption: str = ""
    columns: list[str] = field(default_factory=list)
    types: list[str | None] = field(default_factory=list)  # a header's data-type, where it gives one
    flagged: list[int] = field(default_factory=list)  # the columns followed by a boolean column (data-flag)
    rows: list[list[tuple[str, Cell]]] = field(default_factory=list)  # each cell's text and value
    end: int = 0  # where in the HTML the download line goes: after the table (or its scroll box)


@dataclass(frozen=True)
class Dataset:
    """One table published as data, as listed in the year's data.json."""

    title: str
    kind: str
    period: str
    page: str  # the page's folder in the site, "" for the home page
    name: str  # table-1 …
    columns: list[str]  # the headers as the page shows them (the fields' titles)
    rows: list[list[Cell]]  # typed: each column's cells of its field's type, None where missing
    fields: list[dict[str, object]] = field(default_factory=list)  # Table Schema fields

    @property
    def csv(self) -> str:
        return f"{self.page}{self.name}.csv"

    @property
    def json(self) -> str:
        return f"{self.page}{self.name}.json"

    def about(self) -> dict[str, object]:
        return {"title": self.title, "kind": self.kind, "period": self.period,
                "columns": [str(field["name"]) for field in self.fields]}

    def entry(self) -> dict[str, object]:
        """As data.json lists it."""
        return {**self.about(), "page": self.page or "./", "csv": self.csv, "json": self.json, "rows": len(self.rows)}

    def data(self) -> dict[str, object]:
        """As its JSON file holds it."""
        return {**self.about(), "schema": {"fields": self.fields},
                "rows": [[_json_value(cell) for cell in row] for row in self.rows]}


class _Values:
    """Reads a shown amount or date back into its value, through the catalogue's own formats."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.money = _pattern(catalogue.text("format.money"))
        self.date = _pattern(catalogue.text("format.date"))
        self.month = _pattern(catalogue.text("format.month"))

    def __call__(self, text: str) -> tuple[str, Cell]:
        """The cell's text as shown (each line's spaces collapsed, its line breaks kept) and
        the value it stands for."""
        lines = (" ".join(line.split()) for line in text.split("\n"))
        text = "\n".join(line for line in lines if line)
        return text, self.value(text)

    def value(self, text: str) -> Cell:
        if text in MISSING:
            return None
        if "\n" in text:
            return text
        if self.money and (match := self.money.fullmatch(text)):
            return Money(match["amount"].replace(",", ""))
        if self.date and (match := self.date.fullmatch(text)):
            try:
                return date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                return text
        if self.month and (match := self.month.fullmatch(text)) and 1 <= int(match["month"]) <= 12:
            return YearMonth(f"{int(match['year']):04d}-{int(match['month']):02d}")
        if _ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                return text
        if match := _PERCENT.fullmatch(text):
            return Percent(match.group(1))
        if _INTEGER.fullmatch(text):
            return int(text)
        if _DECIMAL.fullmatch(text):
            return Decimal(text)
        return _BOOLEAN.get(text, text)


def _pattern(template: str) -> re.Pattern[str] | None:
    """A format's text with its placeholders as named groups; None for a reworded format that
    cannot be read back (its cells then stay as shown)."""
    parts = []
    try:
        for literal, name, _, _ in Formatter().parse(template):
            parts.append(re.escape(literal))
            if name is not None:
                if name not in _NUMBER:
                    return None
                parts.append(f"(?P<{name}>{_NUMBER[name]})")
        return re.compile("".join(parts))
    except (ValueError, re.error):  # a stray brace, or a placeholder used twice
        return None


class _TableReader(HTMLParser):
    def __init__(self, html: str, values: _Values) -> None:
        super().__init__(convert_charrefs=True)
        self.values = values
        self.tables: list[Table] = []
        self._lines = [0]
        for line in html.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self._html = html
        self._stack: list[tuple[str, Table | None]] = []  # open elements; a table's or its box's Table
        self._table: Table | None = None
        self._row: list[tuple[str, Cell]] | None = None
        self._cell: list[str] | None = None
        self._cell_value: str | None = None  # the cell's data-value, if it gives one
        self._cell_flag: str | None = None  # the cell's data-flag: a header's column title, a cell's true/false
        self._span = 1
        self._width = 0  # the columns of the row so far, boolean columns of data-flag left out
        self._flagged: list[int] = []  # the header row's flagged columns
        self._header: list[str] = []
        self._caption: list[str] | None = None
        self._in_head = False
        self._box: Table | None = None  # the scroll box (vp-table-wrap) now open

    def _offset_after_tag(self) -> int:
        line, column = self.getpos()
        start = self._lines[line - 1] + column
        return self._html.index(">", start) + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and self._cell is not None:
                self._cell.append("\n")  # a line break in a cell is data (issue 22)
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        owner: Table | None = None
        if tag == "div" and "vp-table-wrap" in classes:
            self._box = owner = Table()
        elif tag == "table" and "vp-table" in classes and self._table is None:
            self._table = owner = self._box or Table()
            self._box = None  # a second table in the same box is a table of its own
        elif self._table is not None:
            if tag == "caption":
                self._caption = []
            elif tag == "thead":
                self._in_head = True
            elif tag == "tr":
                self._row, self._header, self._width, self._flagged = [], [], 0, []
            elif tag in ("td", "th") and self._row is not None:
                self._cell = []
                self._cell_value = attributes.get("data-value")
                self._cell_flag = attributes.get("data-flag")
                if self._in_head:
                    self._header.append(attributes.get("data-type") or "")
                span = attributes.get("colspan") or "1"
                self._span = int(span) if span.isdigit() and 0 < int(span) < 100 else 1
        self._stack.append((tag, owner))

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _ in self._stack):
            return  # a stray end tag: ignored, as a browser would
        while self._stack:
            open_tag, owner = self._stack.pop()
            self._close(open_tag, owner)
            if open_tag == tag:
                break

    def _close(self, tag: str, owner: Table | None) -> None:
        table = self._table
        if owner is not None:
            if tag == "table":
                owner.end = self._offset_after_tag()
                self.tables.append(owner)
                self._table = None
            elif self.tables and self.tables[-1] is owner:  # the box around the last table
                owner.end = self._offset_after_tag()
            if owner is self._box:
                self._box = None
        elif table is None:
            return
        elif tag == "caption" and self._caption is not None:
            table.caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            text, value = self.values("".join(self._cell))
            if self._cell_value is not None:
                value = self.values.value(self._cell_value)
            # A cell over several columns gives its value to the first, the others are missing.
            self._row += [(text, value)] + [("", None)] * (self._span - 1)
            if self._in_head and self._cell_flag:
                self._flagged.append(self._width)
                self._row.append((" ".join(self._cell_flag.split()), None))
                self._header.append("boolean")
            elif not self._in_head and self._width in table.flagged:
                flag = _BOOLEAN.get(self._cell_flag or "")
                self._row.append(("" if flag is None else self._cell_flag or "", flag))
            self._width += self._span
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                table.columns = [text for text, _ in self._row]  # the last header row names the columns
                table.types = [kind or None for kind in self._header]
                table.flagged = self._flagged
            else:
                table.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _tables(html: str, catalogue: Catalogue) -> list[Table]:
    reader = _TableReader(html, _Values(catalogue))
    reader.feed(html)
    reader.close()
    return reader.tables


def publish_tables(html: str, folder: Path, page: str, about: PageData,
                   catalogue: Catalogue, whole: str = "") -> tuple[str, list[Dataset]]:
    """Write each data table of a page's HTML as CSV and JSON into `folder` (the page's folder in
    the docs; `page` is that folder in the site); return the HTML with a download line after
    each table, and the datasets written. With `whole`, the page's full HTML when it shows only
    some rows (a list's first page), the files hold whole's tables, the same tables in order."""
    if "vp-table" not in html:
        return html, []  # most notices have no table: no need to parse them
    shown = _tables(html, catalogue)
    tables = _tables(whole, catalogue) if whole else shown
    if not tables or len(tables) != len(shown):
        return html, []
    folder.mkdir(parents=True, exist_ok=True)
    datasets, pieces, start = [], [], 0
    for number, (table, where) in enumerate(zip(tables, shown), start=1):
        title = catalogue.text("data.title", page=about.title, table=table.caption) if table.caption else about.title
        headers = [" ".join(text.split()) for text in table.columns]
        fields, rows = typed_columns(field_names(headers, catalogue), headers, table.rows, catalogue, table.types)
        dataset = Dataset(title, about.kind, about.period, page, f"table-{number}", headers, rows, fields)
        (folder / f"{dataset.name}.csv").write_bytes(csv_bytes(dataset))
        (folder / f"{dataset.name}.json").write_text(dumps(dataset.data()), encoding="utf-8")
        datasets.append(dataset)
        pieces += [html[start:where.end], download_line(dataset.name, catalogue)]
        start = where.end
    pieces.append(html[start:])
    return "".join(pieces), datasets


def download_line(name: str, catalogue: Catalogue) -> str:
    # Plain links: nothing is fetched until the reader asks, so the first view stays as light.
    # Behind 更多, in Chinese words: file formats mean nothing to most readers (issue 19).
    text = catalogue.text
    return (f'<details class="vp-screen-only vp-download vp-data-links vp-more" data-pagefind-ignore="all">'
            f'<summary>{escape(text("reader.more"))}</summary>{escape(text("reader.data_download"))}'
            f'<a href="{name}.csv" type="text/csv" download>{escape(text("reader.csv"))}</a> · '
            f'<a href="{name}.json" type="application/json">{escape(text("reader.json"))}</a></details>')


def csv_bytes(dataset: Dataset) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(field["name"]) for field in dataset.fields])
    writer.writerows([_csv_text(cell) for cell in row] for row in dataset.rows)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8


def _csv_text(cell: Cell) -> str:
    # Text that Excel would run as a formula (=, +, -, @ first) is written with a leading ', as
    # Excel itself marks text; numbers are typed and stay as they are.
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return cell.isoformat() if isinstance(cell, date) else str(cell)


def _json_value(cell: Cell) -> object:
    # A JSON number: a float gives back every two-decimal amount a village has exactly.
    if isinstance(cell, Decimal):
        return float(cell)
    return cell.isoformat() if isinstance(cell, date) else cell


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def catalogue_json(village: str, year: int, datasets: list[Dataset]) -> str:
    """The village-year's `data.json`: every dataset of its pages, in the order of the pages."""
    return dumps({"village": village, "year": year, "datasets": [dataset.entry() for dataset in datasets]})


@dataclass
class OpenData:
    """The datasets of a page, collected as `render.write_page` writes it."""

    docs_dir: Path
    catalogue: Catalogue
    datasets: list[Dataset] = field(default_factory=list)

    def of(self, about: PageData) -> PageTables:
        return PageTables(self, about)


@dataclass(frozen=True)
class PageTables:
    """A page whose tables are published: where they go, and what they are about."""

    data: OpenData
    about: PageData

    def publish(self, page_file: Path, html: str, whole: str = "") -> str:
        """The page's HTML with its download lines; its tables written beside it. A page
        `x/index.md` is the site's `x/`, a page `x/y.md` is `x/y/`: the files go in that folder."""
        relative = page_file.relative_to(self.data.docs_dir)
        folder = relative.parent if relative.name == "index.md" else relative.with_suffix("")
        page = "" if folder == Path(".") else folder.as_posix() + "/"
        html, datasets = publish_tables(html, self.data.docs_dir / folder, page, self.about, self.data.catalogue, whole)
        self.data.datasets.extend(datasets)
        return html
