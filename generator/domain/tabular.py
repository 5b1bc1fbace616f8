"""A kind's table as the clerk wrote it, to the rows of its model: each column found by any of
the names the kind accepts for it (`table_columns`, and the township's or village's own,
`rules.<section>.table_headers`), merged cells judged, and the rows that are not entries (a 合计
row, an export's 上月结转 and 本月合计) left to the kind (`Record.read_table`)."""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from generator.inputs.problems import Problems
from generator.inputs.readers import Row, Table
from generator.domain.kinds import Record

# A column read and dropped: a 序号 is the row's place on paper, not a fact of the record.
IGNORED = ""
COMMON_HEADERS = {"序号": IGNORED, "编号序号": IGNORED, "行号": IGNORED}
_TOTAL_WORDS = frozenset({"合计", "总计"})
# In a list without declared columns (a 低保 list on a notice), the headers of amounts.
_AMOUNT_HEADER = re.compile(r"金额|元|补助|补贴|保障金|工资|款|费")


@dataclass
class TableRows:
    rows: list[dict[str, Any]]  # by field name, for the model
    table: Table  # the rows kept, as read: their lines locate the model's errors
    header_of: dict[str, str]  # field → the clerk's header


def accepted_headers(kind: type[Record], extra: dict[str, str]) -> dict[str, str]:
    """Every header the kind's table accepts, → its field; the fields' own names too."""
    headers = dict(COMMON_HEADERS)
    headers.update(kind.table_columns)
    headers.update(extra)
    headers.update({field: field for field in kind.table_columns.values() if field})
    return headers


class _Headers(dict):
    """The accepted headers, looked up as clerks space them out to align them (摘  要, 日 期) and
    with either width of brackets (收入（元）, 收入(元))."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__(headers)
        self.folded = {_fold(name): field for name, field in headers.items()}

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (dict.__contains__(self, name) or _fold(name) in self.folded)

    def __getitem__(self, name: str) -> str:
        return dict.get(self, name) if dict.__contains__(self, name) else self.folded[_fold(name)]

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[name] if name in self else default


def _fold(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


def table_rows(kind: type[Record], table: Table, data: dict[str, Any], rules: Any, problems: Problems) -> TableRows | None:
    """The table's rows by field, or None with a located problem for each header nobody knows
    and each value a merged cell makes ambiguous."""
    headers = _Headers(accepted_headers(kind, dict(getattr(rules, "table_headers", {}) or {})))
    header_line = table.header_line
    ok = True
    for column in table.columns:
        if column not in headers:
            problems.add(table.location.at(header_line, column), "table_unknown_header", column=column,
                         allowed=_accepted_text(headers))
            ok = False
    columns_of: dict[str, str] = {}
    for column in table.columns:
        field = headers.get(column)
        if field and field in columns_of:  # two columns for one field: which one counts is a guess
            problems.add(table.location.at(header_line, column), "table_same_column", column=column,
                         other=columns_of[field])
            ok = False
        elif field:
            columns_of[field] = column
    if not ok:
        return None
    amounts = _amount_fields(kind)
    if not _merged_ok(table, lambda column: headers[column] in amounts, problems):
        return None
    header_of = {headers[column]: column for column in table.columns if headers[column]}
    rows = [{headers[column]: value for column, value in row.cells.items() if headers[column]} for row in table.rows]
    before = len(problems)

    def report(index: int, field: str, key: str, **params: Any) -> None:
        problems.add(table.location.at(table.rows[index].line, header_of.get(field)), key, **params)

    # Where a row is, for a kind that checks a row's figures later (a ledger's 本年累计).
    report.line = lambda index: table.rows[index].line  # type: ignore[attr-defined]
    report.column = header_of.get  # type: ignore[attr-defined]
    kept = kind.read_table(rows, report, data, rules)
    if len(problems) > before:
        return None
    return TableRows([rows[index] for index in kept],
                     Table(table.location, table.columns, [table.rows[index] for index in kept], table.header_line), header_of)


def _accepted_text(headers: dict[str, str]) -> str:
    """The accepted headers as a clerk reads them: a column's names together (日期、记账日期；凭证号、…)."""
    names: dict[str, list[str]] = {}
    for name, field in headers.items():
        if field and name != field:
            names.setdefault(field, []).append(name)
    return "；".join("、".join(group) for group in names.values())


def free_list(table: Table, problems: Problems) -> Table | None:
    """A free list (no declared columns: a 低保 list on a notice): a merged cell under an amount's
    header is ambiguous; a 合计 row is checked against the rows above in each amount's column
    and is not a row of the list. None when either is wrong."""
    if not _merged_ok(table, lambda column: bool(_AMOUNT_HEADER.search(column)), problems):
        return None
    amounts = [column for column in table.columns if _AMOUNT_HEADER.search(column)]
    kept: list[Row] = []
    ok = True
    for row in table.rows:
        if not {value.strip() for value in row.cells.values()} & _TOTAL_WORDS:
            kept.append(row)
            continue
        for column in amounts:
            stated = _decimal(row.cells.get(column, ""))
            figures = [_decimal(entry.cells.get(column, "")) for entry in kept]
            if stated is not None and None not in figures and sum(figures, Decimal(0)) != stated:
                problems.add(table.location.at(row.line, column), "table_total_wrong", stated=f"{stated:.2f}",
                             computed=f"{sum(figures, Decimal(0)):.2f}")
                ok = False
    return Table(table.location, table.columns, kept, table.header_line) if ok else None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").removesuffix("元").strip()) if text.strip() else Decimal(0)
    except ArithmeticError:
        return None


def _merged_ok(table: Table, is_amount: Callable[[str], bool], problems: Problems) -> bool:
    """Whether no amount was merged over rows; a problem on the first row of each such merge."""
    ok = True
    before: frozenset[str] = frozenset()
    for row in table.rows:
        for column in sorted(row.merged - before):
            if is_amount(column) and row.cells.get(column):
                problems.add(table.location.at(row.line, column), "table_merged_amount", column=column)
                ok = False
        before = row.merged
    return ok


def _amount_fields(kind: type[Record]) -> set[str]:
    """The fields of the kind's table rows that hold amounts (Decimal)."""
    annotation = kind.model_fields[kind.table_field].annotation if kind.table_field in kind.model_fields else None
    item = next(iter(typing.get_args(annotation)), None)
    fields = getattr(item, "model_fields", {})
    return {name for name, info in fields.items() if _has_decimal(info.annotation)} | {"balance"}


def _has_decimal(annotation: Any) -> bool:
    if annotation is Decimal:
        return True
    return any(_has_decimal(arg) for arg in typing.get_args(annotation))
