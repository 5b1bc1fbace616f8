"""Starting points for a clerk: a new record's YAML skeleton, and a spreadsheet template.

    village-portal new KIND --village ID [--year YYYY] [--id ID]   content/<village>/<year>/<section>/<id>.yml
    village-portal template KIND [--out FILE]                      an .xlsx with the table's headers

Both are made from the kind's model, so they work for every kind in `generator.domain.kinds.KINDS`
without knowing any of them: the fields and whether each is required, their types (日期, 金额 …)
and their labels (the catalogue's `fields.*`). Example values come from the field types and are
then run through the real pipeline (model and rules) until they pass: a value the rules refuse
with the list of what is allowed (categories, accounts, asset classes …) becomes the first
allowed one, an optional field the rules refuse is left out. A kind can set its own example
values in `Record.examples` (dotted field → value), for what cannot be found that way.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Annotated, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Location, Problems, Severity
from generator.inputs.readers import Document, Row, Table
from generator.domain.kinds import KINDS, Record
from generator.domain.kinds import fields as clerk_fields

# The kinds of value a field holds, as the skeleton explains them (scaffold.types.*).
TEXT, LONG_TEXT, DATE, MONEY, NUMBER, INTEGER, PERIOD, YES_NO = (
    "text", "long_text", "date", "money", "number", "integer", "period", "yes_no")
NESTED, LIST, NESTED_LIST, TABLE, PERSONAL, OTHER = "nested", "list", "nested_list", "table", "personal", "other"
# Free text written over several lines (`body: |`).
LONG_TEXT_FIELDS = {"body", "notes", "reason", "content", "description", "remarks"}
# The example record's id, in the pipeline that tries its values.
EXAMPLE_ID = "example"
# For the example record: the day an event happened, and the day its notice went up.
EVENT_DAY = (1, 10)  # 10 January of the record's year
POSTING_DAY = (2, 5)  # 5 February


@dataclass
class FieldDoc:
    """One field as a clerk writes it."""

    key: str  # the YAML key (the field's alias if it has one)
    name: str  # the field's name in the model
    label: str
    kind: str
    required: bool
    children: list[FieldDoc] = field(default_factory=list)  # NESTED and NESTED_LIST
    item_kind: str | None = None  # LIST: the kind of each item
    choices: tuple[str, ...] = ()
    number_kind: str | None = None  # PERSONAL: id | mobile | bank
    example: Any = None


# -- reading a model ----------------------------------------------------------------------------

_VALIDATOR_KINDS = {
    clerk_fields.parse_date: DATE,
    clerk_fields.parse_amount: MONEY,
    clerk_fields.parse_text: TEXT,
    clerk_fields.parse_period: PERIOD,
}


def _unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """The type under Annotated[...] and Optional[...]: (type, metadata, optional)."""
    metadata: list[Any] = []
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            args = get_args(annotation)
            annotation, metadata = args[0], metadata + list(args[1:])
        elif origin in (Union, types.UnionType):
            args = [arg for arg in get_args(annotation) if arg is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            if len(args) != 1:
                return annotation, metadata, optional
            annotation = args[0]
        else:
            return annotation, metadata, optional


def _kind_of(annotation: Any, metadata: list[Any], name: str) -> tuple[str, dict[str, Any]]:
    for item in metadata:
        func = getattr(item, "func", None)
        if func in _VALIDATOR_KINDS:
            kind = _VALIDATOR_KINDS[func]
            return (LONG_TEXT if kind == TEXT and name in LONG_TEXT_FIELDS else kind), {}
        number_kind = getattr(func, "number_kind", None)
        if number_kind is not None:
            return PERSONAL, {"number_kind": str(number_kind)}
    origin = get_origin(annotation)
    if origin is Literal:
        return TEXT, {"choices": tuple(str(arg) for arg in get_args(annotation))}
    if origin in (list, tuple, set, frozenset):
        args = [arg for arg in get_args(annotation) if arg is not Ellipsis]
        item, item_metadata, _ = _unwrap(args[0]) if args else (str, [], False)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return NESTED_LIST, {"model": item}
        item_kind, _ = _kind_of(item, item_metadata, name)
        return LIST, {"item_kind": item_kind}
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return TEXT, {"choices": tuple(str(member.value) for member in annotation)}
        if issubclass(annotation, BaseModel):
            return NESTED, {"model": annotation}
        if issubclass(annotation, bool):
            return YES_NO, {}
        if issubclass(annotation, int):
            return INTEGER, {}
        if issubclass(annotation, Decimal | float):
            return NUMBER, {}
        if issubclass(annotation, date):
            return DATE, {}
        if issubclass(annotation, str):
            return (LONG_TEXT if name in LONG_TEXT_FIELDS else TEXT), {}
    return OTHER, {}


def describe(model: type[BaseModel], catalogue: Catalogue, table_field: str | None = None) -> list[FieldDoc]:
    """The fields of a model as a clerk writes them, in the model's order."""
    docs = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]  # type: ignore[misc]
        base, metadata, optional = _unwrap(annotation)
        kind, extra = _kind_of(base, metadata, name)
        if name == table_field:
            kind = TABLE
        key = info.alias or name
        label = catalogue.text(f"fields.{name}") if f"fields.{name}" in catalogue else key
        doc = FieldDoc(key, name, label, kind, info.is_required() and not optional,
                       item_kind=extra.get("item_kind"), choices=extra.get("choices", ()),
                       number_kind=extra.get("number_kind"))
        if kind in (NESTED, NESTED_LIST):
            doc.children = describe(extra["model"], catalogue)
        docs.append(doc)
    return docs


