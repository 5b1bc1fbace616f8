"""村务监督委员会: the committee's size, its chair, the members' trust votes, its reports; pages."""

from __future__ import annotations

from datetime import date

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Severity
from tests.builder import Portal

AS_OF = date(2026, 11, 25)

COMMITTEE = """\
title: 测试村村务监督委员会组成及2026年度工作情况
date: 2026-01-21
posted_until: 2026-01-28
issuer: 测试村村务监督委员会
term_start: 2021-04-12
term_end: 2026-11-21
committee_members:
  - name: 罗建华
    post: 主任
    trust_votes: 47
  - name: 刘桂芳
    post: 委员
    trust_votes: 41
  - name: 何长顺
    post: 委员
    trust_votes: 30
evaluation:
  held_on: 2026-01-16
  voters: 52
reports:
  - date: 2026-04-13
    covers_from: 2026-01-01
    covers_to: 2026-03-31
    title: 第一季度公开情况监督报告
    body: 第一季度检查党务公开3份、村务公开4份、财务公开3份，均按时公开。
"""

MEMBER = """\
  - name: {name}
    post: 委员
"""


def run(portal: Portal, text: str, population: int | None = 1200, rules: str = ""):
    portal.village("name: 测试村\n" + (f"population: {population}\n" if population is not None else "") + rules)
    portal.record(2026, "supervision", "committee.yml", text)
    return portal.check(AS_OF, frequency=True)


def mine(checked, severity: str | None = None) -> list:
    """The problems located in the committee's own file (not the disclosure-frequency ones)."""
    found = [p for p in checked.problems if p.location.path.endswith("committee.yml")]
    return [p for p in found if severity is None or p.severity == Severity(severity)]


def keys(checked, severity: str) -> list[str]:
    return [problem.key for problem in mine(checked, severity)]


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def with_members(text: str, count: int) -> str:
    """The committee with `count` members: the first three, then more without votes."""
    extra = "".join(MEMBER.format(name=f"成员{index}") for index in range(4, count + 1))
    return text.replace("evaluation:", extra + "evaluation:")


# -- a committee as the rules want it -------------------------------------------------------

def test_a_committee_of_three_in_a_small_village_is_clean(portal):
    checked = run(portal, COMMITTEE)
    assert mine(checked) == []
    [record] = checked.villages[0].records
    assert record.size == 3 and [report.covers_to for report in record.reports] == [date(2026, 3, 31)]


# -- size: 3 below 5,000 people, 5 from 5,000 ----------------------------------------------

def test_five_members_in_a_village_under_5000_is_a_finding(portal):
    checked = run(portal, with_members(COMMITTEE, 5))
    [finding] = mine(checked, "finding")
    assert finding.key == "supervision_size"
    assert finding.params["size"] == 5 and finding.params["required"] == 3
    assert finding.location.line == line_of(COMMITTEE, "committee_members:")


def test_three_members_in_a_village_of_5000_is_a_finding(portal):
    checked = run(portal, COMMITTEE, population=5000)
    [finding] = mine(checked, "finding")
    assert finding.key == "supervision_size" and finding.params["required"] == 5


def test_five_members_in_a_village_of_5000_is_clean(portal):
    checked = run(portal, with_members(COMMITTEE, 5), population=5000)
    assert mine(checked) == []


def test_without_a_population_the_size_is_not_judged(portal):
    checked = run(portal, with_members(COMMITTEE, 4), population=None)
    assert mine(checked) == []


def test_the_threshold_and_sizes_are_settings(portal):
    rules = "rules:\n  supervision:\n    population_threshold: 1000\n    size_from: 4\n"
    assert keys(run(portal, COMMITTEE, rules=rules), "finding") == ["supervision_size"]
    checked = run(portal, with_members(COMMITTEE, 4), rules=rules)
    assert mine(checked) == []


# -- one chair --------------------------------------------------------------------------------

def test_two_chairs_is_a_finding(portal):
    text = COMMITTEE.replace("name: 刘桂芳\n    post: 委员", "name: 刘桂芳\n    post: 主任")
    checked = run(portal, text)
    [finding] = mine(checked, "finding")
    assert finding.key == "supervision_chairs" and finding.params["chairs"] == 2


