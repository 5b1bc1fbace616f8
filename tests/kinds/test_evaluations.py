"""承诺考评: votes that can't exceed the voters, items rejected by more than half 不满意, at least N
items, the secretary's and the director's items not overlapping, 不合格 and the second year in a
row flagged, the composite and the rank."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs.messages import Catalogue
from generator.domain.kinds import KINDS
from generator.domain.kinds.evaluations import (
    CadreEvaluation, Votes, allowed_votes, composite_score, democratic_score, more_than_share, same_item, standings)
from tests.builder import Portal

AS_OF = date(2026, 11, 25)
SECTION = "evaluations"

ITEMS = ["完成电排站机组更换", "建立流出党员微信群", "全年讲党课不少于4次"]


def cadre(name: str = "陈立新", post: str = "党支部书记", *, year: int = 2026, items: list[str] | None = None,
          item_votes: tuple[int, int, int] = (50, 15, 3), voters: int = 70, fulfilment: str = "已完成",
          votes: tuple[int, int, int] | None = (55, 10, 3), ev_voters: int = 69, panel: str | None = "90",
          extra_items: str = "") -> str:
    text = f"""\
date: {year}-11-20
posted_until: {year}-11-27
issuer: 测试村
cadre: {name}
post: {post}
confirmation:
  held_on: {year}-02-26
  meeting: 党员和村民代表大会
  voters: {voters}
commitments:
"""
    for item in items if items is not None else ITEMS:
        text += f"  - item: {item}\n    votes: {{满意: {item_votes[0]}, 基本满意: {item_votes[1]}, 不满意: {item_votes[2]}}}\n"
        if fulfilment:
            text += f"    fulfilment: {fulfilment}\n"
    text += extra_items
    if votes is not None:
        text += (f"evaluation:\n  held_on: {year}-11-18\n  voters: {ev_voters}\n"
                 f"  votes: {{满意: {votes[0]}, 基本满意: {votes[1]}, 不满意: {votes[2]}}}\n")
        if panel is not None:
            text += f"  panel_score: {panel}\n"
    return text


def run(portal: Portal, records: dict[str, str], village: str | None = None):
    """`records`: {"2026/chen": yaml}."""
    for key, text in records.items():
        year, name = key.split("/")
        portal.record(year, SECTION, f"{name}.yml", text)
    if village is not None:
        portal.village(village)
    return portal.check(AS_OF, frequency=True)


def mine(problems) -> list:
    return [p for p in problems if f"/{SECTION}/" in p.location.path or "site_config" in p.location.path]


def keys(problems) -> list[str]:
    return [problem.key for problem in mine(problems)]


def record(checked, name: str, year: int = 2026) -> CadreEvaluation:
    return next(r for r in checked.villages[0].records if r.section == SECTION and r.cadre == name and r.year == year)


def rules(checked):
    return checked.villages[0].settings.rules.of(SECTION)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The line a needle is on; a needle with leading spaces matches the start of the line."""
    lines = [number for number, line in enumerate(text.splitlines(), 1)
             if (line.startswith(needle) if needle.startswith(" ") else needle in line)]
    return lines[occurrence - 1]


# -- a year done right ------------------------------------------------------------------------

def test_a_year_done_right_is_clean_ranked_and_scored(portal):
    checked = run(portal, {
        "2026/chen": cadre(),
        "2026/liu": cadre("刘国平", "村委会主任", items=["完成渠道硬化", "校舍每季度检查", "配合高标准农田建设"],
                          votes=(50, 15, 4), panel="88"),
    })
    assert keys(checked.problems) == []
    chen, liu = record(checked, "陈立新"), record(checked, "刘国平")
    result = standings([liu, chen], rules(checked))
    assert [(s.record.cadre, s.rank, s.qualified) for s in result] == [("陈立新", 1, True), ("刘国平", 2, True)]
    # 民主测评: (55×100 + 10×60 + 3×0) / 68 votes cast; composite = half that + half the panel's 90
    assert result[0].democratic == Decimal(6100) / 68
    assert result[0].composite == Decimal(6100) / 68 / 2 + 45
    assert result[0].composite_text == "89.85"


# -- vote arithmetic: errors ------------------------------------------------------------------

def test_confirmation_votes_exceeding_the_voters_are_an_error(portal):
    text = cadre(item_votes=(50, 15, 6), voters=70)  # 71 votes, 70 voters
    checked = run(portal, {"2026/chen": text})
    problems = mine(checked.problems.errors)
    assert [p.key for p in problems] == ["evaluation_votes_exceed_voters"] * 3
    assert problems[0].params == {"cast": 71, "voters": 70, "what": ITEMS[0]}
    assert problems[0].location.line == line_of(text, "votes:", 1)
    assert "表决票数合计 71 票，超过了参加表决的 70 人" in problems[0].message(Catalogue())