def table_headers(kind: type[Record]) -> list[tuple[str, str]]:
    """The table's columns as (the clerk's header, the row field): the first header of each field."""
    seen: dict[str, str] = {}
    for header, name in kind.table_columns.items():
        seen.setdefault(name, header)
    return [(header, name) for name, header in seen.items()]


def row_model(kind: type[Record]) -> type[BaseModel] | None:
    """The model of one table row, for kinds whose table has fixed columns."""
    if not kind.table_field or kind.table_field not in kind.model_fields:
        return None
    base, _, _ = _unwrap(kind.model_fields[kind.table_field].annotation)
    if get_origin(base) in (list, tuple):
        item, _, _ = _unwrap(get_args(base)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


# -- example values ------------------------------------------------------------------------------

def _example(doc: FieldDoc, year: int, posting_days: int | None, path: str) -> Any:
    event = date(year, *EVENT_DAY)
    posted = date(year, *POSTING_DAY)
    if doc.choices:
        return doc.choices[0]
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
    posting_days = getattr(settings.rules.of(kind.section), "posting_days", None)
    docs = describe(kind, catalogue, kind.table_field)
    data = {doc.key: _example(doc, year, posting_days, doc.key) for doc in docs if doc.kind != TABLE}
    data = {key: value for key, value in data.items() if value is not None}
    rows = _example_rows(kind, year, catalogue, posting_days) if kind.table_field else None
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
    if header not in row and "value" in problem.params:
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


def _example_rows(kind: type[Record], year: int, catalogue: Catalogue, posting_days: int | None) -> list[dict[str, str]]:
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


# -- the YAML skeleton ---------------------------------------------------------------------------

def _comment(doc: FieldDoc, catalogue: Catalogue, example_value: Any, choices: tuple[str, ...] = ()) -> str:
    parts = [catalogue.text("scaffold.required" if doc.required else "scaffold.optional")]
    kind = doc.number_kind if doc.kind == PERSONAL else doc.kind
    type_key = {"id": "id_number", "mobile": "phone", "bank": "bank"}.get(kind, kind) if doc.kind == PERSONAL else kind
    if doc.kind == LIST:
        type_key = LIST
    if f"scaffold.types.{type_key}" in catalogue and doc.kind not in (NESTED, NESTED_LIST):
        parts.append(catalogue.text(f"scaffold.types.{type_key}"))
    if doc.kind == PERSONAL:
        parts.append(catalogue.text("scaffold.personal"))
    choices = doc.choices or choices
    if choices:
        parts.append(catalogue.text("scaffold.choices", choices="、".join(choices)))
    elif example_value not in (None, "", [], {}) and doc.kind not in (NESTED, NESTED_LIST, LIST, LONG_TEXT):
        shown = "是" if example_value is True else example_value
        parts.append(catalogue.text("scaffold.example", example=shown))
    if doc.kind == NESTED:
        parts.append(catalogue.text("scaffold.nested"))
    if doc.kind == NESTED_LIST:
        parts.append(catalogue.text("scaffold.list_item"))
    if doc.kind == LONG_TEXT:
        parts.append(catalogue.text("scaffold.body_hint"))
    help_key = f"scaffold.help.{doc.name}"
    if help_key in catalogue:
        parts.append(catalogue.text(help_key))
    return f"{doc.label}（{parts[0]}）：" + "；".join(parts[1:])


def _skeleton_lines(docs: list[FieldDoc], catalogue: Catalogue, examples: Any, indent: str, table: str,
                    choices: dict[str, tuple[str, ...]], prefix: str = "") -> list[str]:
    lines: list[str] = []
    for doc in docs:
        value = examples.get(doc.key) if isinstance(examples, dict) else None
        path = prefix + doc.key
        if doc.kind == TABLE:
            lines.append(f"{indent}# {doc.label}：" + catalogue.text("scaffold.table_field", table=table))
            continue
        lines.append(f"{indent}# {_comment(doc, catalogue, value, choices.get(path, ()))}")
        if doc.kind == NESTED:
            lines.append(f"{indent}{doc.key}:")
            lines += _skeleton_lines(doc.children, catalogue, value or {}, indent + "  ", table, choices, path + ".")
        elif doc.kind == NESTED_LIST:
            lines.append(f"{indent}{doc.key}:")
            lines.append(f"{indent}  -")
            item = value[0] if isinstance(value, list) and value else {}
            lines += _skeleton_lines(doc.children, catalogue, item, indent + "    ", table, choices, path + ".")
        elif doc.kind == LIST:
            lines.append(f"{indent}{doc.key}:")
            lines.append(f"{indent}  -")
        elif doc.kind == LONG_TEXT:
            lines.append(f"{indent}{doc.key}: |")
            lines.append(f"{indent}  ")
        else:
            lines.append(f"{indent}{doc.key}:")
    return lines


def skeleton(kind: type[Record], record_id: str, year: int, catalogue: Catalogue | None = None,
             settings: Any = None) -> str:
    """The YAML skeleton of a new record: every field with a Chinese comment, values left blank."""
    catalogue = catalogue or Catalogue()
    docs = describe(kind, catalogue, kind.table_field)
    found = example(kind, year, catalogue, settings)
    section = catalogue.text(f"sections.{kind.section}.title") if f"sections.{kind.section}.title" in catalogue \
        else kind.section
    lines = [f"# {catalogue.text('scaffold.header', section=section)}",
             f"# {catalogue.text('scaffold.how')}", ""]
    lines += _skeleton_lines(docs, catalogue, found.data, "", f"{record_id}.xlsx / {record_id}.csv", found.choices)
    return "\n".join(lines) + "\n"


class ScaffoldError(Exception):
    """What the clerk asked for cannot be done: `key` and `params` word it (report.*)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def kind_named(name: str) -> type[Record]:
    """A kind by its section folder (finance), or by its title (财务公开)."""
    if name in KINDS:
        return KINDS[name]
    catalogue = Catalogue()
    for section, kind in KINDS.items():
        key = f"sections.{section}.title"
        if key in catalogue and catalogue.text(key) == name:
            return kind
    raise ScaffoldError("unknown_kind", kind=name, allowed="、".join(KINDS))


def new_record(kind: type[Record], content: Path, village: str, year: int, record_id: str | None = None,
               catalogue: Catalogue | None = None, settings: Any = None, today: date | None = None) -> Path:
    """Write the skeleton of a new record; never over an existing file."""
    folder = content / village / str(year) / kind.section
    if record_id is None:
        day = today or date.today()
        base = day.isoformat() if day.year == year else f"{year}-new"
        record_id, number = base, 1
        while (folder / f"{record_id}.yml").exists() or (folder / f"{record_id}.yaml").exists():
            number += 1
            record_id = f"{base}-{number}"
    path = folder / f"{record_id}.yml"
    if path.exists() or (folder / f"{record_id}.yaml").exists():
        raise ScaffoldError("new_exists", path=path)
    text = skeleton(kind, record_id, year, catalogue, settings)
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never over a file made meanwhile
        handle.write(text)
    return path


# -- the spreadsheet template --------------------------------------------------------------------

def write_template(kind: type[Record], path: Path, catalogue: Catalogue | None = None, year: int | None = None) -> Path:
    """An .xlsx with the table's headers, one example row, and a sheet of notes; never over a file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from generator.domain.kinds.notice import sensitive_kind

    catalogue = catalogue or Catalogue()
    if not kind.table_field:
        section = catalogue.text(f"sections.{kind.section}.title") if f"sections.{kind.section}.title" in catalogue \
            else kind.section
        raise ScaffoldError("template_no_table", section=section, kind=kind.section)
    if path.exists():
        raise ScaffoldError("template_exists", path=path)
    year = year or date.today().year
    found = example(kind, year, catalogue)
    rows = found.rows or _example_rows(kind, year, catalogue, None)
    headers = list(rows[0]) if rows else [header for header, _ in table_headers(kind)]
    model = row_model(kind)
    docs = {doc.name: doc for doc in describe(model, catalogue)} if model else {}
    field_of = dict(kind.table_columns)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = catalogue.text("scaffold.template_sheet")
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers, 1):
        doc = docs.get(field_of.get(header, header))
        value: Any = rows[0].get(header, "") if rows else ""
        cell = sheet.cell(row=2, column=index)
        kind_of = doc.kind if doc else TEXT
        if sensitive_kind(header) or kind_of == PERSONAL:
            cell.number_format = "@"  # text: Excel keeps every digit of a long number
            cell.value = value or None
        elif kind_of == DATE and value:
            cell.value = date.fromisoformat(value)
            cell.number_format = "yyyy-mm-dd"
        elif kind_of == MONEY and value:
            cell.value = Decimal(value)
            cell.number_format = "0.00"
        elif kind_of in (NUMBER, INTEGER) and value:
            cell.value = Decimal(value) if "." in value else int(value)
        else:
            cell.value = value or None
        width = max(len(header) * 2 + 4, len(str(value)) + 4, 10)
        sheet.column_dimensions[cell.column_letter].width = width
    notes = workbook.create_sheet(catalogue.text("scaffold.template_notes"))
    for key in ("template_note_header", "template_note_dates", "template_note_numbers", "template_note_sheet"):
        notes.append([catalogue.text(f"scaffold.{key}")])
    notes.column_dimensions["A"].width = 100
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:  # "x": never over a file made meanwhile
        workbook.save(handle)
    return path


