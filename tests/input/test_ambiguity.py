"""Anything that could be read two ways is an error that says what would be right, never a guess
that moves money or a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic_core import PydanticCustomError

from generator.domain.kinds.fields import parse_amount, parse_date


def refused(parse, value) -> tuple[str, dict]:
    with pytest.raises(PydanticCustomError) as caught:
        parse(value)
    return caught.value.type, caught.value.context or {}


@pytest.mark.parametrize(("typed", "key", "right"), [
    ("1.234,50", "vp_amount_separators", "1234.50"),      # European: a thousand and a bit
    ("1.234.567", "vp_amount_separators", "1234567"),
    ("12.345", "vp_amount_dot_or_thousands", "12345"),    # twelve, or twelve thousand?
    ("1.500", "vp_amount_dot_or_thousands", "1500"),
    ("12,5", "vp_amount_comma_decimal", "12.5"),          # decimal comma, or a typo?
    ("12,30", "vp_amount_comma_decimal", "12.30"),
    ("1.2万", "vp_amount_wan", "12000.00"),
    ("３万元", "vp_amount_wan", "30000.00"),
    ("(300.00)", "vp_amount_parentheses", "-300.00"),
    ("（1,300.00）", "vp_amount_parentheses", "-1300.00"),
])
def test_ambiguous_amounts_are_refused_with_what_would_be_right(typed, key, right):
    found, context = refused(parse_amount, typed)
    assert found == key
    assert right in context.values()


@pytest.mark.parametrize("typed", ["0.125", "12.3456", "1,234.567"])
def test_fractions_of_a_fen_are_refused_not_rounded(typed):
    assert refused(parse_amount, typed)[0] == "vp_amount_cents"


@pytest.mark.parametrize("typed", [Decimal("1E+26"), 10**30, "1" + "0" * 40, "-99999999999999"])
def test_absurd_amounts_are_too_large_not_a_crash(typed):
    # Found by fuzzing: 1e+26 in a YAML amount made quantize() raise InvalidOperation.
    assert refused(parse_amount, typed)[0] == "vp_too_large"


@pytest.mark.parametrize(("typed", "amount"), [
    ("1,234", "1234.00"),  # in China a comma groups thousands: one reading only
    ("1,234.50", "1234.50"), ("12300.5元", "12300.50"), ("¥ 12 300.50", "12300.50"), ("１２，３００．５０", "12300.50"),
    ("12300元整", "12300.00"), ("0.50", "0.50"), ("-3.5", "-3.50"),
])
def test_unambiguous_amounts_are_read_exactly(typed, amount):
    assert parse_amount(typed) == Decimal(amount)
    assert str(parse_amount(typed)) == amount


@pytest.mark.parametrize(("typed", "key", "right"), [
    ("3/4/2025", "vp_date_order_unknown", "2025-03-04 / 2025-04-03"),
    ("03/01/2025", "vp_date_order_unknown", "2025-01-03 / 2025-03-01"),
    ("13/3/2025", "vp_date_order_unknown", "2025-03-13"),  # one reading, still not how dates are written here
    ("3/3/2025", "vp_date_order_unknown", "2025-03-03"),
    ("1.3.25", "vp_date_order_unknown", "2025-01-03 / 2025-03-01"),
    ("25-3-1", "vp_date_short_year", "2025-03-01"),
    ("25年3月1日", "vp_date_short_year", "2025-03-01"),
    ("45717", "vp_date_excel_serial", "2025-03-01"),       # an Excel date cell that lost its format
])
def test_ambiguous_dates_are_refused_with_what_would_be_right(typed, key, right):
    found, context = refused(parse_date, typed)
    assert found == key
    assert right in context.values()


@pytest.mark.parametrize("typed", ["2025-03-01", "2025/3/1", "2025.3.1", "2025年3月1日", "20250301",
                                   "2025-03-01 00:00:00", "2025-03-01T00:00:00", "２０２５年３月１日"])
def test_the_ways_clerks_write_dates_are_read(typed):
    assert parse_date(typed) == date(2025, 3, 1)


@pytest.mark.parametrize("typed", ["20251301", "2025-02-30", "32/1/2025", None, ""])
def test_impossible_dates_are_bad_dates(typed):
    assert refused(parse_date, typed)[0] == "vp_bad_date"


# -- located, with the words a clerk reads ----------------------------------------------------------

LEDGER = """\
period: 2025-01
date: 2025-02-05
posted_until: 2025-02-19
opening_balance: {opening}
closing_balance: 1000.00
"""


def test_ambiguities_are_located_errors_in_chinese_and_english(portal, catalogue, english):
    portal.record(2025, "finance", "2025-01.yml", LEDGER.format(opening="'1.000,00'"))
    portal.write("content/testv/2025/finance/2025-01.csv",
                 "日期,凭证号,摘要,科目,收入,支出\n3/4/2025,记-001,承包费,经营收入,12.345,\n"
                 "25-1-9,记-002,电费,管理费用,,1.2万\n")
    checked = portal.check()
    found = sorted((p.location.path.rsplit("/", 1)[1], p.location.line, p.location.column, p.key)
                   for p in checked.problems.errors)
    assert found == [
        ("2025-01.csv", 2, "收入", "amount_dot_or_thousands"),
        ("2025-01.csv", 2, "日期", "date_order_unknown"),
        ("2025-01.csv", 3, "支出", "amount_wan"),
        ("2025-01.csv", 3, "日期", "date_short_year"),
        ("2025-01.yml", 4, None, "amount_separators"),
    ]
    messages = {p.key: p.render(catalogue) for p in checked.problems.errors}
    assert "2025-03-04 / 2025-04-03" in messages["date_order_unknown"]
    assert "12345" in messages["amount_dot_or_thousands"]
    assert "12000.00" in messages["amount_wan"]
    assert "2025-01-09" in messages["date_short_year"]
    assert "期初余额" in messages["amount_separators"] and "1000.00" in messages["amount_separators"]
    english_messages = {p.key: p.render(english) for p in checked.problems.errors}
    assert "opening balance" in english_messages["amount_separators"]
    assert "could be 2025-03-04 / 2025-04-03" in english_messages["date_order_unknown"]
