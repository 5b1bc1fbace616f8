"""集体资产台账: the village's collective assets, one row per asset (003).

"逐一、全面、准确登记房产、土地、森林、塘库等集体资产，建立集体资产台帐": what the asset is,
where, how big, who uses it, under which contract, and what it brings in. Each asset let out
(出租) or contracted out (承包) should be under a contract posted in 契约公示; the ledger names
it by that record's id, and the pages link to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Money, Part, Text, parse_amount

ZERO = Decimal("0.00")


def _parse_quantity(value: Any) -> Decimal:
    """An area or a count (62, 8.5, 1,240), read exactly like an amount but named as a quantity."""
    try:
        return parse_amount(value)
    except PydanticCustomError:
        raise PydanticCustomError("vp_asset_bad_quantity", "not a number", {"value": str(value)}) from None


Quantity = Annotated[Decimal, BeforeValidator(_parse_quantity)]


class AssetRow(Part):
    code: Text
    name: Text
    category: Text
    location: Text = ""
    size: Quantity | None = None
    unit: Text = ""
    original_value: Money | None = None
    status: Text
    user: Text = ""
    contract: Text = ""
    annual_income: Money | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            numbers = ("size", "original_value", "annual_income")
            return {key: (None if value == "" and key in numbers else value) for key, value in data.items()}
        return data

    @property
    def size_text(self) -> str:
        """62 亩, 8.5 亩, 1,240 平方米: the size as a clerk writes it, without trailing zeros."""
        if self.size is None:
            return ""
        number = f"{self.size:,.2f}".rstrip("0").rstrip(".")
        return f"{number} {self.unit}".strip()


@dataclass(frozen=True)
class ContractRef:
    """A contract an asset row names, as found among the village's 契约公示 records."""

    id: str
    year: int
    title: str
    stage: str


@dataclass
class Totals:
    """Count, original value and yearly income of a group of assets."""

    label: str
    count: int = 0
    original_value: Decimal = ZERO
    annual_income: Decimal = ZERO

    def add(self, row: AssetRow) -> None:
        self.count += 1
        self.original_value += row.original_value or ZERO
        self.annual_income += row.annual_income or ZERO


