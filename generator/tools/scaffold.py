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

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any


from generator.inputs.messages import Catalogue
from generator.inputs.problems import Problems
from generator.domain.kinds import KINDS, Record

from generator.tools.examples import Example, example, example_rows

SERIAL = "序号"
HEADER_ROW = 2  # under the title row
from generator.tools.fields import (DATE, INTEGER, LIST, LONG_TEXT, MONEY, NESTED, NESTED_LIST, NUMBER, PERSONAL, TABLE, TEXT,
                                     FieldDoc, describe, row_model, table_headers)


# -- the YAML skeleton ---------------------------------------------------------------------------

def comment(doc: FieldDoc, catalogue: Catalogue, example_value: Any, choices: tuple[str, ...] = ()) -> str:
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
        lines.append(f"{indent}# {comment(doc, catalogue, value, choices.get(path, ()))}")
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
    from openpyxl.utils import get_column_letter

    from generator.domain.kinds.notice import sensitive_kind

    catalogue = catalogue or Catalogue()
    section = catalogue.text(f"sections.{kind.section}.title") if f"sections.{kind.section}.title" in catalogue \
        else kind.section
    if not kind.table_field:
        raise ScaffoldError("template_no_table", section=section, kind=kind.section)
    if path.exists():
        raise ScaffoldError("template_exists", path=path)
    year = year or date.today().year
    found = example(kind, year, catalogue)
    rows = found.rows or example_rows(kind, year, catalogue, None)
    headers = list(rows[0]) if rows else [header for header, _ in table_headers(kind)]
    model = row_model(kind)
    docs = {doc.name: doc for doc in describe(model, catalogue)} if model else {}
    field_of = dict(kind.table_columns)

    # The kind's layout: a ledger's brought-forward and total rows around the example line.
    rows = kind.template_rows(rows, found.data) if rows and kind.table_columns else rows
    # A list of people or households is numbered on paper (序号; the reader drops it).
    if {"person", "household"} & set(kind.table_columns.values()) and SERIAL not in headers:
        headers = [SERIAL, *headers]
        rows = [{SERIAL: str(number), **row} for number, row in enumerate(rows, 1)]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = catalogue.text("scaffold.template_sheet")
    # The clerk's layout: the table's title above its header, as it is printed for the board.
    sheet.append([catalogue.text("scaffold.template_title", year=year, section=section)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headers)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers, 1):
        doc = docs.get(field_of.get(header, header))
        kind_of = doc.kind if doc else MONEY if field_of.get(header) in kind.template_columns else \
            INTEGER if header == SERIAL else TEXT
        width = max(len(header) * 2 + 4, 10)
        for number, row in enumerate(rows or [{}], HEADER_ROW + 1):
            value: Any = row.get(header, "")
            cell = sheet.cell(row=number, column=index)
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
            width = max(width, len(str(value)) + 4)
        sheet.column_dimensions[get_column_letter(index)].width = width
    notes = workbook.create_sheet(catalogue.text("scaffold.template_notes"))
    keys = ["template_note_header", "template_note_dates", "template_note_numbers", "template_note_sheet"]
    keys += ["template_note_journal", "template_note_workbook"] if kind.template_columns else []
    for key in keys:
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
