"""A record kind's fields as a clerk writes them, read from its model: keys, labels, kinds of
value (日期, 金额 …), whether each is required, the allowed values. The skeletons, templates and
forms made for clerks, and the kinds reference, all start from here."""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Annotated, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from generator.inputs.messages import Catalogue
from generator.domain.kinds import Record
from generator.domain.kinds import fields as clerk_fields

# The kinds of value a field holds, as the skeleton explains them (scaffold.types.*).
TEXT, LONG_TEXT, DATE, MONEY, NUMBER, INTEGER, PERIOD, YES_NO = (
    "text", "long_text", "date", "money", "number", "integer", "period", "yes_no")
NESTED, LIST, NESTED_LIST, TABLE, PERSONAL, OTHER = "nested", "list", "nested_list", "table", "personal", "other"
# Free text written over several lines (`body: |`).
LONG_TEXT_FIELDS = {"body", "notes", "reason", "content", "description", "remarks"}


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
        marks = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        beside = marks.get("beside")
        if beside is not None and beside not in model.model_fields:
            continue  # a field that means something only beside another the model lacks
        annotation = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]  # type: ignore[misc]
        base, metadata, optional = _unwrap(annotation)
        kind, extra = _kind_of(base, metadata, name)
        if name == table_field:
            kind = TABLE
        key = info.alias or name
        label = catalogue.text(f"fields.{name}") if f"fields.{name}" in catalogue else key
        # `asked`: required by the kind's rules with a message of their own, not by the model.
        doc = FieldDoc(key, name, label, kind, info.is_required() and not optional or bool(marks.get("asked")),
                       item_kind=extra.get("item_kind"), choices=extra.get("choices", ()),
                       number_kind=extra.get("number_kind"), example=(info.examples or [None])[0])
        if kind in (NESTED, NESTED_LIST):
            doc.children = describe(extra["model"], catalogue)
        docs.append(doc)
    return docs


def table_headers(kind: type[Record]) -> list[tuple[str, str]]:
    """The table's columns as (the clerk's header, the row field): the first header of each field
    of a row, and of the columns the kind's layout keeps beside them (a ledger's 余额)."""
    model = row_model(kind)
    wanted = set(model.model_fields) | set(kind.template_columns) if model else None
    seen: dict[str, str] = {}
    for header, name in kind.table_columns.items():
        if name and (wanted is None or name in wanted):
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
