"""A ledger's table as accounting software exports it (现金日记账, 银行存款日记账): the rows that are
not lines (上月结转, 本月合计, 本年累计), a running 余额 with its 借/贷 direction, 科目编码 beside or
instead of the account's name, and amounts in words (壹万贰仟元整). Each is checked, not trusted:
a figure the clerk's file states and the lines contradict is an error on its row."""

from __future__ import annotations

import re
from decimal import Decimal
from dataclasses import dataclass
from typing import Any, Mapping

from pydantic_core import PydanticCustomError

from generator.domain.kinds.fields import parse_amount

# The rows an export writes that are not transactions, by the words in them.
OPENING_WORDS = frozenset({"上月结转", "上年结转", "上期结转", "上季结转", "期初余额", "年初余额", "承前页"})
PERIOD_TOTAL_WORDS = frozenset({"本月合计", "本期合计", "本季合计", "本季度合计", "合计", "过次页"})
YEAR_TOTAL_WORDS = frozenset({"本年累计", "本年合计"})
OPENING_ROW, TOTAL_ROW = "上月结转", "本月合计"  # as `template` writes them

# The charts' codes as village accounting software commonly numbers the income and expense
# accounts (3 digits in the 2004 system, 4 in the 2023 one); a township whose software numbers
# them otherwise sets `rules.finance.account_codes`.
DEFAULT_ACCOUNT_CODES = {
    "501": "经营收入", "502": "经营支出", "511": "发包及上交收入", "521": "补助收入", "522": "其他收入",
    "531": "投资收益", "541": "管理费用", "551": "其他支出",
    "5001": "经营收入", "5011": "投资收益", "5021": "补助收入", "5031": "其他收入",
    "5101": "经营支出", "5111": "税金及附加", "5121": "管理费用", "5131": "公益支出", "5141": "其他支出",
}

# Fields of a ledger row that are read and checked here, and are no part of a line.
EXPORT_FIELDS = ("balance", "direction", "account_code", "amount_words", "serial")

_DIGITS = {"零": 0, "〇": 0, "壹": 1, "一": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "叁": 3, "參": 3, "三": 3,
           "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "陸": 6, "六": 6, "柒": 7, "七": 7, "捌": 8, "八": 8,
           "玖": 9, "九": 9}
_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_WORDS = re.compile(r"^(?:人民币)?[零〇壹一贰貳二两叁參三肆四伍五陆陸六柒七捌八玖九拾十佰百仟千万萬亿億元圆角分整正]+$")


def amount_in_words(text: str) -> Decimal | None:
    """壹万贰仟元整 as 12000.00; None when the text is not an amount in words."""
    text = text.strip().replace(" ", "")
    if not text or not _WORDS.match(text):
        return None
    text = text.removeprefix("人民币").replace("萬", "万").replace("億", "亿").replace("圆", "元")
    text = text.rstrip("整正")
    yuan_text, found, cents_text = text.partition("元")
    if not found:
        yuan_text, cents_text = "", text
    total = Decimal(_integer(yuan_text)) if yuan_text else Decimal(0)
    digit = 0
    for char in cents_text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char == "角":
            total += Decimal(digit) / 10
            digit = 0
        elif char == "分":
            total += Decimal(digit) / 100
            digit = 0
    return total.quantize(Decimal("0.01"))


def _integer(text: str) -> int:
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            section += (digit or 1) * _UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
    return total + section + digit


