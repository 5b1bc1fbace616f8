"""四议两公开 (decisions): the six steps in order, meetings' quorum and majority, postings.

Records are built through the real pipeline (load → model → check) from files in tmp_path;
the vote arithmetic is also checked for any counts with hypothesis.
"""

from __future__ import annotations

import os
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Location, Severity
from generator.inputs.readers import Document
from generator.domain.kinds.base import CheckContext, Source
from generator.domain.kinds.decisions import Decision
from generator.domain.kinds.steps import chinese_numeral, judge, parse_share, share_text
from generator.domain.settings import VillageSettings
from tests.kinds._one_kind import OneKind, edit

AS_OF = date(2026, 11, 25)
FAST = settings(max_examples=int(os.environ.get("VP_EXAMPLES", "200")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# A matter that went through all six steps by the book.
COMPLETE = """\
matter: 大塘集体水面发包方案
category: 集体土地和水面发包
steps:
  proposed:
    date: 2025-01-20
  discussed:
    date: 2025-01-24
  reviewed:
    date: 2025-02-12
    members: 46
    present: 35
    agree: 33
    against: 0
    abstain: 2
  resolved:
    date: 2025-02-16
    members: 33
    present: 28
    agree: 26
    against: 0
    abstain: 2
  resolution_posted:
    date: 2025-02-20
    until: 2025-02-27
  outcome_posted:
    date: 2025-03-06
    until: 2025-03-13
"""


KIND = OneKind("decisions", AS_OF)
run, ours, keys, only = KIND.run, KIND.ours, KIND.keys, KIND.only


def line_of(text: str, needle: str, after: str = "") -> int:
    """The 1-based line of `needle`, searching from the line containing `after`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and needle in line) + 1


# -- a complete, proper matter ---------------------------------------------------------------

def test_a_matter_decided_by_the_book_has_no_problems(portal):
    checked = run(portal, {"2025/fishpond.yml": COMPLETE})
    assert keys(checked) == []
    record = checked.villages[0].records[0]
    # date and posted_until default to the latest step: the outcome's posting.
    assert record.date == date(2025, 3, 6) and record.posted_until == date(2025, 3, 13)
    assert record.stage() == "done"


def test_a_matter_in_progress_is_not_a_problem(portal):
    text = COMPLETE.split("  reviewed:")[0]
    checked = run(portal, {"2025/fishpond.yml": text})
    assert keys(checked) == []
    record = checked.villages[0].records[0]
    assert record.stage() == "discussed" and record.date == date(2025, 1, 24)


# -- steps in order (ERROR) ------------------------------------------------------------------

def test_a_step_dated_before_the_one_it_follows_is_an_error(portal):
    text = edit(COMPLETE, "date: 2025-02-16", "date: 2025-02-10")  # resolved before reviewed (02-12)
    problem = only(run(portal, {"2025/fishpond.yml": text}), "decision_step_out_of_order")
    assert problem.severity is Severity.ERROR
    assert problem.params["number"] == 4 and problem.params["previous_number"] == 3
    assert problem.location.line == line_of(text, "date: 2025-02-10")


def test_steps_on_the_same_day_are_in_order(portal):
    text = edit(COMPLETE, "date: 2025-01-24", "date: 2025-01-20")
    assert keys(run(portal, {"2025/fishpond.yml": text})) == []


def test_an_outcome_posted_for_a_matter_never_resolved_is_an_error(portal):
    text = COMPLETE.split("  resolved:")[0] + "  outcome_posted:\n    date: 2025-03-06\n    until: 2025-03-13\n"
    checked = run(portal, {"2025/fishpond.yml": text})
    problem = only(checked, "decision_posted_unresolved")
    assert problem.severity is Severity.ERROR and problem.params["field"] == "outcome_posted"
    assert problem.location.line == line_of(text, "outcome_posted:")


def test_a_resolution_posted_without_a_resolution_is_an_error(portal):
    text = COMPLETE.split("  resolved:")[0] + "  resolution_posted:\n    date: 2025-02-20\n    until: 2025-02-27\n"
    assert keys(run(portal, {"2025/fishpond.yml": text}), Severity.ERROR) == ["decision_posted_unresolved"]


def test_a_skipped_step_is_a_finding(portal):
    text = COMPLETE.replace("  discussed:\n    date: 2025-01-24\n", "")
    problem = only(run(portal, {"2025/fishpond.yml": text}), "decision_step_skipped")
    assert problem.severity is Severity.FINDING and problem.params["field"] == "discussed"


def test_an_outcome_without_the_resolution_posted_is_a_skipped_step(portal):
    text = COMPLETE.replace("  resolution_posted:\n    date: 2025-02-20\n    until: 2025-02-27\n", "")
    problem = only(run(portal, {"2025/fishpond.yml": text}), "decision_step_skipped")
    assert problem.params["field"] == "resolution_posted"


def test_an_explicit_date_before_the_latest_step_is_an_error(portal):
    text = "date: 2025-03-01\n" + COMPLETE
    assert keys(run(portal, {"2025/fishpond.yml": text})) == ["decision_dated_before_step"]
    assert keys(run(portal, {"2025/fishpond.yml": "date: 2025-03-06\n" + COMPLETE})) == []


# -- meetings: impossible counts (ERROR) ------------------------------------------------------

def test_more_present_than_members_is_an_error(portal):
    text = edit(COMPLETE, "present: 28", "present: 34")
    checked = run(portal, {"2025/fishpond.yml": text})
    problem = only(checked, "decision_present_exceeds_members")
    assert problem.severity is Severity.ERROR
    assert problem.location.line == line_of(text, "present: 34")
    # Nothing is judged from impossible numbers: no quorum or majority finding besides.
    assert keys(checked) == ["decision_present_exceeds_members"]


def test_more_votes_than_present_is_an_error(portal):
    text = edit(COMPLETE, "agree: 26", "agree: 27")  # 27 + 0 + 2 = 29 > 28 present
    problem = only(run(portal, {"2025/fishpond.yml": text}), "decision_votes_exceed_present")
    assert problem.params == {"total": 29, "agree": 27, "against": 0, "abstain": 2, "present": 28}


def test_votes_in_the_party_review_are_checked_too(portal):
    text = edit(COMPLETE, "agree: 33", "agree: 40")  # 42 votes, 35 present
    assert keys(run(portal, {"2025/fishpond.yml": text})) == ["decision_votes_exceed_present"]


def test_a_resolution_without_its_vote_is_refused(portal):
    text = edit(COMPLETE, "    agree: 26\n", "")
    problem = only(run(portal, {"2025/fishpond.yml": text}), "field_missing")
    assert problem.params["field"] == "agree"


# -- meetings: quorum and majority (FINDING) ---------------------------------------------------

def test_representatives_short_of_two_thirds_is_a_finding(portal):
    text = edit(edit(COMPLETE, "present: 28", "present: 21"), "agree: 26", "agree: 19")
    problem = only(run(portal, {"2025/fishpond.yml": text}), "decision_quorum")
    assert problem.severity is Severity.FINDING
    assert problem.params == {"members": 33, "present": 21, "needed": 22, "share": "2/3"}
    assert problem.location.line == line_of(text, "present: 21")


def test_exactly_two_thirds_of_the_representatives_is_a_quorum(portal):
    text = edit(edit(COMPLETE, "present: 28", "present: 22"), "agree: 26", "agree: 20")
    assert keys(run(portal, {"2025/fishpond.yml": text})) == []


def test_party_members_short_of_two_thirds_is_a_finding(portal):
    text = edit(edit(COMPLETE, "present: 35", "present: 30"), "agree: 33", "agree: 28")
    problem = only(run(portal, {"2025/fishpond.yml": text}), "decision_party_quorum")
    assert problem.severity is Severity.FINDING and problem.params["needed"] == 31


def test_a_resolution_without_more_than_half_for_is_a_finding(portal):
    # 14 of 28 present: exactly half is not "more than half".
    text = edit(edit(COMPLETE, "agree: 26", "agree: 14"), "against: 0\n    abstain: 2\n  resolution", "against: 10\n    abstain: 4\n  resolution")
    problem = only(run(portal, {"2025/fishpond.yml": text}), "decision_majority")
    assert problem.severity is Severity.FINDING
    assert problem.params == {"present": 28, "agree": 14, "needed": 15, "share": "1/2"}


def test_a_resolution_with_one_more_than_half_passes(portal):
    text = edit(edit(COMPLETE, "agree: 26", "agree: 15"), "against: 0\n    abstain: 2\n  resolution", "against: 9\n    abstain: 4\n  resolution")
    assert keys(run(portal, {"2025/fishpond.yml": text})) == []


# -- settings --------------------------------------------------------------------------------

def test_a_township_can_set_the_shares_as_a_clerk_writes_them(portal):
    text = edit(edit(COMPLETE, "present: 28", "present: 26"), "agree: 26", "agree: 24")  # 26/33 = 78.8%
    assert keys(run(portal, {"2025/fishpond.yml": text})) == []
    stricter = run(portal, {"2025/fishpond.yml": text}, rules="representatives_quorum: 五分之四\n")
    assert only(stricter, "decision_quorum").params == {"members": 33, "present": 26, "needed": 27, "share": "4/5"}


def test_a_share_that_cannot_be_read_is_an_error_in_the_settings(portal):
    checked = run(portal, {"2025/fishpond.yml": COMPLETE}, rules="party_quorum: 2/0\n")
    problem = only(checked, "decision_bad_share")
    assert problem.location.path.endswith("_defaults.yml")


@pytest.mark.parametrize("written, share", [
    ("2/3", Fraction(2, 3)), ("２／３", Fraction(2, 3)), ("三分之二", Fraction(2, 3)), ("二分之一", Fraction(1, 2)),
    ("0.6667", Fraction(6667, 10000)), ("66.67%", Fraction(6667, 10000)), ("百分之六十", Fraction(3, 5)),
    ("十分之七", Fraction(7, 10)), (1, Fraction(1)),
])
def test_shares_read_the_way_clerks_write_them(written, share):
    assert parse_share(written) == share


@pytest.mark.parametrize("written", ["", "abc", "0", "3/2", "-1/2", "1/0", "150%", "一二分之一", True])
def test_impossible_shares_are_refused(written):
    with pytest.raises(Exception) as raised:
        parse_share(written)
    assert getattr(raised.value, "type", None) == "vp_decision_bad_share"


def test_the_posting_period_of_each_posting_is_checked(portal):
    short_resolution = edit(COMPLETE, "until: 2025-02-27", "until: 2025-02-23")  # 4 days
    problem = only(run(portal, {"2025/fishpond.yml": short_resolution}), "posting_too_short")
    assert problem.severity is Severity.FINDING and problem.params == {"days": 4, "minimum": 7}
    assert problem.location.line == line_of(short_resolution, "until: 2025-02-23")
    short_outcome = edit(COMPLETE, "until: 2025-03-13", "until: 2025-03-08")  # the record's own period
    problem = only(run(portal, {"2025/fishpond.yml": short_outcome}), "posting_too_short")
    assert problem.location.line == line_of(short_outcome, "until: 2025-03-08")


# -- which year ------------------------------------------------------------------------------

def test_a_matter_stays_in_the_year_it_was_proposed(portal):
    spanning = edit(COMPLETE, "date: 2025-03-06\n    until: 2025-03-13", "date: 2026-05-15\n    until: 2026-05-22")
    assert keys(run(portal, {"2025/channel.yml": spanning})) == []
    problem = only(run(portal, {"2026/channel.yml": spanning}), "wrong_year_folder")
    assert problem.params == {"found": 2025, "folder": 2026}


# -- section view and pages ----------------------------------------------------------------

def test_the_section_view_shows_each_matter_s_stage_and_procedure(portal):
    short = edit(COMPLETE, "present: 28", "present: 20").replace("agree: 26", "agree: 18")
    in_progress = COMPLETE.split("  resolution_posted:")[0]
    checked = run(portal, {"2025/a.yml": COMPLETE, "2025/b.yml": short, "2025/c.yml": in_progress})
    records = sorted(checked.villages[0].records, key=lambda r: r.id)
    view = Decision.section_view(records, CheckContext(checked.villages[0].settings, records))
    assert [(row.record.id, row.stage, row.followed) for row in view.rows] == [
        ("a", "done", True), ("b", "done", False), ("c", "resolved", True)]
    assert view.stages == [("resolved", 1), ("done", 2)] and view.not_followed == 1


def test_the_record_page_shows_the_timeline_with_attendance_votes_and_verdicts(portal):
    short = edit(COMPLETE, "present: 28", "present: 20").replace("agree: 26", "agree: 18")
    run(portal, {"2025/fishpond.yml": short})
    html = portal.page("decisions", "fishpond")
    for text in ("村民代表会议决议", "应到 33 人，实到 20 人", "到会人数不足应到人数的三分之二（至少要 22 人）",
                 "同意 18 票，反对 0 票，弃权 2 票", "同意票超过到会人数的二分之一（至少 11 票），但到会人数不足，这次表决不算有效",
                 "应到 46 人，实到 35 人", "到会人数达到应到人数的三分之二（至少 31 人）",
                 "公示 2025年2月20日 至 2025年2月27日（8天）", "实施结果已公开，已办结",
                 "不足应到人数的 2/3（至少要 22 人到会）"):  # the finding, shown on the page
        assert text in html, text
    assert "✗" in html and "✓" in html
    # With a quorum, the same vote passes.
    run(portal, {"2025/fishpond.yml": COMPLETE})
    proper = portal.page("decisions", "fishpond")
    assert "同意票超过到会人数的二分之一（至少 15 票），决议通过" in proper


def test_a_step_not_reached_is_worded(portal):
    run(portal, {"2025/fishpond.yml": COMPLETE.split("  reviewed:")[0]})
    html = portal.page("decisions", "fishpond")
    assert html.count("还没有到这一步") == 4 and "已商议，待党员大会审议" in html


def test_the_section_page_lists_each_matter_with_its_stage(portal):
    short = edit(COMPLETE, "present: 28", "present: 20").replace("agree: 26", "agree: 18")
    in_progress = COMPLETE.split("  resolution_posted:")[0]
    run(portal, {"2025/a.yml": COMPLETE, "2025/b.yml": short, "2025/c.yml": in_progress})
    html = portal.page("decisions")
    assert "已决议，待公开 1 项" in html and "实施结果已公开，已办结 2 项" in html
    assert "其中 1 项" in html and html.count("符合规定") >= 2


def test_every_finding_and_error_of_the_kind_has_words_for_the_clerk():
    catalogue = Catalogue()
    for key in ("decision_bad_share", "decision_posted_unresolved", "decision_step_skipped",
                "decision_step_out_of_order", "decision_dated_before_step", "decision_present_exceeds_members",
                "decision_votes_exceed_present", "decision_no_members", "decision_quorum", "decision_party_quorum",
                "decision_majority"):
        assert f"problem.{key}" in catalogue, key
    for stage in ("proposed", "discussed", "reviewed", "resolved", "resolution_posted", "done"):
        assert f"records.decisions.stage.{stage}" in catalogue


def test_shares_are_worded_for_villagers():
    catalogue = Catalogue()
    assert share_text(Fraction(2, 3), catalogue) == "三分之二"
    assert share_text(Fraction(1, 2), catalogue) == "二分之一"
    assert share_text(Fraction(6667, 10000), catalogue) == "66.67%"
    assert [chinese_numeral(n) for n in (3, 10, 12, 20, 45)] == ["三", "十", "十二", "二十", "四十五"]


# -- properties: the vote arithmetic for any counts ---------------------------------------------

COUNT = st.integers(min_value=-3, max_value=400)
SHARE = st.fractions(min_value=Fraction(1, 12), max_value=1, max_denominator=12)


@FAST
@given(members=COUNT, present=COUNT, agree=COUNT, against=COUNT, abstain=COUNT, quorum=SHARE, majority=SHARE)
@example(members=33, present=22, agree=12, against=0, abstain=0, quorum=Fraction(2, 3), majority=Fraction(1, 2))
@example(members=33, present=21, agree=21, against=0, abstain=0, quorum=Fraction(2, 3), majority=Fraction(1, 2))
@example(members=0, present=0, agree=0, against=0, abstain=0, quorum=Fraction(2, 3), majority=Fraction(1, 2))
def test_verdicts_match_the_definitions_for_any_counts(members, present, agree, against, abstain, quorum, majority):
    verdict = judge(members, present, agree, against, abstain, quorum, majority)
    impossible = (min(members, present, agree, against, abstain) < 0 or members == 0 or present > members
                  or agree + against + abstain > present)
    assert bool(verdict.impossible) == impossible
    if impossible:
        assert verdict.quorum_met is None and verdict.majority_met is None and verdict.passed is None
        return
    # Quorum: at least `quorum` of the members present; majority: more than `majority` of those present.
    assert verdict.quorum_met == (Fraction(present, members) >= quorum)
    assert verdict.majority_met == (present > 0 and Fraction(agree, present) > majority)
    # The fewest that would have made it, consistent with the verdicts.
    assert verdict.quorum_met == (present >= verdict.needed_present)
    assert verdict.needed_present - 1 < quorum * members <= verdict.needed_present
    assert verdict.majority_met == (agree >= verdict.needed_agree)
    assert verdict.needed_agree - 1 <= majority * present < verdict.needed_agree


SETTINGS = VillageSettings(id="testv", name="测试村", township={"name": "石桥镇"}, as_of=AS_OF)


def _checked_in_memory(meeting: dict) -> list[tuple[str, Severity]]:
    data = {"matter": "事项", "steps": {"proposed": {"date": "2025-01-02"}, "discussed": {"date": "2025-01-03"},
                                        "reviewed": {"date": "2025-01-04", "members": 10, "present": 10},
                                        "resolved": {"date": "2025-01-05", **meeting}}}
    record = Decision.model_validate(data)
    document = Document(Location("content/testv/2025/decisions/x.yml", 1), data, {})
    record.placed(Source(document, "testv", 2025, "decisions", "x"))
    context = CheckContext(SETTINGS, [record])
    record.check(context)
    Decision.check_all([record], context)
    return [(problem.key, problem.severity) for problem in context.problems]


@FAST
@given(members=st.integers(0, 300), present=st.integers(0, 300), agree=st.integers(0, 300),
       against=st.integers(0, 300), abstain=st.integers(0, 300))
def test_impossible_counts_are_always_errors_never_crashes(members, present, agree, against, abstain):
    found = _checked_in_memory({"members": members, "present": present, "agree": agree,
                                "against": against, "abstain": abstain})
    errors = {key for key, severity in found if severity is Severity.ERROR}
    findings = {key for key, severity in found if severity is Severity.FINDING}
    assert ("decision_present_exceeds_members" in errors) == (present > members)
    assert ("decision_votes_exceed_present" in errors) == (agree + against + abstain > present)
    assert ("decision_no_members" in errors) == (members == 0)
    if errors:
        assert not findings  # nothing is judged from impossible numbers
    else:
        assert ("decision_quorum" in findings) == (3 * present < 2 * members)
        assert ("decision_majority" in findings) == (2 * agree <= present)
