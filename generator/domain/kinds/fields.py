"""Field types for values as clerks type them: dates, amounts, periods, free text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PlainValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from generator.domain.privacy import DEFAULT_MASKING, NumberKind, mask_numbers

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# A date with a time after it, as spreadsheets export them: 2025-03-01 00:00:00.
_TIME = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_COMPACT_DATE = re.compile(r"^((?:19|20)\d\d)(\d\d)(\d\d)$")  # 20250301
# Day and month in an order that cannot be known: 3/4/2025 (3 April or 4 March?).
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})$")
# A two-digit year first: 25-3-1, 25年3月1日.
_SHORT_YEAR = re.compile(r"^(\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# What an Excel date looks like when its cell lost the date format: days since 1899-12-30.
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
# Separators that mean one thing in China and the opposite in much of Europe.
_DOT_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234,50 or 1.234.567
_COMMA_DECIMAL = re.compile(r"^-?\d+,(\d{1,2}|\d{4,})$")  # 12,5 or 12,30
_THREE_DECIMALS = re.compile(r"^-?[1-9]\d{0,2}\.\d{3}$")  # 12.345: twelve, or twelve thousand?
_WAN = re.compile(r"^(-?\d+(?:\.\d+)?)万$")  # 1.2万
_PARENTHESES = re.compile(r"^\((\d[\d,]*(?:\.\d+)?)\)$")  # (300.00), as accounting formats show -300
# Excel stores dates as days since 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
# Ten trillion yuan: more than any village will ever account for.
_TOO_MUCH = Decimal(10) ** 13


def _fold(text: str) -> str:
    """Full-width digits and punctuation (１２３，．) as their ordinary forms."""
    return unicodedata.normalize("NFKC", text).strip()


def _params(value: Any, **params: Any) -> dict[str, Any]:
    """The context of a refusal: the value as the clerk typed it, and what would be right."""
    return {"value": "" if value is None else str(value), **params}


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(value: Any) -> date:
    """A date as clerks write it (2025-03-01, 2025/3/1, 2025年3月1日, 20250301, an Excel date cell).

    Forms that could be read as two different days (3/4/2025, 25-3-1) or that are an Excel date
    number (45717) are refused, each with the date(s) it could be, so the clerk picks.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or isinstance(value, (bool, dict, list)):
        raise PydanticCustomError("vp_bad_date", "not a date", _params(value))
    text = _TIME.sub("", _fold(str(value)))
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match:
        day = _real_date(int(match[1]), int(match[2]), int(match[3]))
        if day is not None:
            return day
        raise PydanticCustomError("vp_bad_date", "not a date", _params(value))
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        year = year + 2000 if year < 100 else year
        readings = sorted({day for day in (_real_date(year, second, first), _real_date(year, first, second)) if day})
        if readings:
            raise PydanticCustomError("vp_date_order_unknown", "not a date",
                                      _params(value, readings=" / ".join(day.isoformat() for day in readings)))
        raise PydanticCustomError("vp_bad_date", "not a date", _params(value))
    match = _SHORT_YEAR.match(text)
    if match:
        day = _real_date(2000 + int(match[1]), int(match[2]), int(match[3]))
        raise PydanticCustomError("vp_date_short_year", "not a date",
                                  _params(value, suggestion=day.isoformat() if day else "2025-03-01"))
    match = _EXCEL_SERIAL.match(text)
    if match and 20000 <= int(match[1]) <= 80000:
        day = _EXCEL_EPOCH + timedelta(days=int(match[1]))
        raise PydanticCustomError("vp_date_excel_serial", "not a date", _params(value, suggestion=day.isoformat()))
    raise PydanticCustomError("vp_bad_date", "not a date", _params(value))


