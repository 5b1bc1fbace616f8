"""财务公开: a ledger for one month or quarter, reconciled line by line (003)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable

from pydantic import Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Problem, Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.accounting import (DEFAULT_ACCOUNT_CODES, OPENING_ROW, TOTAL_ROW, YEAR_TO_DATE, YearToDate,
                                              read_ledger_rows)
from generator.domain.kinds.fields import AccountingPeriod, ClerkDate, Money, Part, Period, Text, parse_period

# 村集体经济组织会计制度: the 2004 chart of accounts was replaced on 2024-01-01 by 财会〔2023〕14号.
ACCOUNTS_2004 = ("经营收入", "发包及上交收入", "投资收益", "补助收入", "其他收入",
                 "经营支出", "管理费用", "其他支出")
ACCOUNTS_2023 = ("经营收入", "投资收益", "补助收入", "其他收入",
                 "经营支出", "税金及附加", "管理费用", "公益支出", "其他支出")
SYSTEM_2023_FROM = date(2024, 1, 1)


def period_label(period: Period, catalogue: Catalogue) -> str:
    if period.quarterly:
        return catalogue.text("format.quarter", year=period.year, quarter=(period.start.month + 2) // 3)
    return catalogue.text("format.month", year=period.year, month=period.start.month)


def accounts_for(day: date) -> tuple[str, ...]:
    return ACCOUNTS_2023 if day >= SYSTEM_2023_FROM else ACCOUNTS_2004


class LedgerLine(Part):
    date: ClerkDate
    voucher: Text
    summary: Text
    account: Text
    income: Money | None = None
    expense: Money | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: (None if value == "" and key in ("income", "expense") else value) for key, value in data.items()}
        return data

    @model_validator(mode="after")
    def _one_side(self) -> LedgerLine:
        if (self.income is None) == (self.expense is None):
            raise PydanticCustomError("vp_ledger_one_side", "income or expense", {})
        if (self.income or self.expense or Decimal(0)) <= 0:
            raise PydanticCustomError("vp_ledger_not_positive", "amount must be positive", {})
        return self

    @property
    def amount(self) -> Decimal:
        return self.income if self.income is not None else -(self.expense or Decimal(0))


class Ledger(Record):
    section = "finance"
    order = 30
    disclosure = "finance"

    class Rules(KindRules):
        posting_days: int | None = 15
        # A period between two published ledgers that never appears is a finding of its own
        # (not only the next one's lateness): the money of that month was never shown.
        missing_periods: bool = True
        # Where a ledger (a sheet of the year's workbook, say) gives no day it went up on the
        # board: that many days after its period ends, and posted for `posting_days`. None: the
        # day must be given.
        posted_after_days: int | None = Field(None, ge=0)
        # 科目编码 → the account's name, for exports that give the code (kinds/accounting.py).
        account_codes: dict[str, str] = DEFAULT_ACCOUNT_CODES
    table_field = "lines"
    template_columns = ("balance",)
    # A year's ledgers may be one workbook, `finance/<year>.xlsx`, a sheet a month (inputs/workbooks.py).
    yearly_workbook = True
    # A ledger on the board is signed by who keeps it and who answers for it (003).
    signatures = ("print.signature.supervision", "print.signature.bookkeeper", "print.signature.director")
    # Each column by every name clerks and accounting software give it (the first is the one
    # `template` writes); 借方/贷方 are a cash or bank journal's money in and out.
    table_columns = {
        "日期": "date", "记账日期": "date", "业务日期": "date", "凭证日期": "date",
        "凭证号": "voucher", "凭证字号": "voucher", "凭证编号": "voucher", "凭证号数": "voucher",
        "摘要": "summary",
        "科目": "account", "科目名称": "account", "会计科目": "account", "对方科目": "account",
        "收入": "income", "借方": "income", "借方金额": "income", "收入金额": "income", "收入金额(元)": "income",
        "收入金额（元）": "income", "收入(元)": "income", "收入（元）": "income",
        "支出": "expense", "贷方": "expense", "贷方金额": "expense", "支出金额": "expense",
        "支出金额(元)": "expense", "支出金额（元）": "expense", "支出(元)": "expense", "支出（元）": "expense",
        # Read and checked against the lines (kinds/accounting.py), not shown as columns.
        "余额": "balance", "余额(元)": "balance", "余额（元）": "balance",
        "方向": "direction", "借或贷": "direction", "借/贷": "direction", "余额方向": "direction",
        "科目编码": "account_code", "科目代码": "account_code", "科目编号": "account_code",
        "金额大写": "amount_words", "大写金额": "amount_words", "金额（大写）": "amount_words",
        "金额(大写)": "amount_words",
    }

    title: Text = ""
    period: AccountingPeriod
    opening_balance: Money
    closing_balance: Money
    notes: Text = ""
    lines: list[LedgerLine] = []
    _year_to_date: YearToDate | None = PrivateAttr(None)

    @classmethod
    def read_table(cls, rows: list[dict[str, Any]], report: Callable[..., None], data: dict[str, Any],
                   rules: Any) -> list[int]:
        # An export's own rows (上月结转, 本月合计) and columns (余额, 科目编码, 金额大写) are
        # checked against the lines and dropped; the opening and closing come from them if the
        # YAML does not give them.
        try:
            period = parse_period(data.get("period"))
        except PydanticCustomError:
            period = None
        if period is not None and "date" not in data and rules.posted_after_days is not None:
            data["date"] = period.end + timedelta(days=rules.posted_after_days)
            if "posted_until" not in data and rules.posting_days:
                data["posted_until"] = data["date"] + timedelta(days=rules.posting_days - 1)
        starts_year = period is not None and period.start.month == 1
        return read_ledger_rows(rows, report, data, rules.account_codes, starts_year)

    @classmethod
    def template_rows(cls, rows: list[dict[str, str]], data: dict[str, Any]) -> list[dict[str, str]]:
        # The layout of a cash journal: brought forward, the lines with their running 余额, the total.
        header = {field: name for name, field in reversed(list(cls.table_columns.items()))}
        balance = Decimal(str(data.get("opening_balance") or 0))
        income = expense = Decimal(0)
        opening = {name: "" for name in rows[0]} if rows else {}
        opening.update({header["summary"]: OPENING_ROW, header["balance"]: f"{balance:.2f}"})
        lines = []
        for row in rows:
            money_in, money_out = (Decimal(row.get(header[name]) or 0) for name in ("income", "expense"))
            balance += money_in - money_out
            income, expense = income + money_in, expense + money_out
            lines.append({**row, header["balance"]: f"{balance:.2f}"})
        total = {name: "" for name in opening}
        total.update({header["summary"]: TOTAL_ROW, header["income"]: f"{income:.2f}",
                      header["expense"]: f"{expense:.2f}", header["balance"]: f"{balance:.2f}"})
        return [opening, *lines, total]

    @model_validator(mode="wrap")
    @classmethod
    def _year_to_date_row(cls, data: Any, handler: Any) -> Any:
        # A 本年累计 row the export gave (kinds/accounting.py): kept beside the record, not a field.
        stated = data.pop(YEAR_TO_DATE, None) if isinstance(data, dict) else None
        ledger = handler(data)
        ledger._year_to_date = stated
        return ledger

    def heading(self, catalogue: Catalogue) -> str:
        # Without a title, the one a clerk would write anyway: 2025年1月财务收支公开.
        return self.title or catalogue.text("records.finance.default_title", period=self.period_label(catalogue))

    def period_label(self, catalogue: Catalogue) -> str:
        """The period as a villager reads it: 2025年1月, 2025年第一季度."""
        return period_label(self.period, catalogue)

    @property
    def data_period(self) -> str:
        return self.period.code

    @property
    def belongs_to_year(self) -> int:
        # December's ledger is posted in January, but belongs to the year it accounts for.
        return self.period.year

    @property
    def income(self) -> Decimal:
        return sum((line.income for line in self.lines if line.income is not None), Decimal("0.00"))

    @property
    def expense(self) -> Decimal:
        return sum((line.expense for line in self.lines if line.expense is not None), Decimal("0.00"))

    @property
    def computed_closing(self) -> Decimal:
        return self.opening_balance + self.income - self.expense

    def accounts_for(self, day: date) -> bool:
        return day in self.period

    def voucher_line(self, voucher: str) -> tuple[Decimal | None, Decimal | None] | None:
        line = next((line for line in self.lines if line.voucher == voucher), None)
        return None if line is None else (line.income, line.expense)

    def check(self, context: CheckContext) -> None:
        super().check(context)
        allowed = accounts_for(self.period.start)
        vouchers: set[str] = set()
        for index, line in enumerate(self.lines):
            if line.date not in self.period:
                context.report_row(self, index, "ledger_line_outside_period", column="日期",
                                   day=line.date.isoformat(), period=self.period.code)
            if line.account not in allowed:
                context.report_row(self, index, "ledger_unknown_account", column="科目",
                                   account=line.account, allowed="、".join(allowed))
            if line.voucher in vouchers:
                context.report_row(self, index, "ledger_duplicate_voucher", column="凭证号", voucher=line.voucher)
            vouchers.add(line.voucher)
        if self.computed_closing != self.closing_balance:
            context.report(self, "closing_balance", "ledger_does_not_reconcile",
                           opening=self.opening_balance, income=self.income, expense=self.expense,
                           computed=self.computed_closing, stated=self.closing_balance)
        if self.date < self.period.end:
            context.report(self, "date", "ledger_posted_before_period_end", Severity.ERROR,
                           day=self.date.isoformat(), period=self.period.code)

    @classmethod
    def check_all(cls, records: list[Any], context: CheckContext) -> None:
        ledgers = sorted(records, key=lambda ledger: ledger.period)
        _check_years_to_date(ledgers, context)
        for previous, current in zip(ledgers, ledgers[1:]):
            if current.period == previous.period:
                context.report(current, "period", "ledger_duplicate_period", period=current.period.code,
                               other=previous.source.location.path)
            elif current.period.follows(previous.period) and current.opening_balance != previous.closing_balance:
                context.report(current, "opening_balance", "ledger_gap",
                               opening=current.opening_balance, previous=previous.period.code,
                               closing=previous.closing_balance)
            elif not current.period.follows(previous.period) and context.rules(current).missing_periods:
                missing = _between(previous.period, current.period)
                if missing:
                    context.report(current, "period", "ledger_period_missing", Severity.FINDING,
                                   missing="、".join(period.code for period in missing), count=len(missing),
                                   previous=previous.period.code, period=current.period.code)


def _check_years_to_date(ledgers: list[Ledger], context: CheckContext) -> None:
    """Each stated 本年累计 against the year's ledgers up to it; only where the year is there
    from its first period on (a missing one is a finding of its own)."""
    income = expense = Decimal("0.00")
    previous: Ledger | None = None
    complete = False
    for ledger in ledgers:
        if previous is None or ledger.period.year != previous.period.year:
            income = expense = Decimal("0.00")
            complete = ledger.period.start.month == 1
        elif not ledger.period.follows(previous.period):
            complete = False
        income, expense, previous = income + ledger.income, expense + ledger.expense, ledger
        stated = ledger._year_to_date
        location = ledger.source.table_location
        if stated is None or not complete or location is None:
            continue
        for figure, computed, column in ((stated.income, income, stated.income_column),
                                         (stated.expense, expense, stated.expense_column)):
            if figure is not None and figure != computed:
                context.problems.append(Problem(location.at(stated.line, column), "ledger_year_total_wrong",
                                                {"stated": f"{figure:.2f}", "computed": f"{computed:.2f}"},
                                                Severity.ERROR))


def _between(first: Period, last: Period) -> list[Period]:
    """The months (or quarters, as `first` is) after `first` that end before `last` starts."""
    result: list[Period] = []
    day = first.end + timedelta(days=1)
    while day < last.start and len(result) < 24:
        period = Period.quarter(day.year, (day.month + 2) // 3) if first.quarterly else Period.month(day.year, day.month)
        if period.end < last.start:
            result.append(period)
        day = period.end + timedelta(days=1)
    return result