class AssetLedger(Record):
    section = "assets"
    order = 35
    disclosure = "finance"

    class Rules(KindRules):
        posting_days: int | None = Field(7, ge=0)
        # The classes of assets the ledger uses (003: 房产、土地、森林、塘库).
        asset_classes: tuple[str, ...] = ("建筑物", "土地", "林地", "水面", "设备", "其他")
        # How an asset is used; the statuses in `contracted_statuses` need a contract.
        usage_statuses: tuple[str, ...] = ("自用", "出租", "承包", "闲置")
        contracted_statuses: tuple[str, ...] = ("出租", "承包")

    table_field = "assets"
    table_columns = {"编号": "code", "名称": "name", "类别": "category", "坐落位置": "location",
                     "面积或数量": "size", "单位": "unit",
                     "原值(元)": "original_value", "原值（元）": "original_value",
                     "使用状态": "status", "使用人": "user", "合同编号": "contract",
                     "年收益(元)": "annual_income", "年收益（元）": "annual_income",
                     # Other names clerks' asset registers (资产台账) give the columns (issue 26).
                     "资产编号": "code", "资产名称": "name", "资产类别": "category", "坐落": "location",
                     "位置": "location", "面积": "size", "数量": "size", "计量单位": "unit", "原值": "original_value",
                     "账面原值": "original_value", "使用情况": "status", "状态": "status", "承包人": "user",
                     "承租人": "user", "使用单位": "user", "合同号": "contract", "年收益": "annual_income",
                     "年收入": "annual_income", "年收入(元)": "annual_income", "年收入（元）": "annual_income"}

    # The day the ledger stands at (清查基准日), e.g. 2025-12-31; the ledger belongs to its year.
    as_of: ClerkDate | None = None
    notes: Text = ""
    assets: list[AssetRow] = []

    # Filled by `check` from the village's 契约公示 records: contract id -> where it is.
    _contracts: dict[str, ContractRef] = PrivateAttr(default_factory=dict)
    _contracted_statuses: tuple[str, ...] = PrivateAttr(default=Rules().contracted_statuses)

    @property
    def belongs_to_year(self) -> int:
        # The year-end ledger is posted in spring, but belongs to the year it stands at.
        return self.as_of.year if self.as_of else self.date.year

    # -- totals ---------------------------------------------------------------------------

    def totals_by(self, attribute: str) -> list[Totals]:
        """Totals per class (`category`) or per `status`, in order of first appearance."""
        groups: dict[str, Totals] = {}
        for row in self.assets:
            key = getattr(row, attribute)
            groups.setdefault(key, Totals(key)).add(row)
        return list(groups.values())

    @property
    def total(self) -> Totals:
        totals = Totals("")
        for row in self.assets:
            totals.add(row)
        return totals

    def contract_of(self, row: AssetRow) -> ContractRef | None:
        return self._contracts.get(row.contract) if row.contract else None

    @property
    def let_out(self) -> list[AssetRow]:
        """The assets let (出租) or contracted out (承包), or used under a contract."""
        return [row for row in self.assets if row.contract or row.status in self._contracted_statuses]

    # -- rules ----------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        contracts = _contracts_of(context, self.year)
        # Kept for the pages, which see the record but not the village's other records.
        self._contracted_statuses = tuple(rules.contracted_statuses)
        self._contracts = {key: ref for key, ref in contracts.items()
                           if key in {row.contract for row in self.assets}}
        lines = self.source.table_lines
        codes: dict[str, int] = {}  # code -> the spreadsheet line it first appears on
        for index, row in enumerate(self.assets):
            if row.code in codes:
                context.report_row(self, index, "asset_duplicate_code", column="编号", code=row.code,
                                   first=codes[row.code])
            codes.setdefault(row.code, lines[index] if index < len(lines) else index + 1)
            if row.category not in rules.asset_classes:
                context.report_row(self, index, "asset_unknown_class", column="类别", value=row.category,
                                   allowed="、".join(rules.asset_classes))
            if row.status not in rules.usage_statuses:
                context.report_row(self, index, "asset_unknown_status", column="使用状态", value=row.status,
                                   allowed="、".join(rules.usage_statuses))
            if row.contract and row.contract not in contracts:
                context.report_row(self, index, "asset_unknown_contract", column="合同编号", contract=row.contract,
                                   known="、".join(sorted(contracts)) or "—")
            if row.status in rules.contracted_statuses and not row.contract:
                context.report_row(self, index, "asset_without_contract", column="合同编号",
                                   severity=Severity.FINDING, code=row.code, name=row.name, status=row.status)

    # -- pages ----------------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> AssetsView | None:
        if not records:
            return None
        # The year's newest ledger is the one that stands; older ones stay listed below.
        ledger = max(records, key=lambda record: (record.as_of or record.date, record.date))
        return AssetsView(ledger, ledger.totals_by("category"), ledger.totals_by("status"), ledger.total)


@dataclass
class AssetsView:
    ledger: AssetLedger
    by_class: list[Totals]
    by_status: list[Totals]
    total: Totals


def _contracts_of(context: CheckContext, year: int) -> dict[str, ContractRef]:
    """The village's contracts by id; where two years use one id, the ledger's year wins, then
    the nearest earlier year."""
    def nearness(record: Record) -> tuple[int, int]:
        if record.year == year:
            return (2, 0)
        return (1, record.year) if record.year < year else (0, -record.year)

    found: dict[str, ContractRef] = {}
    candidates = [record for record in context.records if record.section == "contracts"]
    # Farthest first, so that nearer years overwrite: later years, then earlier, then this one.
    for record in sorted(candidates, key=nearness):
        stage = record.stage(context.today) if hasattr(record, "stage") else ""
        found[record.id] = ContractRef(record.id, record.year, record.title, stage)
    return found


