"""Values as clerks type them: dates, amounts and accounting periods, in the forms they use."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from pydantic_core import PydanticCustomError

from generator.domain.kinds.fields import Period, parse_amount, parse_date, parse_period, parse_text


# -- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "2025-03-01", "2025/3/1", "2025.3.1", "2025年3月1日", "2025年3月1", "2025 年 3 月 1 日",
    "２０２５年３月１日", "２０２５－０３－０１", " 2025-03-01 ", date(2025, 3, 1), datetime(2025, 3, 1, 9, 30),
])
def test_parse_date_reads_the_forms_clerks_write(typed):
    assert parse_date(typed) == date(2025, 3, 1)


@pytest.mark.parametrize("typed", [
    "2025-13-01", "2025-02-29", "2025-04-31", "2025-00-10", "abc", "", "2025-3", "三月一日",
    "03/01/2025", "2025-03-01-02", None, True, [2025, 3, 1],
])
def test_parse_date_refuses_nonsense_with_a_date_key(typed):
    with pytest.raises(PydanticCustomError) as refused:
        parse_date(typed)
    # vp_bad_date, or a more precise date_* key (e.g. a day/month order that cannot be known).
    assert refused.value.type == "vp_bad_date" or refused.value.type.startswith("vp_date_")


@pytest.mark.parametrize("typed", ["2025-13-01", "2025-02-29", "abc", None])
def test_impossible_or_unreadable_dates_are_bad_date(typed):
    with pytest.raises(PydanticCustomError) as refused:
        parse_date(typed)
    assert refused.value.type == "vp_bad_date"


def test_leap_day_is_a_date_in_a_leap_year():
    assert parse_date("2024-02-29") == date(2024, 2, 29)


# -- amounts ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "amount"), [
    ("12,300.50", "12300.50"),
    ("12300.5元", "12300.50"),
    ("¥1,000", "1000.00"),
    ("￥1,000.00", "1000.00"),
    ("１２３００．５", "12300.50"),
    ("１２，３００．５０元", "12300.50"),
    ("1,000,000", "1000000.00"),
    (" 8 ", "8.00"),
    ("0.1", "0.10"),
    ("-5.00", "-5.00"),
    (300, "300.00"),
    (Decimal("512806.4"), "512806.40"),
])
def test_parse_amount_gives_exact_yuan_and_fen(typed, amount):
    parsed = parse_amount(typed)
    assert isinstance(parsed, Decimal)
    assert parsed == Decimal(amount)
    assert str(parsed) == amount  # always two places: 分


def test_parse_amount_adds_up_exactly():
    total = parse_amount("0.1") + parse_amount("0.2")
    assert total == Decimal("0.3")


def _is_amount_refusal(key: str) -> bool:
    # vp_bad_amount, or a more precise amount_* key that tells the clerk what was ambiguous.
    return key == "vp_bad_amount" or key.startswith("vp_amount_")


@pytest.mark.parametrize("typed", ["abc", "", "1.", "1e3", "NaN", "Infinity", "12元5角", "1.2.3", "1,2345.00",
                                   True, False, float("inf")])
def test_parse_amount_refuses_what_is_not_an_amount(typed):
    with pytest.raises(PydanticCustomError) as refused:
        parse_amount(typed)
    assert refused.value.type == "vp_bad_amount"


@pytest.mark.parametrize("typed", ["1,23.4", "12,30", "1,234,56", "12.345", "1.234,50"])
def test_parse_amount_refuses_what_could_be_read_two_ways(typed):
    with pytest.raises(PydanticCustomError) as refused:
        parse_amount(typed)
    assert _is_amount_refusal(refused.value.type)


@pytest.mark.parametrize("typed", ["0.001", "1000.005", Decimal("1000.005")])
def test_parse_amount_refuses_fractions_of_a_fen(typed):
    with pytest.raises(PydanticCustomError) as refused:
        parse_amount(typed)
    assert refused.value.type == "vp_amount_cents"


# -- text ------------------------------------------------------------------------------------

def test_parse_text_trims_and_refuses_structures():
    assert parse_text("  河口村  ") == "河口村"
    assert parse_text(None) == ""
    assert parse_text(2025) == "2025"
    for structure in ({"a": 1}, ["a"]):
        with pytest.raises(PydanticCustomError) as refused:
            parse_text(structure)
        assert refused.value.type == "vp_bad_text"


# -- accounting periods ----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "code", "start", "end"), [
    ("2025-01", "2025-01", date(2025, 1, 1), date(2025, 1, 31)),
    ("2025年3月", "2025-03", date(2025, 3, 1), date(2025, 3, 31)),
    ("2025/3", "2025-03", date(2025, 3, 1), date(2025, 3, 31)),
    ("2025.12", "2025-12", date(2025, 12, 1), date(2025, 12, 31)),
    ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("２０２５年３月", "2025-03", date(2025, 3, 1), date(2025, 3, 31)),
    ("2025-Q1", "2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
    ("2025-q2", "2025-Q2", date(2025, 4, 1), date(2025, 6, 30)),
    ("2025Q4", "2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
    ("2025年第一季度", "2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
    ("2025年第三季度", "2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
    ("2025年第4季度", "2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
    (date(2025, 3, 17), "2025-03", date(2025, 3, 1), date(2025, 3, 31)),
])
def test_parse_period_reads_months_and_quarters(typed, code, start, end):
    period = parse_period(typed)
    assert (period.code, period.start, period.end) == (code, start, end)
    assert str(period) == code
    assert period.quarterly == ("Q" in code)


@pytest.mark.parametrize("typed", ["2025-13", "2025-00", "2025-Q5", "2025-Q0", "2025年第五季度", "x", "2025", ""])
def test_parse_period_refuses_nonsense(typed):
    with pytest.raises(PydanticCustomError) as refused:
        parse_period(typed)
    assert refused.value.type == "vp_bad_period"


@pytest.mark.parametrize(("later", "earlier", "follows"), [
    ("2025-02", "2025-01", True),
    ("2025-01", "2024-12", True),       # across the year boundary
    ("2025-03", "2025-01", False),      # a month missing
    ("2025-01", "2025-01", False),
    ("2025-01", "2025-02", False),      # backwards
    ("2025-Q2", "2025-Q1", True),
    ("2025-Q1", "2024-Q4", True),
    ("2025-Q3", "2025-Q1", False),
    ("2025-Q2", "2025-03", True),       # a village switching from months to quarters
    ("2025-04", "2025-Q1", True),
])
def test_period_follows(later, earlier, follows):
    assert parse_period(later).follows(parse_period(earlier)) is follows


def test_period_contains_its_days_and_no_others():
    quarter = parse_period("2025-Q1")
    assert date(2025, 1, 1) in quarter
    assert date(2025, 3, 31) in quarter
    assert date(2024, 12, 31) not in quarter
    assert date(2025, 4, 1) not in quarter
    month = Period.month(2025, 12)
    assert date(2025, 12, 31) in month and date(2026, 1, 1) not in month


def test_periods_sort_in_time_order():
    typed = ["2025-03", "2024-12", "2025-01", "2025-02"]
    assert [p.code for p in sorted(parse_period(t) for t in typed)] == ["2024-12", "2025-01", "2025-02", "2025-03"]
