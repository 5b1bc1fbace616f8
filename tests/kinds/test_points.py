"""党员积分: totals recomputed as daily × 0.7 + annual × 0.3 (the weights a setting), a stated total
that disagrees named with both numbers, categories, mid-year lists, and the pages."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs.messages import Catalogue
from generator.domain.kinds import KINDS
from generator.domain.kinds.points import PartyPoints, parse_points, points_text, total_agrees, weighted_total
from tests.builder import Portal

AS_OF = date(2026, 11, 25)
SECTION = "points"

LIST = """\
title: 测试村党支部2025年度党员积分明细
date: 2026-01-10
posted_until: 2026-01-17
issuer: 中共测试村支部委员会
for_year: 2025
branch: 第一党小组
"""

HEADER = "姓名,类别,日常积分,年度评议积分,总分\n"
ROWS = [
    "王大山,A,93,95,93.6",     # 65.1 + 28.5
    "李小红,C,92.5,88,91.15",  # 64.75 + 26.4
    "赵老四,F,80,90,",         # no stated total: 83
    "钱多多,C,90,90,90",
]


def run(portal: Portal, rows: list[str], *, header: str = HEADER, yml: str = LIST, year: int = 2025,
        village: str | None = None):
    portal.files({f"content/testv/{year}/points/list.yml": yml,
                  f"content/testv/{year}/points/list.csv": header + "\n".join(rows) + "\n"})
    if village is not None:
        portal.village(village)
    return portal.check(AS_OF, frequency=True)


def mine(problems) -> list:
    return [p for p in problems if f"/{SECTION}/" in p.location.path or "site_config" in p.location.path]


def keys(problems) -> list[str]:
    return [problem.key for problem in mine(problems)]


def the_list(checked) -> PartyPoints:
    return next(record for record in checked.villages[0].records if record.section == SECTION)


def rules(checked):
    return checked.villages[0].settings.rules.of(SECTION)


# -- the arithmetic ---------------------------------------------------------------------------

def test_a_list_done_right_is_clean_and_recomputed(portal):
    checked = run(portal, ROWS)
    assert keys(checked.problems) == []
    record = the_list(checked)
    assert record.belongs_to_year == 2025 and record.scored_year == 2025 and not record.interim
    scored = record.scored(rules(checked))
    assert [(s.member.person, s.total, s.rank) for s in scored] == [
        ("王大山", Decimal("93.6"), 1), ("李小红", Decimal("91.15"), 2), ("钱多多", Decimal("90.0"), 3),
        ("赵老四", Decimal("83.0"), None)]  # F: scored, not ranked


def test_a_stated_total_that_disagrees_is_an_error_naming_both_numbers(portal):
    checked = run(portal, ["王大山,A,93,95,95.0"] + ROWS[1:])
    [problem] = mine(checked.problems.errors)
    assert problem.key == "points_total_mismatch"
    assert (problem.location.path.endswith("list.csv"), problem.location.line, problem.location.column) == (True, 2, "总分")
    assert problem.params["stated"] == "95" and problem.params["computed"] == "93.6"
    message = problem.message(Catalogue())
    assert "王大山的总分写的是 95" in message and "应当是 93.6" in message and "× 0.7" in message


@pytest.mark.parametrize("stated", ["91.15", "91.2", "91.1", "91", "91.150"])
def test_a_stated_total_rounded_to_its_own_places_agrees(portal, stated):
    checked = run(portal, [f"李小红,C,92.5,88,{stated}"])
    assert keys(checked.problems) == []


@pytest.mark.parametrize("stated", ["91.3", "91.0", "92", "91.16"])
def test_a_stated_total_off_by_more_than_rounding_is_an_error(portal, stated):
    checked = run(portal, [f"李小红,C,92.5,88,{stated}"])
    assert keys(checked.problems) == ["points_total_mismatch"]


def test_the_weights_are_settings(portal):
    village = "name: 测试村\nhouseholds: 300\nrules:\n  points:\n    daily_weight: 0.6\n    annual_weight: 0.4\n"
    checked = run(portal, ["王大山,A,93,95,93.8"], village=village)  # 55.8 + 38
    assert keys(checked.problems) == []
    checked = run(Portal(portal.root / "b"), ["王大山,A,93,95,93.6"], village=village)  # the 7:3 total
    [problem] = mine(checked.problems.errors)
    assert problem.params["computed"] == "93.8" and problem.params["daily_weight"] == "0.6"


def test_weights_must_add_up_to_one(portal):
    village = "name: 测试村\nrules:\n  points:\n    daily_weight: 0.6\n    annual_weight: 0.3\n"
    checked = run(portal, ROWS, village=village)
    assert "points_weights_sum" in keys(checked.problems.errors)


# -- other errors -----------------------------------------------------------------------------

def test_an_unknown_category_is_an_error(portal):
    checked = run(portal, ROWS + ["孙悟空,G,80,80,"])
    [problem] = mine(checked.problems.errors)
    assert (problem.key, problem.location.line, problem.location.column) == ("points_unknown_category", 6, "类别")
    assert problem.params["allowed"] == "A、B、C、D、E、F"


def test_the_categories_are_a_setting(portal):
    village = ("name: 测试村\nrules:\n  points:\n    categories:\n      甲: 书记主任\n      乙: 其他党员\n"
               "    unranked_categories: []\n")
    checked = run(portal, ["王大山,甲,93,95,", "李小红,乙,90,80,"], village=village)
    assert keys(checked.problems) == []
    checked = run(Portal(portal.root / "b"), ["王大山,A,93,95,"], village=village)
    assert keys(checked.problems) == ["points_unknown_category"]


def test_points_outside_the_scale_are_an_error(portal):
    checked = run(portal, ["王大山,A,103,95,", "李小红,C,92,-1,"])
    assert [(p.key, p.location.column) for p in mine(checked.problems.errors)] == [
        ("points_out_of_range", "日常积分"), ("points_out_of_range", "年度评议积分")]


def test_points_must_be_numbers(portal):
    checked = run(portal, ["王大山,A,九十,95,"])
    [problem] = mine(checked.problems.errors)
    assert problem.key == "points_bad_number" and problem.location.column == "日常积分"


def test_a_member_listed_twice_is_an_error(portal):
    checked = run(portal, ROWS + ["王大山,A,90,90,"])
    [problem] = mine(checked.problems.errors)
    assert (problem.key, problem.location.line, problem.params["row"]) == ("points_duplicate_member", 6, 2)


def test_points_of_a_year_not_yet_begun_are_an_error(portal):
    checked = run(portal, ROWS, yml=LIST.replace("for_year: 2025", "for_year: 2027"), year=2027)
    assert "points_year_in_future" in keys(checked.problems.errors)


def test_the_list_belongs_to_the_year_it_scores(portal):
    # Posted in January 2026 for 2025: its folder is 2025; in 2026's it is misplaced.
    checked = run(portal, ROWS, year=2026)
    assert "wrong_year_folder" in keys(checked.problems.errors)


# -- mid-year lists ---------------------------------------------------------------------------

def test_a_mid_year_list_has_daily_points_only(portal):
    checked = run(portal, ["王大山,A,93", "李小红,C,95", "赵老四,F,99"], header="姓名,类别,日常积分\n",
                  yml=LIST.replace("2025年度", "2026年上半年").replace("2026-01-10", "2026-07-10")
                  .replace("2026-01-17", "2026-07-17").replace("for_year: 2025", "for_year: 2026"), year=2026)
    assert keys(checked.problems) == []
    record = the_list(checked)
    assert record.interim
    assert [(s.member.person, s.total, s.rank) for s in record.scored(rules(checked))] == [
        ("李小红", None, 1), ("王大山", None, 2), ("赵老四", None, None)]


def test_a_settled_list_needs_every_annual_score(portal):
    checked = run(portal, ROWS + ["孙二娘,C,88,,"])
    [problem] = mine(checked.problems.errors)
    assert (problem.key, problem.location.column) == ("points_annual_missing", "年度评议积分")


def test_a_total_without_an_annual_score_is_an_error(portal):
    checked = run(portal, ["王大山,A,93,,90"])
    assert keys(checked.problems.errors) == ["points_total_without_annual"]


# -- pages ------------------------------------------------------------------------------------

def test_the_section_page_totals_by_category(portal):
    checked = run(portal, ROWS)
    village_year = checked.villages[0].village_year(2025)
    records = [r for r in village_year.records if r.section == SECTION]
    view = KINDS[SECTION].section_view(records, village_year.context())
    assert view.members == 4 and not view.interim
    assert [(c.code, c.count, c.average_text, c.best_text) for c in view.categories] == [
        ("A", 1, "93.6", "93.6"), ("C", 2, "90.58", "91.15"), ("F", 1, "83", "83")]
    section = portal.page(SECTION)
    assert "综合积分 = 日常行为积分 × 0.7 + 年度评议积分 × 0.3" in section
    page = portal.page(SECTION, "list")
    assert "<strong>91.15</strong>" in page and "F类党员只评定不排名" in page


# -- properties -------------------------------------------------------------------------------

# Points as clerks write them: 0–100, at most one decimal.
POINTS = st.integers(min_value=0, max_value=1000).map(lambda tenths: Decimal(tenths) / 10)
WEIGHT = st.integers(min_value=0, max_value=10).map(lambda tenths: Decimal(tenths) / 10)


@given(POINTS, POINTS)
def test_the_total_is_seven_tenths_daily_and_three_tenths_annual(daily, annual):
    total = weighted_total(daily, annual, Decimal("0.7"), Decimal("0.3"))
    assert total == (7 * daily + 3 * annual) / 10  # exact: no float anywhere
    assert min(daily, annual) <= total <= max(daily, annual)
    assert total.as_tuple().exponent >= -2  # one-decimal points give at most two decimals


@given(POINTS, POINTS, WEIGHT)
def test_any_weights_adding_up_to_one_keep_the_total_between_its_parts(daily, annual, weight):
    total = weighted_total(daily, annual, weight, 1 - weight)
    assert min(daily, annual) <= total <= max(daily, annual)
    if daily == annual:
        assert total == daily


@given(POINTS, POINTS, st.integers(min_value=0, max_value=2))
def test_the_total_rounded_to_any_places_agrees(daily, annual, places):
    total = weighted_total(daily, annual, Decimal("0.7"), Decimal("0.3"))
    stated = total.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert total_agrees(stated, total)
    assert parse_points(str(stated)) == stated


@given(POINTS, POINTS, st.integers(min_value=-1000, max_value=1000))
def test_a_one_decimal_total_agrees_exactly_when_within_half_a_tenth(daily, annual, tenths):
    """Both 8.5 and 8.6 are a rounding of 8.55; 8.4 and 8.7 are not."""
    total = weighted_total(daily, annual, Decimal("0.7"), Decimal("0.3"))
    stated = Decimal(tenths).scaleb(-1)  # one decimal place, even for 8.0
    assert total_agrees(stated, total) == (abs(stated - total) <= Decimal("0.05"))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(POINTS, POINTS, st.booleans()), min_size=1, max_size=8), st.data())
def test_through_the_pipeline_only_wrong_totals_are_errors(members, data):
    """Each member's total either rounded right or pushed off by 0.1–5 points: exactly those more
    than half a tenth from the recomputed total are errors, each naming both numbers."""
    rows, wrong = [], set()
    for index, (daily, annual, push) in enumerate(members):
        total = weighted_total(daily, annual, Decimal("0.7"), Decimal("0.3"))
        stated = total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if push:
            stated += data.draw(st.sampled_from([-1, 1])) * Decimal(data.draw(st.integers(1, 50))) / 10
            if not 0 <= stated <= 100:
                stated = total.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            elif abs(stated - total) > Decimal("0.05"):  # 8.5 for 8.55 is a rounding too
                wrong.add((f"党员{index}", points_text(stated), points_text(total)))
        rows.append(f"党员{index},C,{daily},{annual},{stated}")
    with tempfile.TemporaryDirectory() as folder:
        checked = run(Portal(Path(folder)), rows)
    found = {(p.params["name"], p.params["stated"], p.params["computed"]) for p in mine(checked.problems.errors)}
    assert keys(checked.problems.errors) == ["points_total_mismatch"] * len(wrong)
    assert found == wrong
