"""Readers: turn the clerk's files into plain data that remembers where each value came from.

A reader never raises on bad input; it returns the problems it found, each with a location.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from generator.inputs.problems import Location, Problems, Sheet

# Encodings a clerk's file may come in: Excel on Chinese Windows saves GB18030/GBK.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


class _Loader(yaml.SafeLoader):
    """YAML as clerks write it, with amounts read as exact decimals, never floats."""


_SPECIAL_FLOATS = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float:
    text = loader.construct_scalar(node).replace("_", "")
    special = _SPECIAL_FLOATS.get(text.lower())
    if special is not None:  # .inf and .nan stay floats; validation rejects them as amounts
        return special
    try:
        return Decimal(text)
    except ArithmeticError:
        return float("nan")


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date (2025-13-01) stays text, so the model can say which field is wrong.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class _FastLoader(yaml.CSafeLoader):
    """The same, parsed by libyaml: several times faster on a year of records. Used only for
    files it reads without trouble; any other goes to `_Loader`, whose messages name the line
    and character exactly as a clerk needs them."""


_FastLoader.add_constructor("tag:yaml.org,2002:float", _decimal)
_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _parse_fast(text: str) -> tuple[yaml.Node | None, Any] | None:
    """The document's node and data, or None when libyaml has any trouble with it."""
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    except Exception:  # noqa: BLE001 - whatever it is, the careful loader below says it properly
        return None
    finally:
        loader.dispose()


@dataclass
class Document:
    """A YAML mapping and, for every key (dotted for nested ones), the line it is on."""

    location: Location
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    def _nearest(self, dotted: str) -> int | None:
        # Walk up from the most specific key to the nearest one we know the line of.
        parts = dotted.split(".")
        while parts:
            line = self.lines.get(".".join(parts))
            if line is not None:
                return line
            parts.pop()
        return None

    def knows(self, dotted: str) -> bool:
        return self._nearest(dotted) is not None

    def line_of(self, dotted: str) -> int | None:
        line = self._nearest(dotted)
        return self.location.line if line is None else line


def _key_lines(node: yaml.Node, prefix: str, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            dotted = f"{prefix}{key_node.value}"
            lines[dotted] = key_node.start_mark.line + 1
            _key_lines(value_node, dotted + ".", lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            dotted = f"{prefix}{index}"
            lines[dotted] = item.start_mark.line + 1
            _key_lines(item, dotted + ".", lines)


def read_text(path: Path, location: Location, problems: Problems) -> str | None:
    raw = path.read_bytes()
    for encoding in TEXT_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.add(location, "encoding")
    return None


def read_yaml(path: Path, location: Location, problems: Problems) -> Document | None:
    text = read_text(path, location, problems)
    if text is None:
        return None
    loader = None
    try:
        parsed = _parse_fast(text)
        if parsed is None:
            loader = _Loader(text)
            node = loader.get_single_node()
            parsed = node, loader.construct_document(node) if node is not None else None
        node, data = parsed
    except yaml.MarkedYAMLError as error:
        # A line with a missing colon is reported on the line after it; name the line itself.
        missing_colon = error.context == "while scanning a simple key"
        mark = (error.context_mark if missing_colon else None) or error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problems.add(location.at(line), "yaml_syntax", detail=error.problem or "")
        return None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (a control character pasted from Word): name its line.
        line = text.count("\n", 0, error.position) + 1
        problems.add(location.at(line), "yaml_control_character", code=f"U+{error.character:04X}"
                     if isinstance(error.character, int) else str(error.character))
        return None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, OverflowError, AttributeError, KeyError,
            IndexError) as error:
        # What PyYAML's constructors raise for a value its tag cannot hold (!!timestamp 三月一日).
        problems.add(location, "yaml_syntax", detail=str(error) or type(error).__name__)
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(location.at(1), "yaml_not_mapping")
        return None
    lines: dict[str, int] = {}
    try:
        _key_lines(node, "", lines)
    except RecursionError:  # an alias that contains itself (a: &a [*a])
        problems.add(location.at(1), "yaml_syntax", detail="&/*")
        return None
    return Document(location.at(1), {str(k): v for k, v in data.items()}, lines)


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


def read_csv(path: Path, location: Location, problems: Problems) -> Table | None:
    text = read_text(path, location, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text.replace("\0", ""), newline=""))
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            records.append((start, row))  # a row is located on the line it starts on
            start = reader.line_num + 1
    except csv.Error as error:
        problems.add(location.at(start), "csv_syntax", detail=str(error))
        return None
    # Python's csv reader runs an unclosed quote on to the end of the file, swallowing every row
    # after it into one cell; a strict reader notices, and the clerk learns where the quote is.
    if '"' in text:
        strict = csv.reader(io.StringIO(text.replace("\0", ""), newline=""), strict=True)
        try:
            for _ in strict:
                pass
        except csv.Error:
            problems.add(location.at(records[-1][0] if records else 1), "csv_unclosed_quote")
            return None
    return _table(location, records, problems)


