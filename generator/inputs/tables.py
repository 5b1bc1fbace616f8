"""Tables as read from a CSV file or a worksheet: headers in the clerk's words, and rows with the
line (or Excel row) each came from.

Clerks' own layouts are read as they are: title rows above the headers (one cell each, such as
“河口村2025年1月收支明细”), and a two-row header where a group heading spans its columns
(金额 over 收入 / 支出)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.inputs.problems import Location, Problems
from generator.inputs.sheet_facts import is_fact_row


@dataclass
class Row:
    line: int
    cells: dict[str, str]
    # Columns whose value was copied from a merged cell above (a 户主 merged over a household's
    # rows): the domain decides where that makes a value ambiguous (a merged amount).
    merged: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Table:
    """A spreadsheet: column headers in the clerk's words, and rows with their line numbers.

    For a CSV file a row's `line` is the line it starts on; for an `.xlsx` file it is the row
    number Excel shows, and `location.sheet` knows each column's letter.
    """

    location: Location
    columns: list[str]
    rows: list[Row]
    header_line: int = 1  # the (last) header row's line
    # The rows above the header (a title, 公布日期：…): (line, their cells' text), for the facts
    # a sheet of a workbook gives (inputs/sheet_facts.py).
    above: tuple[tuple[int, str], ...] = ()


Records = list[tuple[int, list[str]]]
_DIGIT = re.compile(r"\d")


def _filled(records: Records) -> Records:
    return [(line, [cell.strip() for cell in row]) for line, row in records if any(cell.strip() for cell in row)]


def _trimmed(cells: list[str]) -> list[str]:
    cells = list(cells)
    while cells and not cells[-1]:
        cells.pop()
    return cells


def header_rows(records: Records) -> tuple[int, int, list[str]]:
    """Where the header is among the non-blank rows: (rows of title above it, its rows (1 or 2),
    the column names). A second header row is one whose cells all sit under a group heading or a
    blank of the first (金额 spanning 收入 and 支出; 日期 merged down over both rows)."""
    records = _filled(records)
    skip = 0
    filled = [sum(1 for cell in row if cell) for _, row in records]
    # Title rows (the village's name, 现金日记账, 单位：元): one cell each, above the first wider
    # row; and rows of facts (公布日期：… | 公示至：…), however many cells they fill.
    while skip + 1 < len(records) and (filled[skip] == 1 or is_fact_row(records[skip][1])) \
            and max(filled[skip + 1:]) > 1:
        skip += 1
    if skip >= len(records):
        return skip, 1, []
    top = _trimmed(records[skip][1])
    if skip + 1 < len(records):
        sub = _trimmed(records[skip + 1][1])
        width = max(len(top), len(sub))
        top_full = top + [""] * (width - len(top))
        sub_full = sub + [""] * (width - len(sub))
        # Each column's group heading: the nearest heading at or left of it.
        group: list[str] = []
        for cell in top_full:
            group.append(cell or (group[-1] if group else ""))
        # A sub-heading sits under a blank of the first row or under a heading with blanks after
        # it; headings are words, so a row with digits in it is data, not a second header row.
        starts = [index + 1 < width and bool(top_full[index]) and not top_full[index + 1] for index in range(width)]
        under = all(not cell or not top_full[index] or starts[index] for index, cell in enumerate(sub_full))
        # …and beside the groups, a heading with nothing under it (merged down over both rows): a
        # first data row under a header with a blank is no second header row.
        beside = any(top_full[index] and not starts[index] and not sub_full[index] for index in range(width))
        if "" in top_full and any(sub_full) and under and beside and not any(_DIGIT.search(cell) for cell in sub_full) \
                and all(sub_full[index] or top_full[index] for index in range(width)):
            names = [sub_full[index] or top_full[index] for index in range(width)]
            repeated = {name for name in names if names.count(name) > 1}
            names = [group[index] + name if name in repeated and sub_full[index] else name
                     for index, name in enumerate(names)]
            return skip, 2, names
    return skip, 1, top


def make_table(location: Location, records: Records, problems: Problems,
               merged: set[tuple[int, int]] | None = None) -> Table | None:
    """Rows (line, cells) as read, to a table: the header (after any title rows), then the data
    rows; `merged` names the cells (line, column index) copied from a merged cell."""
    records = _filled(records)
    if not records:
        problems.add(location.at(1), "table_empty")
        return None
    skip, count, columns = header_rows(records)
    header_line = records[skip][0]
    ok = True
    seen: set[str] = set()
    for column in columns:
        if not column:
            problems.add(location.at(header_line), "table_blank_header")
            ok = False
        elif column in seen:
            problems.add(location.at(header_line, column), "table_duplicate_header", column=column)
            ok = False
        seen.add(column)
    rows: list[Row] = []
    for line, cells in records[skip + count:]:
        if len(cells) > len(columns) and any(cells[len(columns):]):
            found = max(index for index, cell in enumerate(cells) if cell) + 1
            problems.add(location.at(line), "table_extra_cells", expected=len(columns), found=found)
            ok = False
            continue
        padded = cells + [""] * (len(columns) - len(cells))
        copied = frozenset(columns[index] for index in range(len(columns)) if (line, index) in (merged or ()))
        rows.append(Row(line, dict(zip(columns, padded)), copied))
    above = tuple((line, "  ".join(cell for cell in cells if cell)) for line, cells in records[:skip])
    return Table(location, columns, rows, records[skip + count - 1][0], above) if ok else None


def data_start(records: Records) -> int | None:
    """The line of the first row below the header (None when there is none)."""
    filled = _filled(records)
    skip, count, _ = header_rows(filled)
    return filled[skip + count][0] if skip + count < len(filled) else None


def header_of(records: Records) -> list[str]:
    """The header row `make_table` takes, with blank headers kept so positions match the letters."""
    _, _, header = header_rows(records)
    # A header named twice: only its first column gets the name's letter.
    seen: set[str] = set()
    result = []
    for cell in header:
        result.append("" if cell in seen else cell)
        seen.add(cell)
    return result
