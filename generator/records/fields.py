"""Field types for values as clerks type them: dates, amounts, periods, free text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, PlainValidator
from pydantic_core import PydanticCustomError

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
# Excel stores dates as days since 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)


def _fold(text: str) -> str:
    """Full-width digits and punctuation (１２３，．) as their ordinary forms."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _fold(str(value))
    match = _DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise PydanticCustomError("vp_bad_date", "not a date", {"value": str(value)})


def parse_amount(value: Any) -> Decimal:
    """An amount in yuan, exactly; anything that could be read two ways is refused."""
    if isinstance(value, bool):
        raise PydanticCustomError("vp_bad_amount", "not an amount", {"value": str(value)})
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    else:
        text = _fold(str(value)).replace(" ", "")
        text = text.removeprefix("¥").removeprefix("￥").removesuffix("元")
        if _GROUPED.match(text):
            text = text.replace(",", "")
        if not _AMOUNT.match(text):
            raise PydanticCustomError("vp_bad_amount", "not an amount", {"value": str(value)})
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError("vp_bad_amount", "not an amount", {"value": str(value)}) from None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise PydanticCustomError("vp_amount_cents", "more than 2 decimals", {"value": str(value)})
    return amount.quantize(Decimal("0.01"))


def parse_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise PydanticCustomError("vp_bad_text", "not text", {})
    return "" if value is None else str(value).strip()


ClerkDate = Annotated[date, BeforeValidator(parse_date)]
Money = Annotated[Decimal, BeforeValidator(parse_amount), PlainSerializer(lambda d: f"{d:.2f}", return_type=str)]
Text = Annotated[str, BeforeValidator(parse_text)]


_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_QUARTER = re.compile(r"^(\d{4})\s*[-年]?\s*(?:Q|q|第)\s*([1-4一二三四])\s*(?:季度)?$")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True, order=True)
class Period:
    """An accounting period: a month (`2025-01`) or a quarter (`2025-Q1`)."""

    start: date
    end: date
    quarterly: bool = False

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        last_month = Period.month(year, quarter * 3)
        return cls(date(year, quarter * 3 - 2, 1), last_month.end, quarterly=True)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def code(self) -> str:
        if self.quarterly:
            return f"{self.year}-Q{(self.start.month + 2) // 3}"
        return f"{self.year}-{self.start.month:02d}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def follows(self, other: Period) -> bool:
        return self.start == other.end + timedelta(days=1)

    def __str__(self) -> str:
        return self.code


def parse_period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, date):
        return Period.month(value.year, value.month)
    text = _fold(str(value))
    match = _MONTH.match(text)
    if match and 1 <= int(match[2]) <= 12:
        return Period.month(int(match[1]), int(match[2]))
    match = _QUARTER.match(text)
    if match:
        quarter = _CHINESE_DIGITS.get(match[2]) or int(match[2])
        return Period.quarter(int(match[1]), quarter)
    raise PydanticCustomError("vp_bad_period", "not a period", {"value": str(value)})


AccountingPeriod = Annotated[Period, PlainValidator(parse_period), PlainSerializer(str, return_type=str)]
