"""A notice posted on the board: title, body text, and optionally a list (e.g. 低保名单).

Party and village-affairs notices are both notices; they differ in section and categories. The
categories are settings (`rules.<section>.categories`, each with its own posting period where it
has one), so a village adds its own in its site_config without code.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, NonNegativeInt, ValidationInfo, model_validator

from generator.domain.privacy import NumberKind, mask_numbers
from generator.inputs.problems import Severity
from generator.inputs.readers import Table
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import Text

# Column headers that announce personal numbers; such columns are shown masked.
_SENSITIVE_HEADERS = {
    NumberKind.ID: re.compile(r"身份证|证件号|公民身份"),
    NumberKind.MOBILE: re.compile(r"电话|手机|联系方式"),
    NumberKind.BANK: re.compile(r"银行|卡号|账号|帐号"),
}


def sensitive_kind(header: str) -> NumberKind | None:
    for kind, pattern in _SENSITIVE_HEADERS.items():
        if pattern.search(header):
            return kind
    return None


class NameList(BaseModel):
    """A list attached to a notice, with personal numbers masked as it is read.

    Masking happens here, when the list is read, so an unmasked number never reaches a page.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: list[str]
    rows: list[list[str]]

    @model_validator(mode="before")
    @classmethod
    def _from_table(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, Table):
            return value
        masking = (info.context or {}).get("masking")
        kinds = {column: sensitive_kind(column) for column in value.columns}
        rows = []
        for row in value.rows:
            cells = []
            for column in value.columns:
                cell = row.cells.get(column, "")
                kind = kinds[column]
                if kind and masking is not None:
                    cell = _mask_cell(cell, kind, masking)
                cells.append(cell)
            rows.append(cells)
        return {"columns": list(value.columns), "rows": rows}


def _mask_cell(cell: str, kind: NumberKind, masking: Any) -> str:
    return mask_numbers(cell, kind, masking)


# A section's categories: each name with its own posting period in days, or None.
Categories = dict[str, NonNegativeInt | None]


class NoticeRules(KindRules):
    # The section's categories, each with its own posting period (公示期, days) where it has one:
    # a notice of such a category without `posted_until` is a finding, so the posting rule cannot
    # be dodged by leaving the date out; one posted shorter is a finding too. A category without
    # a number (None) has no posting period of its own (the section's `posting_days`, if posted).
    categories: Categories = {}


class Notice(Record):
    table_field: ClassVar[str | None] = "table"
    # A list kept a sheet a quarter or month in one workbook beside one YAML (inputs/workbooks.py).
    list_workbook: ClassVar[bool] = True
    signatures: ClassVar[tuple[str, ...]] = ("print.signature.supervision", "print.signature.handler")

    category: Text
    body: Text = ""
    table: NameList | None = None

    def minimum_posting_days(self, rules: Any) -> int | None:
        return rules.categories.get(self.category) or rules.posting_days

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        if rules.categories and self.category not in rules.categories:
            context.report(self, "category", "unknown_category", value=self.category,
                           allowed="、".join(rules.categories))
        required = rules.categories.get(self.category)
        if self.posted_until is None and required is not None:
            context.report(self, "date", "posting_missing", Severity.FINDING, category=self.category,
                           minimum=required)

    def is_table_header(self, dotted: str) -> bool:
        return self.table is not None and dotted == f"{self.table_field}.columns"

    def table_column_of(self, dotted: str, text: str, row: int) -> str | None:
        if self.table is None or row >= len(self.table.rows):
            return None
        return next((column for column, cell in zip(self.table.columns, self.table.rows[row]) if cell == text), None)

    def summary(self) -> str:
        first = next((line.strip("#*- ") for line in self.body.splitlines() if line.strip()), "")
        return first[:80] or self.title