def test_year_end_votes_exceeding_the_voters_are_an_error(portal):
    text = cadre(votes=(60, 8, 2), ev_voters=69)  # 70 votes, 69 voters
    checked = run(portal, {"2026/chen": text})
    [problem] = mine(checked.problems.errors)
    assert (problem.key, problem.location.line) == ("evaluation_votes_exceed_voters", line_of(text, "  votes:"))


def test_as_many_votes_as_voters_is_fine(portal):
    checked = run(portal, {"2026/chen": cadre(item_votes=(50, 15, 5), votes=(60, 7, 2))})
    assert keys(checked.problems) == []


def test_item_votes_without_a_confirmation_meeting_are_an_error(portal):
    text = cadre().replace("confirmation:\n  held_on: 2026-02-26\n  meeting: 党员和村民代表大会\n  voters: 70\n", "")
    checked = run(portal, {"2026/chen": text})
    assert keys(checked.problems.errors) == ["evaluation_votes_without_meeting"] * 3


def test_an_unknown_fulfilment_word_is_an_error(portal):
    checked = run(portal, {"2026/chen": cadre(fulfilment="差不多")})
    assert keys(checked.problems.errors) == ["evaluation_unknown_status"] * 3


def test_one_record_per_cadre_and_year(portal):
    checked = run(portal, {"2026/chen": cadre(), "2026/chen-again": cadre()})
    assert keys(checked.problems.errors) == ["evaluation_duplicate_cadre"]


def test_the_evaluation_cannot_come_before_the_confirmation(portal):
    checked = run(portal, {"2026/chen": cadre().replace("held_on: 2026-11-18", "held_on: 2026-01-18")})
    assert keys(checked.problems.errors) == ["evaluation_before_confirmation"]


# -- confirmation: rejected items, at least N items -------------------------------------------

REJECTED = ("  - item: 水面承包期延长到15年\n    votes: {满意: 12, 基本满意: 16, 不满意: 36}\n")


def test_an_item_more_than_half_dissatisfied_is_rejected(portal):
    checked = run(portal, {"2026/chen": cadre(extra_items=REJECTED)})
    assert keys(checked.problems) == []  # rejected and dropped: the procedure worked
    items = record(checked, "陈立新").items(rules(checked))
    assert [item.rejected for item in items] == [False, False, False, True]
    checked = run(Portal(portal.root / "b"), {"2026/chen": cadre(extra_items=REJECTED.replace("36}", "35}"))})
    assert not any(item.rejected for item in record(checked, "陈立新").items(rules(checked)))  # 35 of 70: not more


def test_a_rejected_item_still_carried_out_is_a_finding(portal):
    text = cadre(extra_items=REJECTED + "    fulfilment: 已完成\n")
    checked = run(portal, {"2026/chen": text})
    [finding] = mine(checked.problems.findings)
    assert finding.key == "evaluation_rejected_item_pursued"
    assert finding.params["dissatisfied"] == 36 and finding.params["limit"] == 35
    assert finding.location.line == line_of(text, "fulfilment: 已完成", 4)


def test_fewer_than_three_confirmed_items_is_a_finding(portal):
    checked = run(portal, {"2026/chen": cadre(items=ITEMS[:2], extra_items=REJECTED)})
    [finding] = mine(checked.problems.findings)
    assert finding.key == "evaluation_too_few_commitments"
    assert (finding.params["count"], finding.params["minimum"]) == (2, 3)


def test_three_confirmed_items_are_enough_and_the_minimum_is_a_setting(portal):
    checked = run(portal, {"2026/chen": cadre()})
    assert "evaluation_too_few_commitments" not in keys(checked.problems)
    village = "name: 测试村\nrules:\n  evaluations:\n    min_commitments: 4\n"
    checked = run(Portal(portal.root / "b"), {"2026/chen": cadre()}, village=village)
    assert keys(checked.problems) == ["evaluation_too_few_commitments"]


# -- the secretary's and the director's items ---------------------------------------------------

def test_the_same_item_for_secretary_and_director_is_a_finding(portal):
    director = cadre("刘国平", "村委会主任", items=["完成渠道硬化", "完成 电排站机组更换。", "校舍每季度检查"])
    checked = run(portal, {"2026/chen": cadre(), "2026/liu": director})
    [finding] = mine(checked.problems.findings)
    assert finding.key == "evaluation_items_overlap"
    assert (finding.params["director"], finding.params["secretary"]) == ("刘国平", "陈立新")
    assert finding.location.path.endswith("liu.yml") and finding.location.line == line_of(director, "电排站")