def _amount(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_amount(value)
    except PydanticCustomError:
        return None


def _signed(balance: Decimal | None, direction: str) -> Decimal | None:
    # A cash or bank balance is on the debit side (借); 贷 is an overdrawn one, 平 is nil.
    if balance is None:
        return None
    direction = direction.strip()
    if direction == "平":
        return Decimal("0.00")
    return -balance if direction == "贷" else balance


Report = Any  # report(row index, field, key, **params); report.line(index), report.column(field)
YEAR_TO_DATE = "_year_to_date"  # the key `data` carries a stated 本年累计 under, to the model


@dataclass(frozen=True)
class YearToDate:
    """A 本年累计 row as stated, and where: checked against the sums of the year's ledgers."""

    income: Decimal | None
    expense: Decimal | None
    line: int
    income_column: str | None
    expense_column: str | None


def read_ledger_rows(rows: list[dict[str, Any]], report: Report, data: dict[str, Any],
                     codes: Mapping[str, str], starts_year: bool) -> list[int]:
    """Check and drop the rows of an export that are not lines; returns the indices of the lines.
    `data` (the record's own fields) takes the opening and closing balance where the YAML does
    not give them; `starts_year` says whether the period is the year's first (本年累计 = 本月合计)."""
    given_opening = _amount(data.get("opening_balance"))
    running = exact = given_opening  # from the lines' stated balances; from the opening and the amounts alone
    income = expense = Decimal("0.00")
    stated_closing: Decimal | None = None
    kept: list[int] = []
    for index, row in enumerate(rows):
        words = {str(value).strip() for value in row.values() if isinstance(value, str)}
        balance = _signed(_amount(row.get("balance")), str(row.get("direction") or ""))
        if words & OPENING_WORDS:
            if balance is None:
                continue
            if given_opening is not None and balance != given_opening:
                report(index, "balance", "ledger_opening_row_differs", stated=f"{balance:.2f}",
                       opening=f"{given_opening:.2f}")
            elif given_opening is None:
                data["opening_balance"] = balance
                given_opening = balance
            running = exact = balance
            continue
        total_row = words & PERIOD_TOTAL_WORDS or (starts_year and words & YEAR_TOTAL_WORDS)
        if total_row or words & YEAR_TOTAL_WORDS:
            if total_row:
                _check_total(index, row, income, expense, report)
            else:  # the year's sums so far: checked with the year's other ledgers (Ledger.check_all)
                data[YEAR_TO_DATE] = YearToDate(_amount(row.get("income")), _amount(row.get("expense")),
                                                report.line(index), report.column("income"), report.column("expense"))
            if balance is not None and running is not None and balance != running:
                report(index, "balance", "ledger_balance_wrong", stated=f"{balance:.2f}", computed=f"{running:.2f}")
            stated_closing = balance if balance is not None else stated_closing
            continue
        kept.append(index)
        line_in, line_out = _amount(row.get("income")), _amount(row.get("expense"))
        _check_code(index, row, codes, report)
        _check_words(index, row, line_in if line_in is not None else line_out, report)
        if running is not None and exact is not None and (line_in is not None or line_out is not None):
            running = running + (line_in or 0) - (line_out or 0)
            exact = exact + (line_in or 0) - (line_out or 0)
            # One error, not a cascade: a line is judged from what the line before states (a slip
            # carried on), and is right too where it agrees with the amounts (a slip in one cell).
            if balance is not None and balance != running and balance != exact:
                report(index, "balance", "ledger_balance_wrong", stated=f"{balance:.2f}", computed=f"{running:.2f}")
            if balance is not None:
                running = balance
            stated_closing = balance if balance is not None else stated_closing
        income += line_in or 0
        expense += line_out or 0
        for name in EXPORT_FIELDS:
            row.pop(name, None)
    if "closing_balance" not in data and stated_closing is not None:
        data["closing_balance"] = stated_closing
    return kept


def _check_total(index: int, row: dict[str, Any], income: Decimal, expense: Decimal, report: Report) -> None:
    for name, computed in (("income", income), ("expense", expense)):
        stated = _amount(row.get(name))
        if stated is not None and stated != computed:
            report(index, name, "ledger_total_wrong", stated=f"{stated:.2f}", computed=f"{computed:.2f}")


def _check_code(index: int, row: dict[str, Any], codes: Mapping[str, str], report: Report) -> None:
    code = str(row.get("account_code") or "").strip()
    if not code:
        return
    name = codes.get(code)
    if name is None:
        report(index, "account_code", "ledger_unknown_account_code", code=code,
               allowed="、".join(f"{key} {value}" for key, value in codes.items()))
    elif not str(row.get("account") or "").strip():
        row["account"] = name
    elif str(row["account"]).strip() != name:
        report(index, "account_code", "ledger_account_code_differs", code=code, named=name,
               account=str(row["account"]).strip())


def _check_words(index: int, row: dict[str, Any], figure: Decimal | None, report: Report) -> None:
    words = str(row.get("amount_words") or "").strip()
    if not words:
        return
    amount = amount_in_words(words)
    if amount is None:
        report(index, "amount_words", "ledger_amount_words_unreadable", words=words)
    elif figure is not None and amount != figure:
        report(index, "amount_words", "ledger_amount_words_differ", words=words, read=f"{amount:.2f}",
               figure=f"{figure:.2f}")
