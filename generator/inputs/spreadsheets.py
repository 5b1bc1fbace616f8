"""Excel workbooks (.xlsx, as Excel, WPS and LibreOffice save them): one sheet, read like a CSV file.

A workbook is a zip of XML: before openpyxl reads it (in read-only mode, row by row), its parts'
unpacked sizes are checked against the limits, so a small file that unpacks to gigabytes, or a
sheet of millions of rows, is a located error in seconds, not a build that runs out of memory.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.inputs.files import DEFAULT_LIMITS, Limits, bad_character, read_bytes
from generator.inputs.problems import Location, Problems, Sheet
from generator.inputs.tables import Table, data_start, header_of, make_table

# Excel keeps 15 significant digits: a longer number typed into a number cell (an ID or bank card
# number) has already lost its last digits.
_EXCEL_DIGITS = 10**15


def _sheet_of(workbook: Any, record_id: str) -> Any:
    """The worksheet a record's table is on: the one named like the record (its file name, e.g.
    2025-01), else the first visible one (the first tab a clerk sees). A hidden sheet named like
    the record is an error: what the clerk sees is not what would be published."""
    sheets = list(workbook.worksheets)
    wanted = record_id.strip().lower()
    named = [sheet for sheet in sheets if str(sheet.title).strip().lower() == wanted]
    if named:
        if getattr(named[0], "sheet_state", "visible") != "visible":
            raise _CellProblem("xlsx_hidden_sheet", sheet=str(named[0].title))
        return named[0]
    visible = [sheet for sheet in sheets if getattr(sheet, "sheet_state", "visible") == "visible"]
    if not visible:
        raise _CellProblem("xlsx_no_visible_sheet")
    return visible[0]


class _CellProblem(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _cell_text(cell: Any, longest: int = DEFAULT_LIMITS.text_chars) -> str:
    """A cell as the text a clerk would have typed: dates as 2025-03-01, numbers exactly as stored
    (12300.5, never 12300.499999), so that the model reads them like CSV text."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "e":
        raise _CellProblem("xlsx_error_cell", value=str(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        return _number_text(value)
    text = str(value).strip()
    if len(text) > longest:
        raise _CellProblem("text_too_long", length=len(text), limit=longest)
    bad = bad_character(text)
    if bad is not None:
        raise _CellProblem("text_control_character", code=bad[1])
    return text


def _number_text(value: int | float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise _CellProblem("xlsx_error_cell", value=str(value))
    if abs(value) >= _EXCEL_DIGITS:
        raise _CellProblem("xlsx_long_number", value=f"{value:.0f}" if isinstance(value, float) else str(value))
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    # The shortest text that is exactly this float: 12300.5 stays 12300.5, and float noise
    # (0.30000000000000004) stays visible, for the model to refuse as more than two decimals.
    return f"{Decimal(repr(value)):f}"


def read_xlsx(path: Path, location: Location, problems: Problems, root: Path | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Table | None:
    """An Excel workbook: one sheet of it, read like a CSV file; rows are Excel's row numbers and
    problems name the cell (第7行 C列（支出）).

    Which sheet: the one named like the record (its file name, e.g. 2025-01), else the first
    visible sheet.
    """
    found = _read_sheets(path, location, problems, root, limits, path.stem)
    return found[0][1] if found else None


def read_xlsx_sheets(path: Path, location: Location, problems: Problems, root: Path | None = None,
                     limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, Table | None]]:
    """Every visible sheet of a workbook (a year's ledgers, one sheet a month), by its name; a
    sheet that cannot be read is None beside the problems naming it."""
    return _read_sheets(path, location, problems, root, limits, None)


def _read_sheets(path: Path, location: Location, problems: Problems, root: Path | None, limits: Limits,
                 record_id: str | None) -> list[tuple[str, Table | None]]:
    raw = read_bytes(path, location, problems, limits.table_bytes, root)
    if raw is None or not _sizes_allowed(raw, location, problems, limits):
        return []
    # Imported here: the command line should not pay for it when no workbook is read.
    from openpyxl import load_workbook

    workbook = None
    found: list[tuple[str, Table | None]] = []
    try:
        with warnings.catch_warnings():  # openpyxl's remarks on styles WPS writes are not the clerk's business
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        if not workbook.worksheets:
            problems.add(location, "xlsx_no_sheet")
            return []
        if record_id is not None:
            sheets = [_sheet_of(workbook, record_id)]
        else:
            sheets = [sheet for sheet in workbook.worksheets if getattr(sheet, "sheet_state", "visible") == "visible"]
        for sheet in sheets:
            name = str(sheet.title) if len(workbook.worksheets) > 1 else None
            found.append((str(sheet.title), _read_sheet(raw, sheet, name, location, problems, limits)))
    except _CellProblem as problem:
        problems.add(location, problem.key, **problem.params)
        return []
    except Exception:  # noqa: BLE001 - whatever a damaged file makes the library raise
        problems.add(location, "xlsx_unreadable")
        return []
    finally:
        if workbook is not None:
            try:
                workbook.close()
            except Exception:  # noqa: BLE001
                pass
    return found


def _read_sheet(raw: bytes, sheet: Any, name: str | None, location: Location, problems: Problems,
                limits: Limits) -> Table | None:
    from openpyxl.utils import get_column_letter

    records: list[tuple[int, list[str]]] = []
    cell_problems: list[tuple[int, int, _CellProblem]] = []  # (row, column index, problem)
    sheet_problems = Problems()
    try:
        sheet.reset_dimensions()  # some programs write a wrong size; read every row there is
        for count, row in enumerate(sheet.iter_rows(max_col=limits.table_columns + 1)):
            if count >= limits.table_rows:
                raise _CellProblem("table_too_many_rows", limit=limits.table_rows)
            cells = {cell.column: cell for cell in row
                     if isinstance(getattr(cell, "column", None), int) and cell.value is not None}
            if not cells:
                continue
            if max(cells) > limits.table_columns:
                raise _CellProblem("table_too_many_columns", limit=limits.table_columns)
            line = next(iter(cells.values())).row
            texts = [""] * max(cells)
            for index, cell in cells.items():
                try:
                    texts[index - 1] = _cell_text(cell, limits.text_chars)
                except _CellProblem as problem:
                    cell_problems.append((line, index, problem))
            records.append((line, texts))
        cell_problems += _formulas_without_values(raw, str(sheet.title), records,
                                                  {(line, index) for line, index, _ in cell_problems}, limits)
        merged, merge_problems = _merged_cells(raw, sheet, records)
        cell_problems += merge_problems
    except _CellProblem as problem:
        problems.add(Location(location.path, None, None, Sheet(name, ())), problem.key, **problem.params)
        return None
    width = max((len(texts) for _, texts in records), default=0)
    letters = [get_column_letter(index) for index in range(1, width + 1)]
    # The table's headers first, so that every problem can name its cell by letter and header.
    table = make_table(location, records, sheet_problems, merged)
    header = header_of(records)
    sheet_location = Location(location.path, None, None,
                              Sheet(name, tuple((column, letters[index]) for index, column in enumerate(header) if column)))
    for problem in sheet_problems:
        problems.add(sheet_location.at(problem.location.line, problem.location.column), problem.key,
                     problem.severity, **problem.params)
    for line, index, problem in cell_problems:
        column = header[index - 1] if 0 < index <= len(header) and header[index - 1] else None
        problems.add(sheet_location.at(line, column), problem.key, **problem.params)
    if table is None or cell_problems:
        return None
    return Table(sheet_location, table.columns, table.rows, table.header_line, table.above)


def _sizes_allowed(raw: bytes, location: Location, problems: Problems, limits: Limits) -> bool:
    """The workbook's parts, unpacked, within the limit (a zip's sizes are checked as it is read:
    a part that unpacks to more than it says is refused by zipfile itself)."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        problems.add(location, "xlsx_unreadable")
        return False
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.xlsx_unpacked_bytes or len(parts) > 10_000:
        problems.add(location, "xlsx_too_large", size=f"{unpacked / 1024 / 1024:.0f} MB",
                     limit=f"{limits.xlsx_unpacked_bytes / 1024 / 1024:.0f} MB")
        return False
    return True


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')


def _merged_cells(raw: bytes, sheet: Any, records: list[tuple[int, list[str]]]
                  ) -> tuple[set[tuple[int, int]], list[tuple[int, int, _CellProblem]]]:
    """Merged cells: Excel keeps the value in the first cell only. Above the data (a title, a
    two-row header) a merge is layout. Down one column of the data (a 户主 over its members'
    rows, a 组别 over its households) the value belongs to every row it covers, so it is copied
    into each, and the copies are returned as (line, column index) for the domain to refuse
    where a copied value would be ambiguous (an amount). Across columns in the data it is an
    error: which column the value belongs to is a guess."""
    from openpyxl.utils import column_index_from_string

    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return set(), []
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        xml = book.read(path)
    first_data = data_start(records)
    lines = {line: texts for line, texts in records}
    copied: set[tuple[int, int]] = set()
    found = []
    for match in _MERGE.finditer(xml):
        first_row, last_row = int(match[2]), int(match[4] or match[2])
        first_column = column_index_from_string(match[1].decode())
        last_column = column_index_from_string(match[3].decode()) if match[3] else first_column
        if first_data is None or last_row < first_data:
            continue
        if first_row < first_data or last_column > first_column:
            cells = match[0].split(b'ref="')[1].rstrip(b'"').decode()
            found.append((first_row, first_column, _CellProblem("xlsx_merged_cells", cells=cells)))
            continue
        source = lines.get(first_row, [])
        value = source[first_column - 1] if first_column <= len(source) else ""
        copied.add((first_row, first_column - 1))
        for line in range(first_row + 1, last_row + 1):
            texts = lines.get(line)
            if texts is None:
                continue  # a row left blank under the merge is no row of the table
            texts.extend([""] * (first_column - len(texts)))
            texts[first_column - 1] = value
            copied.add((line, first_column - 1))
    return copied, found


def _formulas_without_values(raw: bytes, title: str, records: list[tuple[int, list[str]]],
                             known: set[tuple[int, int]], limits: Limits) -> list[tuple[int, int, _CellProblem]]:
    """Formula cells the file keeps no result for (it was written by a program, never opened and
    saved in Excel): read as blank, they would silently drop an amount."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        found = []
        lines = {line: texts for line, texts in records}
        for count, row in enumerate(workbook[title].iter_rows(max_col=limits.table_columns)):
            if count >= limits.table_rows:
                break
            for cell in row:
                value = getattr(cell, "value", None)
                if isinstance(value, str) and value.startswith("=") and isinstance(getattr(cell, "row", None), int) \
                        and (cell.row, cell.column) not in known:
                    texts = lines.get(cell.row, [])
                    if cell.column > len(texts) or not texts[cell.column - 1]:
                        found.append((cell.row, cell.column, _CellProblem("xlsx_formula_without_value", formula=value)))
        return found
    finally:
        workbook.close()
