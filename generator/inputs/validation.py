"""Validate plain data against a typed model, turning every failure into a located problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.inputs.problems import Location, Problems
from generator.inputs.readers import Document, Table

M = TypeVar("M", bound=BaseModel)

# Pydantic's own error types, mapped to the catalogue's words for a clerk.
_KEYS = {
    "missing": "field_missing",
    "extra_forbidden": "field_unknown",
    "string_type": "bad_text",
    "int_parsing": "bad_integer",
    "int_type": "bad_integer",
    "int_from_float": "bad_integer",
    "bool_parsing": "bad_yes_no",
    "bool_type": "bad_yes_no",
    "date_type": "bad_date",
    "date_parsing": "bad_date",
    "date_from_datetime_parsing": "bad_date",
    "date_from_datetime_inexact": "bad_date",
    "decimal_parsing": "bad_amount",
    "decimal_type": "bad_amount",
    "greater_than_equal": "too_small",
    "greater_than": "too_small",
    "less_than_equal": "too_large",
    "less_than": "too_large",
    "too_short": "too_few",
    "dict_type": "bad_mapping",
    "list_type": "bad_list",
    "model_type": "bad_mapping",
}


@dataclass
class TableSource:
    """Which field a spreadsheet filled, and which of its columns holds each row field."""

    field: str
    table: Table
    columns: dict[str, str] = field(default_factory=dict)  # row field -> the clerk's header


def _location(loc: tuple[Any, ...], document: Document, fallback: Document | None, table: TableSource | None) -> Location:
    if table and loc and loc[0] == table.field and len(loc) > 1 and isinstance(loc[1], int):
        if loc[1] < len(table.table.rows):
            row = table.table.rows[loc[1]]
            column = table.columns.get(str(loc[2])) if len(loc) > 2 else None
            return table.table.location.at(row.line, column)
        return table.table.location
    dotted = ".".join(str(part) for part in loc)
    if dotted in document.lines:
        return document.location.at(document.lines[dotted])
    if fallback is not None and dotted in fallback.lines:
        return fallback.location.at(fallback.lines[dotted])
    if fallback is not None and not document.knows(dotted) and fallback.knows(dotted):
        return fallback.location.at(fallback.line_of(dotted))
    return document.location.at(document.line_of(dotted))


def locate(loc: tuple[Any, ...], document: Document, fallback: Document | None = None) -> Location:
    """Where a (dotted) key of a document is: its own line, else the fallback file's."""
    return _location(loc, document, fallback, None)


def validate(
    model: type[M],
    document: Document,
    problems: Problems,
    *,
    data: dict[str, Any] | None = None,
    fallback: Document | None = None,
    table: TableSource | None = None,
    context: dict[str, Any] | None = None,
    at: tuple[Any, ...] = (),
) -> M | None:
    """The model made from the document's data (or `data`), else None with a located problem for
    each failure; `at` is where in the document `data` sits (its keys' lines are under it)."""
    try:
        return model.model_validate(document.data if data is None else data, context=context)
    except ValidationError as failure:
        for error in failure.errors(include_url=False):
            loc = (*at, *error["loc"])
            params = dict(error.get("ctx") or {})
            kind = error["type"]
            key = _KEYS.get(kind, kind if kind.startswith("vp_") else "invalid")
            key = key.removeprefix("vp_")
            names = [str(part) for part in loc if not isinstance(part, int)]
            params.setdefault("field", names[-1] if names else "")
            params.setdefault("value", _shown(error.get("input")))
            params.setdefault("detail", error["msg"])
            problems.add(_location(loc, document, fallback, table), key, **params)
        return None


def _shown(value: Any) -> str:
    text = "" if value is None or isinstance(value, (dict, list)) else str(value)
    return text if len(text) <= 40 else text[:37] + "…"