__all__ = ["Example", "FieldDoc", "ScaffoldError", "describe", "example", "kind_named", "new_record", "skeleton",
           "table_headers", "write_template"]


# -- the commands ------------------------------------------------------------------------------

def add_commands(commands: Any) -> None:
    """`new` and `template`, added to the command line's subcommands."""
    new_cmd = commands.add_parser("new", help="write the skeleton of a new record, with Chinese comments")
    new_cmd.add_argument("kind", metavar="KIND", help=f"the section: {', '.join(KINDS)}")
    new_cmd.add_argument("--village", required=True, metavar="ID")
    new_cmd.add_argument("--year", type=int, help="the year folder (default: this year)")
    new_cmd.add_argument("--id", dest="record_id", metavar="ID", help="the record's id = file name (default: today's date)")
    new_cmd.add_argument("--content", type=Path, default=Path("content"), help="records folder (default: content)")
    new_cmd.add_argument("--config", type=Path, default=Path("site_config"), help="settings folder (default: site_config)")
    new_cmd.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages (default: zh)")

    template_cmd = commands.add_parser("template", help="write an .xlsx template of a kind's table")
    template_cmd.add_argument("kind", metavar="KIND", help=f"the section: {', '.join(KINDS)}")
    template_cmd.add_argument("--out", type=Path, help="the .xlsx file (default: <kind>-template.xlsx)")
    template_cmd.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages (default: zh)")


