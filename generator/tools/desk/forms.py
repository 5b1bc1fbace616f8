"""A record kind's form, made from its model as `new` makes its skeleton (tools/fields.py): one
input per field with its Chinese label, a select for allowed values, a text area for the body, a
file input for the table; and the clerk's answers laid into the YAML, round-trip."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from ruamel.yaml.comments import CommentedMap

from generator.domain.kinds import KINDS
from generator.inputs.messages import Catalogue
from generator.inputs.problems import Problem
from generator.tools.desk.files import key_lines, load, dump, scalar, shown
from generator.tools.fields import NESTED, TABLE, FieldDoc, describe
from generator.tools.examples import example
from generator.tools.scaffold import skeleton

# Fields whose value is more than one line of text or a structure: a text area.
_AREA_KINDS = {"long_text", "nested", "list", "nested_list", "other"}
_WIDGETS = {"date": "date", "money": "number", "number": "number", "integer": "number", "period": "text",
            "yes_no": "yes_no", "text": "text", "personal": "text"}


@dataclass
class Field:
    """One input of the form, with what the checks found at its line."""

    key: str  # dotted below the top: steps.proposed.date
    label: str
    kind: str
    widget: str  # text | date | number | yes_no | select | area | yaml | table | group (a heading)
    required: bool
    value: str = ""
    choices: tuple[str, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    depth: int = 0  # how far below the top: a nested part is indented under its heading

    @property
    def id(self) -> str:
        return "f-" + self.key.replace(".", "-")


def fields_of(section: str, catalogue: Catalogue) -> list[FieldDoc]:
    kind = KINDS[section]
    return describe(kind, catalogue, kind.table_field)


def choices_of(section: str, year: int, catalogue: Catalogue, settings: Any = None) -> dict[str, tuple[str, ...]]:
    """Values a field takes from the rules rather than the model (a notice's categories): those
    the skeleton lists under "只能写"."""
    return example(KINDS[section], year, catalogue, settings).choices


def form(section: str, text: str | None, catalogue: Catalogue, problems: list[Problem] = (),
         submitted: Mapping[str, str] | None = None,
         choices: Mapping[str, tuple[str, ...]] | None = None) -> tuple[list[Field], list[Problem]]:
    """The form's fields filled from the record's YAML `text` (or what the clerk `submitted`), each
    with the problems on its line; and the problems no field holds (shown above the form)."""
    data = load(text) if text else None
    lines = key_lines(data)
    fields, placed = [], set()
    for doc, key, depth in _flat(fields_of(section, catalogue)):
        if not doc.choices and (choices or {}).get(key):
            doc.choices = tuple(choices[key])
        widget = "group" if doc.kind == NESTED else _widget(doc)
        if submitted is not None and key in submitted:
            value = submitted[key]
        else:
            value = "" if widget == "group" else shown(_get(data, key))
        mine = []
        for index, problem in enumerate(problems):
            here = problem.location.line is not None and lines.get(problem.location.line) == key
            in_table = doc.kind == TABLE and problem.location.path.endswith((".csv", ".xlsx"))
            if here or in_table or problem.params.get("field") == key:
                mine.append(problem)
                placed.add(index)
        fields.append(Field(key, doc.label, doc.kind, widget, doc.required, value, doc.choices, mine, depth))
    return fields, [problem for index, problem in enumerate(problems) if index not in placed]


def _flat(docs: list[FieldDoc], prefix: str = "", depth: int = 0) -> Iterator[tuple[FieldDoc, str, int]]:
    """Every field, a nested part's (办理步骤 › 提议) as a heading followed by its own fields: a
    clerk fills in labelled boxes, not YAML. Lists of parts stay as YAML text."""
    for doc in docs:
        yield doc, prefix + doc.key, depth
        if doc.kind == NESTED:
            yield from _flat(doc.children, f"{prefix}{doc.key}.", depth + 1)


def _get(data: Any, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _widget(doc: FieldDoc) -> str:
    if doc.kind == TABLE:
        return "table"
    if doc.choices:
        return "select"
    if doc.kind == "long_text":
        return "area"
    if doc.kind in _AREA_KINDS:
        return "yaml"
    return _WIDGETS.get(doc.kind, "text")


def new_text(section: str, record_id: str, year: int, catalogue: Catalogue, settings: Any = None) -> str:
    """The YAML a new record starts from: the skeleton `new` writes, comments and all."""
    return skeleton(KINDS[section], record_id, year, catalogue, settings)


def apply(section: str, text: str, submitted: Mapping[str, str], catalogue: Catalogue) -> str:
    """`text` with the clerk's answers laid in: a value the clerk did not change is left as it was
    written (its quoting, its comment); a field left empty that the file never had stays out."""
    data = load(text) if text.strip() else None
    if not isinstance(data, dict):  # the file was removed (or emptied) meanwhile: the answers alone
        data = CommentedMap()
    for doc, key, _ in _flat(fields_of(section, catalogue)):
        if doc.kind in (TABLE, NESTED) or key not in submitted:
            continue
        answer = submitted[key]
        if shown(_get(data, key)) == answer.replace("\r\n", "\n").rstrip("\n"):
            continue
        value = scalar(doc.kind, answer)
        *parents, last = key.split(".")
        holder = data
        for part in parents:  # a part made only when one of its fields is written
            if holder.get(part) is None and value is not None:
                holder[part] = CommentedMap()
            holder = holder.get(part)
            if not isinstance(holder, dict):
                break
        if not isinstance(holder, dict) or (value is None and last not in holder):
            continue
        holder[last] = value
    return dump(data)