def test_different_items_or_one_person_in_both_posts_are_fine(portal):
    director = cadre("刘国平", "村委会主任", items=["完成渠道硬化", "配合高标准农田", "校舍每季度检查"])
    checked = run(portal, {"2026/chen": cadre(), "2026/liu": director})
    assert "evaluation_items_overlap" not in keys(checked.problems)
    both = cadre("王大山", "党支部书记、村委会主任")
    checked = run(Portal(portal.root / "b"), {"2026/chen": cadre(), "2026/wang": both})
    assert "evaluation_items_overlap" not in keys(checked.problems)


def test_same_item_ignores_spaces_and_punctuation():
    assert same_item("完成 电排站机组更换。") == same_item("完成电排站机组更换")
    assert same_item("完成电排站机组更换") != same_item("完成电排站一台机组更换")


# -- unqualified, and the second year in a row ---------------------------------------------------

def test_more_than_half_dissatisfied_is_unqualified_and_unranked(portal):
    checked = run(portal, {"2026/chen": cadre(), "2026/xie": cadre("谢志勇", "村委委员", votes=(10, 20, 35))})
    # One unqualified year is a finding of its own (002: 视为不合格); no removal yet.
    assert keys(checked.problems) == ["evaluation_unqualified"]
    xie = record(checked, "谢志勇")
    assert xie.qualified(rules(checked)) is False
    result = standings([record(checked, "陈立新"), xie], rules(checked))
    assert [(s.record.cadre, s.rank, s.composite) for s in result][1] == ("谢志勇", None, None)


def test_exactly_half_dissatisfied_is_qualified(portal):
    checked = run(portal, {"2026/xie": cadre("谢志勇", "村委委员", votes=(10, 24, 34), ev_voters=68)})
    assert record(checked, "谢志勇").qualified(rules(checked)) is True


def test_a_second_unqualified_year_in_a_row_is_a_finding(portal):
    second = cadre("谢志勇", "村委委员", votes=(24, 31, 61), ev_voters=117, panel=None)
    checked = run(portal, {
        "2025/xie": cadre("谢志勇", "村委委员", year=2025, votes=(21, 34, 64), ev_voters=121, panel=None),
        "2026/xie": second})
    first, finding = sorted(mine(checked.problems.findings), key=lambda found: found.location.path)
    assert first.key == "evaluation_unqualified" and first.location.path.endswith("2025/evaluations/xie.yml")
    assert finding.key == "evaluation_unqualified_again"
    assert finding.location.path.endswith("2026/evaluations/xie.yml")
    assert finding.location.line == line_of(second, "  votes:")
    assert finding.params == {"cadre": "谢志勇", "years": 2, "dissatisfied": 61, "voters": 117, "share": "50%", "limit": 58}
    assert record(checked, "谢志勇", 2026).unqualified_years == 2
    assert record(checked, "谢志勇", 2025).unqualified_years == 1


def test_unqualified_years_apart_or_followed_by_a_good_year_are_not_flagged(portal):
    bad = {"votes": (10, 20, 40), "ev_voters": 70}
    checked = run(portal, {
        "2024/xie": cadre("谢志勇", "村委委员", year=2024, **bad),
        "2025/xie": cadre("谢志勇", "村委委员", year=2025),
        "2026/xie": cadre("谢志勇", "村委委员", year=2026, **bad)})
    assert "evaluation_unqualified_again" not in keys(checked.problems)
    checked = run(Portal(portal.root / "b"), {
        "2025/xie": cadre("谢志勇", "村委委员", year=2025, **bad),
        "2026/other": cadre("王大山", "村委委员", year=2026, **bad)})  # someone else
    assert "evaluation_unqualified_again" not in keys(checked.problems)


# -- settings: weights and vote points ---------------------------------------------------------

def test_the_weighting_is_a_setting(portal):
    records = {"2026/a": cadre("甲", "村委委员", votes=(60, 5, 3), panel="80"),   # votes strong, panel weak
               "2026/b": cadre("乙", "村委委员", votes=(40, 25, 3), panel="95")}  # the other way round
    checked = run(portal, records)
    assert [s.record.cadre for s in standings([record(checked, "甲"), record(checked, "乙")], rules(checked))] == ["乙", "甲"]
    village = "name: 测试村\nrules:\n  evaluations:\n    vote_weight: 0.8\n    panel_weight: 0.2\n"
    checked = run(Portal(portal.root / "b"), records, village=village)
    assert [s.record.cadre for s in standings([record(checked, "甲"), record(checked, "乙")], rules(checked))] == ["甲", "乙"]