def run(args: Any, catalogue: Catalogue) -> int | None:
    """Run `new` or `template`; None for any other command."""
    import sys

    if args.command not in ("new", "template"):
        return None
    # The files are for the clerk and the villagers: always in Chinese, whatever --lang says.
    chinese = Catalogue()
    try:
        kind = kind_named(args.kind)
        if args.command == "new":
            if args.record_id is not None and not _RECORD_ID(args.record_id):
                raise ScaffoldError("new_bad_id", id=args.record_id)
            year = args.year or date.today().year
            path = new_record(kind, args.content, args.village, year, args.record_id, chinese,
                              _village_settings(args.config, args.village))
            print(catalogue.text("report.new_written", path=path))
            if kind.table_field:
                print(catalogue.text("report.new_table_hint", table=path.with_suffix(".xlsx").name, kind=kind.section))
        else:
            path = write_template(kind, args.out or Path(f"{kind.section}-template.xlsx"), chinese)
            print(catalogue.text("report.template_written", path=path))
    except ScaffoldError as refused:
        print(catalogue.text(f"report.{refused.key}", **refused.params), file=sys.stderr)
        return 1
    return 0


def _RECORD_ID(text: str) -> bool:
    from generator.inputs.load import RECORD_ID

    return bool(RECORD_ID.match(text))


def _village_settings(config: Path, village: str) -> Any:
    """The village's settings (its rules decide e.g. the posting period of the example), else the
    defaults: a skeleton can be written before the village's settings exist."""
    from generator.domain.settings import load_settings

    if config.is_dir():
        problems = Problems()
        found = load_settings(config, [village], problems).get(village)
        if found is not None:
            return found
    return None