def parse_amount(value: Any) -> Decimal:
    """An amount in yuan, exactly; anything that could be read two ways is refused.

    Thousands separators (12,300.50), "元", "¥" and full-width digits are fine. A dot or comma that
    could be a decimal point or a thousands separator (12.345, 1.234,50, 12,5) is an error that
    shows the readings, never a guess: a wrong guess moves money by a factor of a thousand.
    """
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError("vp_bad_amount", "not an amount", _params(value))
    if isinstance(value, int) or (isinstance(value, Decimal) and not value.is_finite()):
        amount = Decimal(value)
    else:
        # A number YAML read (12.345) is judged like the same digits typed in a cell.
        text = format(value, "f") if isinstance(value, Decimal) else _fold(str(value)).replace(" ", "")
        text = text.removeprefix("¥").removeprefix("￥").removeprefix("RMB").removesuffix("整").removesuffix("元")
        match = _WAN.match(text)
        if match:
            raise PydanticCustomError("vp_amount_wan", "not an amount",
                                      _params(value, suggestion=f"{Decimal(match[1]) * 10000:.2f}"))
        match = _PARENTHESES.match(text)
        if match:
            raise PydanticCustomError("vp_amount_parentheses", "not an amount",
                                      _params(value, suggestion="-" + match[1].replace(",", "")))
        if _DOT_GROUPED.match(text) and ("," in text or text.count(".") > 1):
            whole, _, cents = text.partition(",")
            suggestion = whole.replace(".", "") + (f".{cents}" if cents else "")
            raise PydanticCustomError("vp_amount_separators", "not an amount", _params(value, suggestion=suggestion))
        if _THREE_DECIMALS.match(text):
            raise PydanticCustomError("vp_amount_dot_or_thousands", "not an amount",
                                      _params(value, thousands=text.replace(".", "")))
        if _COMMA_DECIMAL.match(text):
            raise PydanticCustomError("vp_amount_comma_decimal", "not an amount",
                                      _params(value, suggestion=text.replace(",", ".")))
        if _GROUPED.match(text):
            text = text.replace(",", "")
        if not _AMOUNT.match(text):
            raise PydanticCustomError("vp_bad_amount", "not an amount", _params(value))
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError("vp_bad_amount", "not an amount", _params(value)) from None
    if not amount.is_finite():
        raise PydanticCustomError("vp_bad_amount", "not an amount", _params(value))
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise PydanticCustomError("vp_amount_cents", "not an amount", _params(value))
    if abs(amount) >= _TOO_MUCH:  # a typo, not a village's money (and beyond exact arithmetic)
        raise PydanticCustomError("vp_too_large", "amount too large", _params(value))
    return amount.quantize(Decimal("0.01"))


def parse_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise PydanticCustomError("vp_bad_text", "not text", {})
    return "" if value is None else str(value).strip()


def _personal_number(kind: NumberKind) -> Any:
    def masked(value: Any, info: ValidationInfo) -> str:
        text = parse_text(value)
        masking = (info.context or {}).get("masking") or DEFAULT_MASKING
        return mask_numbers(text, kind, masking)

    masked.number_kind = kind  # type: ignore[attr-defined] - tells `village-portal new` what it holds
    return masked


def _office_phone(value: Any, info: ValidationInfo) -> str:
    text = parse_text(value)
    return mask_numbers(text, None, (info.context or {}).get("masking") or DEFAULT_MASKING)


ClerkDate = Annotated[date, BeforeValidator(parse_date)]
Money = Annotated[Decimal, BeforeValidator(parse_amount), PlainSerializer(lambda d: f"{d:.2f}", return_type=str)]
Text = Annotated[str, BeforeValidator(parse_text)]
# Fields that hold a personal number: masked as they are read, per the village's `masking:`
# settings (the defaults without them), so the full number never reaches a page. A record kind
# uses these for e.g. a beneficiary's ID; the check stage treats a full number anywhere else as
# an error.
ResidentId = Annotated[str, PlainValidator(_personal_number(NumberKind.ID))]
PhoneNumber = Annotated[str, PlainValidator(_personal_number(NumberKind.MOBILE))]
BankAccount = Annotated[str, PlainValidator(_personal_number(NumberKind.BANK))]
# A phone to call about a public matter (an office, the supervision line): a landline is shown as
# it is; a mobile, which is a private person's, is masked like any personal number.
OfficePhone = Annotated[str, PlainValidator(_office_phone)]


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


def without_blank_tail(items: list[Any]) -> list[Any]:
    """A list as the clerk wrote it, without the items at its end that hold nothing (a
    skeleton's blank item); only at the end, so that every other item keeps its place and line."""
    end = len(items)
    while end and _blank(items[end - 1]):
        end -= 1
    return items[:end]


def _blank(item: Any) -> bool:
    if isinstance(item, dict):
        return all(_blank(value) for value in item.values())
    return item is None or item == "" or item == []


class Part(BaseModel):
    """A part of a record (a ledger line, a meeting, a step): like a record, strict and frozen,
    with surrounding spaces trimmed from text."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Meeting(Part):
    """A meeting that voted: when, how many took part, and which meeting it was."""

    held_on: ClerkDate
    voters: int = Field(ge=1)  # 参加表决/测评人数
    meeting: Text = ""