def test_no_chair_is_a_finding(portal):
    checked = run(portal, COMMITTEE.replace("post: 主任", "post: 副主任"))
    assert keys(checked, "finding") == ["supervision_chairs"]


def test_an_unknown_post_is_an_error(portal):
    checked = run(portal, COMMITTEE.replace("post: 主任", "post: 组长"))
    assert keys(checked, "error") == ["unknown_category"]


# -- trust votes ------------------------------------------------------------------------------

def test_a_member_with_under_half_trust_votes_is_a_finding_naming_the_member(portal):
    text = COMMITTEE.replace("trust_votes: 30", "trust_votes: 25")
    checked = run(portal, text)
    [finding] = mine(checked, "finding")
    assert finding.key == "supervision_trust_below_half"
    assert finding.params["name"] == "何长顺" and finding.params["votes"] == 25 and finding.params["needed"] == 26
    assert finding.location.line == line_of(text, "trust_votes: 25")
    assert "何长顺" in finding.message(Catalogue())


def test_exactly_half_the_trust_votes_keeps_the_seat(portal):
    checked = run(portal, COMMITTEE.replace("trust_votes: 30", "trust_votes: 26"))
    assert mine(checked) == []


def test_the_trust_share_is_a_setting(portal):
    rules = "rules:\n  supervision:\n    trust_share: 0.6\n"
    checked = run(portal, COMMITTEE, rules=rules)  # 30 of 52 is under 60%
    [finding] = mine(checked, "finding")
    assert finding.params["name"] == "何长顺" and finding.params["needed"] == 32


def test_more_trust_votes_than_voters_is_an_error(portal):
    text = COMMITTEE.replace("trust_votes: 47", "trust_votes: 53")
    checked = run(portal, text)
    [error] = mine(checked, "error")
    assert error.key == "supervision_trust_exceeds_voters"
    assert error.params == {"name": "罗建华", "votes": 53, "voters": 52}
    assert error.location.line == line_of(text, "trust_votes: 53")


def test_trust_votes_without_an_evaluation_are_an_error(portal):
    text = COMMITTEE.replace("evaluation:\n  held_on: 2026-01-16\n  voters: 52\n", "")
    checked = run(portal, text)
    assert keys(checked, "error") == ["supervision_trust_without_evaluation"]


def test_members_without_votes_are_not_judged(portal):
    text = "".join(line + "\n" for line in COMMITTEE.splitlines() if "trust_votes" not in line)
    checked = run(portal, text)
    assert mine(checked) == []


# -- reports ----------------------------------------------------------------------------------

def test_a_report_dated_before_the_end_of_its_period_is_an_error(portal):
    text = COMMITTEE.replace("  - date: 2026-04-13", "  - date: 2026-03-20")
    checked = run(portal, text)
    [error] = mine(checked, "error")
    assert error.key == "supervision_report_too_early"
    assert error.location.line == line_of(text, "date: 2026-03-20")


def test_a_report_period_ending_before_it_starts_is_an_error(portal):
    checked = run(portal, COMMITTEE.replace("covers_from: 2026-01-01", "covers_from: 2026-05-01"))
    assert keys(checked, "error") == ["supervision_period_backwards"]


def test_a_term_ending_before_it_starts_is_an_error(portal):
    checked = run(portal, COMMITTEE.replace("term_end: 2026-11-21", "term_end: 2020-01-01"))
    assert keys(checked, "error") == ["supervision_term_backwards"]


# -- pages ------------------------------------------------------------------------------------

def test_the_record_page_shows_members_votes_and_reports(portal):
    run(portal, COMMITTEE.replace("trust_votes: 30", "trust_votes: 20"))
    html = portal.page("supervision", "committee")
    assert "罗建华" in html and "47 / 52" in html and "20 / 52" in html
    assert "应终止任职" in html and "第一季度公开情况监督报告" in html
    assert "2026年1月1日 至 2026年3月31日" in html
    assert "何长顺 在年度测评中得到信任票 20 票" in html  # the finding, shown on the record


def test_the_section_page_shows_the_committee_and_the_rule(portal):
    run(portal, COMMITTEE)
    html = portal.page("supervision")
    assert "本村人口 1200 人，按规定应设 3 人，现有 3 人。" in html
    assert "刘桂芳" in html and "共 1 份" in html