def _table(location: Location, records: list[tuple[int, list[str]]], problems: Problems) -> Table | None:
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


# -- Excel workbooks --------------------------------------------------------------------------

# Excel keeps 15 significant digits: a longer number typed into a number cell (an ID or bank card
# number) has already lost its last digits.
_EXCEL_DIGITS = 10**15


def _sheet_of(workbook: Any, record_id: str) -> Any:
    """The worksheet a record's table is on: the one named like the record (its file name, e.g.
    2025-01), else the first visible one (the first tab a clerk sees)."""
    sheets = list(workbook.worksheets)
    wanted = record_id.strip().lower()
    named = [sheet for sheet in sheets if str(sheet.title).strip().lower() == wanted]
    if named:
        return named[0]
    visible = [sheet for sheet in sheets if getattr(sheet, "sheet_state", "visible") == "visible"]
    return (visible or sheets)[0]


class _CellProblem(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _cell_text(cell: Any) -> str:
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
    return str(value).strip()


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


def read_xlsx(path: Path, location: Location, problems: Problems) -> Table | None:
    """An Excel workbook (.xlsx, as Excel, WPS and LibreOffice save it): one sheet of it, read
    like a CSV file; rows are Excel's row numbers and problems name the cell (第7行 C列（支出）).

    Which sheet: the one named like the record (its file name, e.g. 2025-01), else the first
    visible sheet.
    """
    # Imported here: the command line should not pay for it when no workbook is read.
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    workbook = None
    records: list[tuple[int, list[str]]] = []
    cell_problems: list[tuple[int, int, _CellProblem]] = []  # (row, column index, problem)
    try:
        with warnings.catch_warnings():  # openpyxl's remarks on styles WPS writes are not the clerk's business
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
        if not workbook.worksheets:
            problems.add(location, "xlsx_no_sheet")
            return None
        sheet = _sheet_of(workbook, path.stem)
        name = str(sheet.title) if len(workbook.worksheets) > 1 else None
        sheet.reset_dimensions()  # some programs write a wrong size; read every row there is
        for row in sheet.iter_rows():
            cells = {cell.column: cell for cell in row
                     if isinstance(getattr(cell, "column", None), int) and cell.value is not None}
            if not cells:
                continue
            line = next(iter(cells.values())).row
            texts = [""] * max(cells)
            for index, cell in cells.items():
                try:
                    texts[index - 1] = _cell_text(cell)
                except _CellProblem as problem:
                    cell_problems.append((line, index, problem))
            records.append((line, texts))
        cell_problems += _formulas_without_values(path, str(sheet.title), records,
                                                  {(line, index) for line, index, _ in cell_problems})
    except Exception as error:  # noqa: BLE001 - whatever a damaged file makes the library raise
        problems.add(location, "xlsx_unreadable", detail=type(error).__name__)
        return None
    finally:
        if workbook is not None:
            try:
                workbook.close()
            except Exception:  # noqa: BLE001
                pass
    width = max((len(texts) for _, texts in records), default=0)
    letters = [get_column_letter(index) for index in range(1, width + 1)]
    # The table's headers first, so that every problem can name its cell by letter and header.
    scratch = Problems()
    table = _table(location, records, scratch)
    header = _header_of(records)
    sheet_location = Location(location.path, None, None,
                              Sheet(name, tuple((column, letters[index]) for index, column in enumerate(header) if column)))
    for problem in scratch:
        problems.add(sheet_location.at(problem.location.line, problem.location.column), problem.key,
                     problem.severity, **problem.params)
    for line, index, problem in cell_problems:
        column = header[index - 1] if index <= len(header) and header[index - 1] else None
        problems.add(sheet_location.at(line, column), problem.key, **problem.params)
    if table is None or cell_problems:
        return None
    return Table(sheet_location, table.columns, table.rows)


def _formulas_without_values(path: Path, title: str, records: list[tuple[int, list[str]]],
                             known: set[tuple[int, int]]) -> list[tuple[int, int, _CellProblem]]:
    """Formula cells the file keeps no result for (it was written by a program, never opened and
    saved in Excel): read as blank, they would silently drop an amount."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        found = []
        for row in workbook[title].iter_rows():
            for cell in row:
                value = getattr(cell, "value", None)
                if isinstance(value, str) and value.startswith("=") and isinstance(getattr(cell, "row", None), int) \
                        and (cell.row, cell.column) not in known:
                    texts = next((texts for line, texts in records if line == cell.row), [])
                    if cell.column > len(texts) or not texts[cell.column - 1]:
                        found.append((cell.row, cell.column, _CellProblem("xlsx_formula_without_value", formula=value)))
        return found
    finally:
        workbook.close()


def _header_of(records: list[tuple[int, list[str]]]) -> list[str]:
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


TABLE_READERS = {".csv": read_csv, ".xlsx": read_xlsx}
