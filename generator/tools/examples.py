"""Example values for a record of any kind, that pass its model and its rules: found from the
field types, then run through the real pipeline (model and rules) until they pass. A value the
rules refuse with the list of what is allowed becomes the first allowed one; an optional field
the rules refuse is left out. A kind can set its own in `Record.examples`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any


from generator.inputs.messages import Catalogue
from generator.inputs.problems import Location, Problems, Severity
from generator.inputs.readers import Document, Row, Table
from generator.domain.kinds import Record
from generator.domain.kinds.media import ATTACHMENT_FIELDS

from generator.tools.fields import (DATE, INTEGER, LIST, LONG_TEXT, MONEY, NESTED, NESTED_LIST, NUMBER, PERIOD, PERSONAL,
                                     TABLE, TEXT, YES_NO, FieldDoc, describe, row_model, table_headers)

# The example record's id, in the pipeline that tries its values.
EXAMPLE_ID = "example"
# For the example record: the day an event happened, and the day its notice went up.
EVENT_DAY = (1, 10)  # 10 January of the record's year
POSTING_DAY = (2, 5)  # 5 February


def _example(doc: FieldDoc, year: int, posting_days: int | None, path: str) -> Any:
    event = date(year, *EVENT_DAY)
    posted = date(year, *POSTING_DAY)
    if doc.choices:
        return doc.choices[0]
    if doc.example is not None:
        return doc.example
    if doc.kind == DATE:
        if path == "date":
            return posted.isoformat()
        if path == "posted_until":
            return (posted + timedelta(days=max((posting_days or 7) - 1, 0))).isoformat()
        return event.isoformat()
    if doc.kind == MONEY:
        return "1200.00"
    if doc.kind == NUMBER:
        return "10"
    if doc.kind == INTEGER:
        return year if "year" in doc.name else 0  # counts and votes: nothing can exceed nothing
    if doc.kind == PERIOD:
        return f"{year}-01"
    if doc.kind == YES_NO:
        return True
    if doc.kind == PERSONAL:
        return ""
    if doc.kind == LONG_TEXT:
        return f"示例{doc.label}。"
    if doc.kind == TEXT:
        return f"示例{doc.label}"
    if doc.kind == NESTED:
        return {child.key: _example(child, year, posting_days, f"{path}.{child.key}") for child in doc.children}
    if doc.kind == NESTED_LIST:
        return [{child.key: _example(child, year, posting_days, f"{path}.0.{child.key}") for child in doc.children}]
    if doc.kind == LIST:
        item = FieldDoc(doc.key, doc.name, doc.label, doc.item_kind or TEXT, True)
        return [_example(item, year, posting_days, path)]
    return None


def _set(data: Any, parts: list[str], value: Any, remove: bool = False) -> bool:
    """Set (or, with `remove`, delete) the value at a dotted path in nested dicts and lists;
    whether anything changed."""
    for part in parts[:-1]:
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return False
    last = parts[-1]
    if isinstance(data, list) and last.isdigit() and int(last) < len(data):
        if remove:
            del data[int(last)]
            return True
        changed = data[int(last)] != value
        data[int(last)] = value
        return changed
    if isinstance(data, dict):
        if remove:
            return data.pop(last, None) is not None
        changed = data.get(last) != value
        data[last] = value
        return changed
    return False


def _doc_at(docs: list[FieldDoc], parts: list[str]) -> FieldDoc | None:
    doc = None
    for part in parts:
        if part.isdigit():
            continue
        doc = next((candidate for candidate in docs if part in (candidate.key, candidate.name)), None)
        if doc is None:
            return None
        docs = doc.children
    return doc


def _lines(data: Any, prefix: str, lines: dict[str, int]) -> None:
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        dotted = f"{prefix}{key}"
        lines[dotted] = len(lines) + 2
        _lines(value, dotted + ".", lines)


@dataclass
class Example:
    """An example record of a kind: its YAML data, its table (header → cell text) if it has one,
    and the errors the rules still find in it (none, for most kinds)."""

    data: dict[str, Any]
    rows: list[dict[str, str]] | None
    errors: list[str] = field(default_factory=list)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dotted field → what the rules allow


def _try(kind: type[Record], data: dict[str, Any], rows: list[dict[str, str]] | None, year: int,
         settings: Any) -> tuple[Problems, dict[int, str]]:
    """Model and rules over the example, in memory; and which dotted key each line stands for."""
    from generator.domain.check import check_village
    from generator.inputs.load import RawRecord
    from generator.domain.modelling import model

    lines: dict[str, int] = {}
    _lines(data, "", lines)
    folder = f"content/{settings.id}/{year}/{kind.section}"
    document = Document(Location(f"{folder}/{EXAMPLE_ID}.yml", 1), dict(data), lines)
    table = None
    if rows is not None:
        columns = list(rows[0]) if rows else []
        table = Table(Location(f"{folder}/{EXAMPLE_ID}.csv"), columns,
                      [Row(index + 2, dict(row)) for index, row in enumerate(rows)])
    problems = Problems()
    try:
        record = model(RawRecord(kind, settings.id, year, EXAMPLE_ID, document, table), settings, problems)
        if record is not None:
            problems.extend(check_village([record], settings))
    except Exception as error:  # noqa: BLE001 - a kind's rule failing on an example must not stop a clerk
        problems.add(document.location, "invalid", field="", value="", detail=f"{type(error).__name__}: {error}")
    return problems, {line: dotted for dotted, line in lines.items()}


def _default_settings() -> Any:
    from generator.domain.settings import VillageSettings

    return VillageSettings(id="example", name="示例村", township={"name": "示例镇"})


def example(kind: type[Record], year: int, catalogue: Catalogue | None = None, settings: Any = None) -> Example:
    """An example record of `kind` for `year` that the model and the rules accept, as far as can
    be found from the model alone (see the module's docstring)."""
    catalogue = catalogue or Catalogue()
    settings = settings or _default_settings()
    posting_days = getattr(settings.rules.of(kind.section, settings.today()), "posting_days", None)
    docs = describe(kind, catalogue, kind.table_field)
    # Photos and scans name files of the record's folder, which no example can make.
    data = {doc.key: _example(doc, year, posting_days, doc.key) for doc in docs
            if doc.kind != TABLE and doc.key not in ATTACHMENT_FIELDS}
    data = {key: value for key, value in data.items() if value is not None}
    rows = example_rows(kind, year, catalogue, posting_days) if kind.table_field else None
    for dotted, value in getattr(kind, "examples", {}).items():
        if rows is not None and kind.table_field and dotted.startswith(kind.table_field + "."):
            name = dotted.split(".", 1)[1]
            header = next((header for header, field_name in table_headers(kind) if field_name == name), name)
            for row in rows:
                row[header] = str(value)
        else:
            _set(data, dotted.split("."), value)
    row_docs = describe(row_model(kind), catalogue) if row_model(kind) else []
    header_field = dict(kind.table_columns)
    choices: dict[str, tuple[str, ...]] = {}
    problems = Problems()
    for _ in range(10):
        problems, keys = _try(kind, data, rows, year, settings)
        errors = problems.errors
        if not errors:
            break
        changed = False
        for problem in errors:
            if problem.location.path.endswith(".csv") and rows:
                changed = _fix_row(problem, rows, row_docs, header_field, choices, kind) or changed
            else:
                changed = _fix_field(problem, data, docs, keys.get(problem.location.line or 0), choices) or changed
        if not changed:
            changed = _try_named_values(kind, data, rows, year, settings, docs, errors, keys)
        if not changed:
            break
    errors = [f"{problem.location}: {problem.key}" for problem in problems if problem.severity is Severity.ERROR]
    return Example(data, rows, errors, choices)


def _allowed(problem: Any) -> tuple[str, ...]:
    allowed = str(problem.params.get("allowed") or "")
    return tuple(choice.strip() for choice in allowed.split("、") if choice.strip())


def _limit(problem: Any) -> Any:
    return next((problem.params[name] for name in ("ge", "gt", "le", "lt") if name in problem.params), None)


def _fix_field(problem: Any, data: dict[str, Any], docs: list[FieldDoc], dotted: str | None,
               choices: dict[str, tuple[str, ...]]) -> bool:
    """Change the example where a rule refused it: an allowed value, the limit, or leave it out."""
    if dotted is None:
        return False
    parts = dotted.split(".")
    target = _get(data, parts)
    if isinstance(target, dict) and "value" in problem.params:
        # A rule about an item as a whole that names the value it refused: that value's field.
        key = next((key for key, value in target.items() if str(value) == str(problem.params["value"])), None)
        if key is None:
            return False
        parts = parts + [key]
    doc = _doc_at(docs, parts)
    allowed, limit = _allowed(problem), _limit(problem)
    if allowed:
        choices[".".join(part for part in parts if not part.isdigit())] = allowed
        return _set(data, parts, allowed[0])
    if limit is not None:
        return _set(data, parts, limit)
    if doc is not None and not doc.required:
        return _set(data, parts, None, remove=True)
    return False


def _fix_row(problem: Any, rows: list[dict[str, str]], row_docs: list[FieldDoc], header_field: dict[str, str],
             choices: dict[str, tuple[str, ...]], kind: type[Record]) -> bool:
    index = (problem.location.line or 2) - 2
    if not 0 <= index < len(rows):
        return False
    row = rows[index]
    header = problem.location.column
    if header not in row and problem.params.get("value") not in (None, ""):  # (an empty value names no cell)
        header = next((key for key, value in row.items() if value == str(problem.params["value"])), None)
    if header is None:
        # A rule about the row as a whole (e.g. income or expense, not both): leave out its last
        # optional value, and see.
        optional = [key for key, value in row.items() if value and (doc := _doc_at(row_docs, [header_field.get(key, key)]))
                    and not doc.required]
        if optional:
            row[optional[-1]] = ""
            return True
        return False
    if header not in row:
        return False
    doc = _doc_at(row_docs, [header_field.get(header, header)])
    allowed, limit = _allowed(problem), _limit(problem)
    if allowed and row[header] != allowed[0]:
        choices[f"{kind.table_field}.{header_field.get(header, header)}"] = allowed
        row[header] = allowed[0]
        return True
    if limit is not None and row[header] != str(limit):
        row[header] = str(limit)
        return True
    if doc is not None and not doc.required and row[header]:
        row[header] = ""
        return True
    return False


def _count_errors(kind: type[Record], data: dict[str, Any], rows: Any, year: int, settings: Any) -> int:
    problems, _ = _try(kind, data, rows, year, settings)
    return len(problems.errors)


def _try_named_values(kind: type[Record], data: dict[str, Any], rows: Any, year: int, settings: Any,
                      docs: list[FieldDoc], errors: list[Any], keys: dict[int, str]) -> bool:
    """A rule that names the values it compared (期末余额 … 写的是 1200.00，算出来是 2400.00): try
    each of them in the field the rule points at; keep one that leaves fewer errors."""
    before = len(errors)
    for problem in errors:
        dotted = keys.get(problem.location.line or 0)
        doc = _doc_at(docs, dotted.split(".")) if dotted else None
        if doc is None or doc.kind not in (MONEY, DATE, INTEGER, NUMBER):
            continue
        parts = dotted.split(".")
        current = _get(data, parts)
        for candidate in _candidates(problem.params.values(), doc.kind):
            if str(candidate) == str(current):
                continue
            _set(data, parts, candidate)
            if _count_errors(kind, data, rows, year, settings) < before:
                return True
            _set(data, parts, current)
    return False


def _get(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _candidates(values: Any, kind: str) -> list[str]:
    found = []
    for value in values:
        text = value.isoformat() if isinstance(value, date) else str(value)
        try:
            if kind == DATE:
                date.fromisoformat(text)
            elif kind == INTEGER:
                text = str(int(text))
            else:
                text = f"{Decimal(text):.2f}"
        except (ValueError, ArithmeticError):
            continue
        if text not in found:
            found.append(text)
    return found


def example_rows(kind: type[Record], year: int, catalogue: Catalogue, posting_days: int | None) -> list[dict[str, str]]:
    model = row_model(kind)
    if model is None:  # a free list (名单): columns of the clerk's choosing
        headers = [header.strip() for header in catalogue.text("scaffold.list_headers").split(",")]
        values = [value.strip() for value in catalogue.text("scaffold.list_example").split(",")]
        return [dict(zip(headers, values + [""] * (len(headers) - len(values))))]
    docs = {doc.name: doc for doc in describe(model, catalogue)}
    row = {}
    for header, name in table_headers(kind):
        doc = docs.get(name)
        value = _example(doc, year, posting_days, f"row.{name}") if doc else ""
        row[header] = "true" if value is True else "" if value is None else str(value)
    return [row]
