"""Properties that must hold for any input, not only the examples a test writer thought of."""

from __future__ import annotations

import os
import re
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.domain.privacy import mask
from generator.inputs.problems import Location, Problems
from generator.inputs.readers import Document, Table, read_csv, read_yaml
from generator.domain.kinds.base import CheckContext, Source
from generator.domain.kinds.fields import parse_amount
from generator.domain.kinds.finance import Ledger
from generator.domain.settings import VillageSettings

# VP_EXAMPLES=20000 runs the properties much harder (about a minute); the default keeps the suite quick.
FAST = settings(max_examples=int(os.environ.get("VP_EXAMPLES", "150")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

CENTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999.99"), places=2,
                    allow_nan=False, allow_infinity=False)
BALANCE = st.decimals(min_value=Decimal("-9999999.99"), max_value=Decimal("9999999.99"), places=2,
                      allow_nan=False, allow_infinity=False)
# A ledger line: (day of January, income?, amount)
LINE = st.tuples(st.integers(1, 31), st.booleans(), CENTS)

SETTINGS = VillageSettings(id="testv", name="测试村", township={"name": "石桥镇"})


def _check_ledger(opening: Decimal, closing: Decimal, lines: list[tuple[int, bool, Decimal]]) -> list[str]:
    data = {
        "period": "2025-01", "date": "2025-02-05",
        "opening_balance": opening, "closing_balance": closing,
        "lines": [
            {"date": date(2025, 1, day).isoformat(), "voucher": f"记-{index:03d}", "summary": "收支",
             "account": "经营收入" if income else "管理费用",
             "income": amount if income else None, "expense": None if income else amount}
            for index, (day, income, amount) in enumerate(lines, 1)
        ],
    }
    ledger = Ledger.model_validate(data)
    document = Document(Location("content/testv/2025/finance/2025-01.yml", 1), data, {})
    ledger.placed(Source(document, "testv", 2025, "finance", "2025-01"))
    context = CheckContext(SETTINGS, [ledger])
    ledger.check(context)
    Ledger.check_all([ledger], context)
    return [problem.key for problem in context.problems]


@FAST
@given(opening=BALANCE, lines=st.lists(LINE, max_size=25))
def test_a_ledger_whose_closing_adds_up_always_reconciles(opening, lines):
    closing = opening + sum((amount if income else -amount for _, income, amount in lines), Decimal("0"))
    assert _check_ledger(opening, closing, lines) == []


@FAST
@given(opening=BALANCE, lines=st.lists(LINE, max_size=25),
       off_by=st.decimals(min_value=Decimal("-100000"), max_value=Decimal("100000"), places=2,
                          allow_nan=False, allow_infinity=False).filter(lambda d: d != 0))
@example(opening=Decimal("0.10"), lines=[(1, True, Decimal("0.20"))], off_by=Decimal("0.01"))
def test_a_ledger_whose_closing_does_not_add_up_never_reconciles(opening, lines, off_by):
    closing = opening + sum((amount if income else -amount for _, income, amount in lines), Decimal("0")) + off_by
    assert "ledger_does_not_reconcile" in _check_ledger(opening, closing, lines)


@FAST
@given(amount=st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2,
                          allow_nan=False, allow_infinity=False),
       dress=st.sampled_from(["{}", "¥{}", "￥{}", "{}元", " {} "]))
def test_parse_amount_reads_back_every_formatted_amount(amount, dress):
    assert parse_amount(dress.format(f"{amount:,.2f}")) == amount
    assert parse_amount(f"{amount:.2f}") == amount
    assert parse_amount(f"{amount:,.2f}".translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))) == amount


@FAST
@given(text=st.text(alphabet="0123456789 -X", min_size=0, max_size=24),
       start=st.integers(0, 12), end=st.integers(0, 12))
def test_mask_always_hides_at_least_four_characters(text, start, end):
    chars = text.replace(" ", "").replace("-", "")
    masked = mask(text, start, end)
    assert len(masked) == len(chars)
    assert masked.count("*") >= min(4, len(chars))
    if chars:
        # The number's own start, stars, its own end: never more characters visible than asked for
        # (a number too short for the setting shows fewer, split between its two ends).
        head, stars, tail = re.fullmatch(r"([^*]*)(\*+)([^*]*)", masked).groups()
        assert len(head) + len(tail) <= start + end
        assert chars.startswith(head) and chars.endswith(tail)


# -- readers never raise ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def scratch() -> Path:
    with tempfile.TemporaryDirectory(prefix="vp-readers-") as folder:
        yield Path(folder)


def _read(reader, path: Path, raw: bytes):
    path.write_bytes(raw)
    problems = Problems()
    result = reader(path, Location(path.name), problems)
    # Either a value, or problems that say why not.
    assert result is not None or len(problems) > 0
    assert all(problem.location.path == path.name for problem in problems)
    return result, problems


YAML_ALPHABET = st.sampled_from(list(":-#|>'\"[]{},&*!?%@` \t\n\r\\.0123456789aeXx年月日：，　\ufeff"))
YAML_LIKE = st.lists(st.one_of(YAML_ALPHABET, st.sampled_from(["title: ", "date: 2025-13-01", "  - ", "\n  ",
                                                               "body: |\n", "0.1", ".inf", "~", "null"])),
                     max_size=60).map("".join)
CSV_LIKE = st.lists(st.sampled_from(list(',"\n\r \t;abc张三0123456789') + ["姓名", "身份证号", '""', ",,"]),
                    max_size=80).map("".join)


@FAST
@given(raw=st.binary(max_size=300))
def test_read_csv_never_raises_on_arbitrary_bytes(scratch, raw):
    result, _ = _read(read_csv, scratch / "t.csv", raw)
    assert result is None or isinstance(result, Table)


@FAST
@given(text=CSV_LIKE, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_read_csv_never_raises_on_csv_like_text(scratch, text, encoding):
    result, _ = _read(read_csv, scratch / "t.csv", text.encode(encoding))
    if result is not None:
        lines = [row.line for row in result.rows]
        assert lines == sorted(set(lines)) and all(line >= 2 for line in lines)


@FAST
@given(text=YAML_LIKE, encoding=st.sampled_from(["utf-8", "gb18030"]))
@example(text="a: .inf\n", encoding="utf-8")
def test_read_yaml_never_raises_on_yaml_like_text(scratch, text, encoding):
    result, _ = _read(read_yaml, scratch / "t.yml", text.encode(encoding, errors="ignore"))
    assert result is None or isinstance(result, Document)


@FAST
@given(raw=st.binary(max_size=300))
@example(raw=b"title: a\x07b\n")
def test_read_yaml_never_raises_on_arbitrary_bytes(scratch, raw):
    result, _ = _read(read_yaml, scratch / "t.yml", raw)
    assert result is None or isinstance(result, Document)


@FAST
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
       style=st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日"]))
def test_parse_date_reads_every_real_day_in_every_style(day, style):
    from generator.domain.kinds.fields import parse_date

    assert parse_date(style.format(y=day.year, m=day.month, d=day.day)) == day


@FAST
@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 1)), months=st.integers(1, 24))
def test_consecutive_months_follow_each_other(start, months):
    from generator.domain.kinds.fields import Period

    periods = []
    year, month = start.year, start.month
    for _ in range(months):
        periods.append(Period.month(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for earlier, later in zip(periods, periods[1:]):
        assert later.follows(earlier)
        assert later.start - earlier.end == timedelta(days=1)
        assert not earlier.follows(later)
