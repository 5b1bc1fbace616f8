"""Tables as read from a CSV file or a worksheet: headers in the clerk's words, and rows with the
line (or Excel row) each came from."""

from __future__ import annotations

from dataclasses import dataclass

from generator.inputs.problems import Location, Problems


@dataclass
class Row:
    line: int
    cells: dict[str, str]


@dataclass
class Table:
    """A spreadsheet: column headers in the clerk's words, and rows with their line numbers.

    For a CSV file a row's `line` is the line it starts on; for an `.xlsx` file it is the row
    number Excel shows, and `location.sheet` knows each column's letter.
    """

    location: Location
    columns: list[str]
    rows: list[Row]


def make_table(location: Location, records: list[tuple[int, list[str]]], problems: Problems) -> Table | None:
    """Rows (line, cells) as read, to a table: the first row with headers, then the data rows."""
    records = [(line, [cell.strip() for cell in row]) for line, row in records if any(cell.strip() for cell in row)]
    if not records:
        problems.add(location.at(1), "table_empty")
        return None
    # A title above the headers (“河口村2025年1月收支明细”, one cell) is not the header row.
    while len(records) > 1 and sum(1 for cell in records[0][1] if cell) == 1 and \
            sum(1 for cell in records[1][1] if cell) > 1:
        records = records[1:]
    header_line, header = records[0]
    while header and not header[-1]:
        header = header[:-1]
    columns = list(header)
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
    for line, cells in records[1:]:
        if len(cells) > len(columns) and any(cells[len(columns):]):
            found = max(index for index, cell in enumerate(cells) if cell) + 1
            problems.add(location.at(line), "table_extra_cells", expected=len(columns), found=found)
            ok = False
            continue
        padded = cells + [""] * (len(columns) - len(cells))
        rows.append(Row(line, dict(zip(columns, padded))))
    return Table(location, columns, rows) if ok else None


def header_of(records: list[tuple[int, list[str]]]) -> list[str]:
    """The header row `_table` takes, with blank headers kept so positions match the letters."""
    records = [(line, [cell.strip() for cell in row]) for line, row in records if any(cell.strip() for cell in row)]
    while len(records) > 1 and sum(1 for cell in records[0][1] if cell) == 1 and \
            sum(1 for cell in records[1][1] if cell) > 1:
        records = records[1:]
    header = records[0][1] if records else []
    # A header named twice: only its first column gets the name's letter.
    seen: set[str] = set()
    result = []
    for cell in header:
        result.append("" if cell in seen else cell)
        seen.add(cell)
    return result
