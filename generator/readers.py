"""Readers: turn the clerk's files into plain data that remembers where each value came from.

A reader never raises on bad input; it returns the problems it found, each with a location.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Location, Problems

# Encodings a clerk's file may come in: Excel on Chinese Windows saves GB18030/GBK.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


class _Loader(yaml.SafeLoader):
    """YAML as clerks write it, with amounts read as exact decimals, never floats."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:  # .inf and .nan stay floats; validation rejects them as amounts
        return float(text)


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # An impossible date (2025-13-01) stays text, so the model can say which field is wrong.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


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
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        # A line with a missing colon is reported on the line after it; name the line itself.
        missing_colon = error.context == "while scanning a simple key"
        mark = (error.context_mark if missing_colon else None) or error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problems.add(location.at(line), "yaml_syntax", detail=error.problem or "")
        return None
    except (yaml.YAMLError, ValueError, TypeError) as error:
        problems.add(location, "yaml_syntax", detail=str(error))
        return None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(location.at(1), "yaml_not_mapping")
        return None
    lines: dict[str, int] = {}
    _key_lines(node, "", lines)
    return Document(location.at(1), {str(k): v for k, v in data.items()}, lines)


@dataclass
class Row:
    line: int
    cells: dict[str, str]


@dataclass
class Table:
    """A spreadsheet: column headers in the clerk's words, and rows with their line numbers."""

    location: Location
    columns: list[str]
    rows: list[Row]


def read_csv(path: Path, location: Location, problems: Problems) -> Table | None:
    text = read_text(path, location, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        problems.add(location.at(reader.line_num), "csv_syntax", detail=str(error))
        return None
    records = [(line, row) for line, row in records if any(cell.strip() for cell in row)]
    if not records:
        problems.add(location.at(1), "table_empty")
        return None
    header_line, header = records[0]
    columns = [cell.strip() for cell in header]
    ok = True
    seen: set[str] = set()
    for column in columns:
        if not column:
            problems.add(location.at(header_line), "table_blank_header")
            ok = False
        elif column in seen:
            problems.add(location.at(header_line), "table_duplicate_header", column=column)
            ok = False
        seen.add(column)
    rows: list[Row] = []
    for line, cells in records[1:]:
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            problems.add(location.at(line), "table_extra_cells", expected=len(columns), found=len(cells))
            ok = False
            continue
        padded = cells + [""] * (len(columns) - len(cells))
        rows.append(Row(line, {column: cell.strip() for column, cell in zip(columns, padded)}))
    return Table(location, columns, rows) if ok else None


TABLE_READERS = {".csv": read_csv}
