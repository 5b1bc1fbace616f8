"""Readers: turn the clerk's files into plain data that remembers where each value came from.

A reader never raises on bad input; it returns the problems it found, each with a location.
Records are data typed by hand and pasted from elsewhere: YAML aliases (a few bytes that expand
to gigabytes) and duplicate keys (the last silently wins) are refused, and so is any text with a
control character or longer than the limit. Spreadsheets: tables.py, spreadsheets.py.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from generator.inputs.files import DEFAULT_LIMITS, Limits, bad_character, read_text
from generator.inputs.problems import Location, Problems
from generator.inputs.spreadsheets import read_xlsx
from generator.inputs.tables import Row, Table, make_table

__all__ = ["Document", "Row", "Table", "TABLE_READERS", "read_csv", "read_xlsx", "read_yaml"]

# Deeper than any record needs; deeper still, the parsers recurse until Python stops them.
MAX_DEPTH = 32


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


def _parse_fast(text: str) -> yaml.Node | None:
    """The document's node, or None when libyaml has any trouble with it (or it is empty)."""
    loader = _FastLoader(text)
    try:
        return loader.get_single_node()
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


def _check_nodes(root: yaml.Node, location: Location, problems: Problems, limits: Limits) -> dict[str, int] | None:
    """The line of every key (dotted for nested ones), or None with a problem for each duplicate
    key, text with a control character or longer than the limit, or nesting deeper than MAX_DEPTH.
    (Aliases are refused before: each node is met once, so this is linear in the file.)"""
    lines: dict[str, int] = {}
    ok = True
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 0)]
    while stack:
        node, prefix, depth = stack.pop()
        line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            problems.add(location.at(line), "yaml_syntax", reason="too_deep")
            return None
        if isinstance(node, yaml.ScalarNode):
            ok = _text_ok(node.value, location.at(line), problems, limits) and ok
        elif isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                key_line = key_node.start_mark.line + 1
                if key in first:
                    problems.add(location.at(key_line), "yaml_duplicate_key", name=key[:40], first=first[key])
                    ok = False
                first.setdefault(key, key_line)
                lines[f"{prefix}{key}"] = key_line
                stack.append((key_node, prefix, depth + 1))
                stack.append((value_node, f"{prefix}{key}.", depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[f"{prefix}{index}"] = item.start_mark.line + 1
                stack.append((item, f"{prefix}{index}.", depth + 1))
    return lines if ok else None


def _text_ok(text: str, location: Location, problems: Problems, limits: Limits) -> bool:
    if len(text) > limits.text_chars:
        problems.add(location, "text_too_long", length=len(text), limit=limits.text_chars)
        return False
    bad = bad_character(text)
    if bad is not None:
        problems.add(location, "text_control_character", code=bad[1], position=bad[0] + 1)
        return False
    return True


def _alias_line(text: str) -> int | None:
    """The line of the first alias (*name) in the text, if it has any."""
    if "&" not in text or "*" not in text:  # no anchor, or nothing refers to one
        return None
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1
    except yaml.YAMLError:
        return None  # reading it says what is wrong
    return None


# PyYAML's English, as the reason a clerk reads (reasons.* in the catalogue).
_REASONS = (
    ("could not find expected ':'", "missing_colon"),
    ("mapping values are not allowed", "colon"),
    ("tab", "tab"),
    ("unexpected end of stream", "quote"),
    ("quoted scalar", "quote"),
    ("block end", "indentation"),
    ("did not find expected key", "indentation"),
    ("indentation", "indentation"),
    ("escape", "escape"),
    ("nesting depth", "too_deep"),
    ("constructor", "tag"),
    ("alias", "alias"),
)


def _reason(error: yaml.MarkedYAMLError) -> str:
    said = f"{error.problem or ''} {error.context or ''}"
    return next((reason for phrase, reason in _REASONS if phrase in said), "other")


def read_yaml(path: Path, location: Location, problems: Problems, root: Path | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Document | None:
    text = read_text(path, location, problems, limits.record_bytes, root)
    if text is None:
        return None
    alias = _alias_line(text)
    if alias is not None:
        problems.add(location.at(alias), "yaml_alias")
        return None
    loader = None
    try:
        node = _parse_fast(text)
        if node is None:
            loader = _Loader(text)
            node = loader.get_single_node()
        lines = _check_nodes(node, location, problems, limits) if node is not None else {}
        if lines is None:
            return None
        data = (loader or _FastLoader("")).construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        # A line with a missing colon is reported on the line after it; name the line itself.
        missing_colon = error.context == "while scanning a simple key"
        mark = (error.context_mark if missing_colon else None) or error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problems.add(location.at(line), "yaml_syntax", reason=_reason(error))
        return None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (a control character pasted from Word): name its line.
        line = text.count("\n", 0, error.position) + 1
        problems.add(location.at(line), "yaml_control_character", code=f"U+{error.character:04X}"
                     if isinstance(error.character, int) else str(error.character))
        return None
    except RecursionError:
        problems.add(location.at(1), "yaml_syntax", reason="too_deep")
        return None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, AttributeError, KeyError, IndexError):
        # What PyYAML's constructors raise for a value its tag cannot hold (!!timestamp 三月一日).
        problems.add(location, "yaml_syntax", reason="tag")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(location.at(1), "yaml_not_mapping")
        return None
    return Document(location.at(1), {str(k): v for k, v in data.items()}, lines)


_CSV_REASONS = (("field limit", "cell_too_long"), ("new-line", "newline"), ("NUL", "control"))


def read_csv(path: Path, location: Location, problems: Problems, root: Path | None = None,
             limits: Limits = DEFAULT_LIMITS) -> Table | None:
    text = read_text(path, location, problems, limits.table_bytes, root)
    if text is None:
        return None
    bad = bad_character(text)
    if bad is not None:
        problems.add(location.at(text.count("\n", 0, bad[0]) + 1), "text_control_character", code=bad[1],
                     position=bad[0] - text.rfind("\n", 0, bad[0]))
        return None
    csv.field_size_limit(limits.text_chars)  # a longer cell is an error, not a text to publish
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            records.append((start, row))  # a row is located on the line it starts on
            start = reader.line_num + 1
            if len(records) > limits.table_rows or len(row) > limits.table_columns:
                key = "table_too_many_rows" if len(records) > limits.table_rows else "table_too_many_columns"
                problems.add(location.at(start - 1), key, limit=limits.table_rows if "rows" in key else limits.table_columns)
                return None
    except csv.Error as error:
        reason = next((reason for phrase, reason in _CSV_REASONS if phrase in str(error)), "other")
        problems.add(location.at(start), "csv_syntax", reason=reason)
        return None
    # Python's csv reader runs an unclosed quote on to the end of the file, swallowing every row
    # after it into one cell; a strict reader notices, and the clerk learns where the quote is.
    if '"' in text:
        strict = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            for _ in strict:
                pass
        except csv.Error:
            problems.add(location.at(records[-1][0] if records else 1), "csv_unclosed_quote")
            return None
    return make_table(location, records, problems)


TABLE_READERS = {".csv": read_csv, ".xlsx": read_xlsx}