def test_weights_must_add_up_to_one(portal):
    village = "name: 测试村\nrules:\n  evaluations:\n    vote_weight: 0.8\n    panel_weight: 0.8\n"
    checked = run(portal, {"2026/chen": cadre()}, village=village)
    assert "evaluation_weights_sum" in keys(checked.problems.errors)


# -- pages --------------------------------------------------------------------------------------

def test_the_pages_show_distribution_result_rank_and_the_flag(portal):
    checked = run(portal, {
        "2025/xie": cadre("谢志勇", "村委委员", year=2025, votes=(21, 34, 64), ev_voters=121, panel=None),
        "2026/xie": cadre("谢志勇", "村委委员", votes=(24, 31, 61), ev_voters=117, panel=None),
        "2026/chen": cadre(extra_items=REJECTED)})
    village_year = checked.villages[0].village_year(2026)
    records = [r for r in village_year.records if r.section == SECTION]
    view = KINDS[SECTION].section_view(records, village_year.context())
    assert [(s.record.cadre, s.rank, s.flagged) for s in view.standings] == [("陈立新", 1, False), ("谢志勇", None, True)]
    section = portal.page(SECTION)
    assert "连续两年不合格，应撤销职务、依法罢免" in section and "不合格" in section
    chen = portal.page(SECTION, "chen")
    assert "陈立新（党支部书记）2026年承诺践诺及考评情况" in chen
    assert "未通过" in chen and "第 1 名（共 1 人参加排名）" in chen
    xie = portal.page(SECTION, "xie")
    assert "52.1%" in xie and "取消到乡述职资格" in xie  # 61 of 117 不满意


# -- properties ---------------------------------------------------------------------------------

COUNT = st.integers(min_value=0, max_value=300)


@given(COUNT, st.integers(min_value=1, max_value=300))
def test_more_than_half_is_twice_the_count_over_the_voters(count, voters):
    assert more_than_share(count, voters, Decimal("0.5")) == (2 * count > voters)
    limit = allowed_votes(voters, Decimal("0.5"))
    assert not more_than_share(limit, voters, Decimal("0.5"))
    assert more_than_share(limit + 1, voters, Decimal("0.5"))


@given(COUNT, COUNT, COUNT, st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=10))
def test_scores_stay_between_their_parts(satisfied, fair, dissatisfied, panel, tenths):
    votes = Votes(satisfied=satisfied, fair=fair, dissatisfied=dissatisfied)
    points = (Decimal(100), Decimal(60), Decimal(0))
    score = democratic_score(votes, points)
    if votes.cast == 0:
        assert score is None
        return
    assert 0 <= score <= 100
    if fair == dissatisfied == 0:
        assert score == 100
    weight = Decimal(tenths) / 10
    composite = composite_score(score, Decimal(panel), weight, 1 - weight)
    assert min(score, panel) <= composite <= max(score, panel)


@settings(max_examples=30, deadline=None)
@given(COUNT, COUNT, COUNT, st.integers(min_value=1, max_value=400))
def test_through_the_pipeline_votes_and_voters(satisfied, fair, dissatisfied, voters):
    """More votes than voters is an error; otherwise the cadre is 不合格 exactly when 不满意 is
    more than half the voters, and a second such year is a finding."""
    year_end = {"votes": (satisfied, fair, dissatisfied), "ev_voters": voters}
    with tempfile.TemporaryDirectory() as folder:
        checked = run(Portal(Path(folder)), {"2025/a": cadre("甲", "村委委员", year=2025, **year_end),
                                                  "2026/a": cadre("甲", "村委委员", year=2026, **year_end)})
    errors = keys(checked.problems.errors)
    if satisfied + fair + dissatisfied > voters:
        assert errors == ["evaluation_votes_exceed_voters"] * 2
        return
    assert errors == []
    unqualified = 2 * dissatisfied > voters
    assert record(checked, "甲").qualified(rules(checked)) is (not unqualified)
    assert sorted(keys(checked.problems.findings)) == (
        ["evaluation_unqualified", "evaluation_unqualified_again"] if unqualified else [])


@pytest.mark.parametrize(("share", "dissatisfied", "rejected"), [("0.5", 35, False), ("0.5", 36, True),
                                                                 ("0.4", 29, True), ("0.4", 28, False)])
def test_the_rejection_share_is_a_setting(portal, share, dissatisfied, rejected):
    village = f"name: 测试村\nrules:\n  evaluations:\n    reject_share: {share}\n"
    extra = REJECTED.replace("36}", f"{dissatisfied}}}").replace("满意: 12, 基本满意: 16", "满意: 10, 基本满意: 10")
    checked = run(portal, {"2026/chen": cadre(extra_items=extra)}, village=village)
    assert record(checked, "陈立新").items(rules(checked))[3].rejected is rejected
