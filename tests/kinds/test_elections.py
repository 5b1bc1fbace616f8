"""换届选举 (elections): each notice against its legal deadline, counted from election day.

Records are built through the real pipeline (load → model → check) from files in tmp_path.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.inputs.problems import Location, Severity
from generator.inputs.readers import Document
from generator.domain.kinds.base import CheckContext, Source
from generator.inputs.messages import Catalogue
from generator.domain.kinds.elections import LATE, MISSING, Election
from generator.domain.settings import VillageSettings
from tests.kinds._one_kind import OneKind, edit

AS_OF = date(2026, 11, 25)
FAST = settings(max_examples=int(os.environ.get("VP_EXAMPLES", "200")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# Election day 2026-11-21; every notice in time: voter list 24 days before, final candidates
# 8 days before, results the same day.
ON_TIME = """\
election: 测试村2026年村民委员会换届选举
election_day: 2026-11-21
notices:
  committee:
    date: 2026-10-16
  schedule:
    date: 2026-10-20
  voter_list:
    date: 2026-10-28
  preliminary_candidates:
    date: 2026-11-08
  final_candidates:
    date: 2026-11-13
  results:
    date: 2026-11-21
    until: 2026-11-28
"""


KIND = OneKind("elections", AS_OF)
run, ours, keys, only = KIND.run, KIND.ours, KIND.keys, KIND.only


def without(text: str, notice: str) -> str:
    """The record without one of its notices (its key line and the lines under it)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line == f"  {notice}:\n")
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("    ")), len(lines))
    return "".join(lines[:start] + lines[end:])


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines()) if needle in line) + 1


# -- all in time --------------------------------------------------------------------------------

def test_an_election_whose_notices_were_all_in_time_has_no_problems(portal):
    checked = run(portal, {"2026/committee.yml": ON_TIME})
    assert keys(checked) == []
    record = checked.villages[0].records[0]
    # date and posted_until default to the latest notice.
    assert record.date == date(2026, 11, 21) and record.posted_until == date(2026, 11, 28)


# -- voter list: at least 20 days before ----------------------------------------------------------

def test_a_voter_list_posted_19_days_before_is_a_finding(portal):
    text = edit(ON_TIME, "date: 2026-10-28", "date: 2026-11-02")
    problem = only(run(portal, {"2026/e.yml": text}), "election_voter_list_late")
    assert problem.severity is Severity.FINDING
    assert problem.params == {"day": "2026-11-02", "deadline": "2026-11-01", "election_day": "2026-11-21",
                              "days": 20, "actual": 19, "late": 1}
    assert problem.location.line == line_of(text, "date: 2026-11-02")


def test_a_voter_list_posted_exactly_20_days_before_is_in_time(portal):
    text = edit(ON_TIME, "date: 2026-10-28", "date: 2026-11-01")
    assert keys(run(portal, {"2026/e.yml": text})) == []


# -- final candidates: at least 7 days before (a setting) ---------------------------------------

def test_final_candidates_posted_5_days_before_is_a_finding(portal):
    text = edit(ON_TIME, "date: 2026-11-13", "date: 2026-11-16")
    problem = only(run(portal, {"2026/e.yml": text}), "election_final_candidates_late")
    assert problem.severity is Severity.FINDING
    assert (problem.params["actual"], problem.params["days"], problem.params["late"]) == (5, 7, 2)


def test_final_candidates_5_days_before_are_in_time_where_the_province_says_5(portal):
    text = edit(ON_TIME, "date: 2026-11-13", "date: 2026-11-16")
    assert keys(run(portal, {"2026/e.yml": text}, rules="final_candidates_days_before: 5\n")) == []


def test_final_candidates_exactly_7_days_before_are_in_time(portal):
    text = edit(ON_TIME, "date: 2026-11-13", "date: 2026-11-14")
    assert keys(run(portal, {"2026/e.yml": text})) == []


# -- results: within 3 days after ---------------------------------------------------------------

def test_results_posted_4_days_after_is_a_finding(portal):
    text = edit(edit(ON_TIME, "date: 2026-11-21\n    until", "date: 2026-11-25\n    until"), "until: 2026-11-28", "until: 2026-12-02")
    problem = only(run(portal, {"2026/e.yml": text}), "election_results_late")
    assert (problem.params["actual"], problem.params["days"], problem.params["late"]) == (4, 3, 1)


def test_results_posted_3_days_after_are_in_time(portal):
    text = edit(ON_TIME, "date: 2026-11-21\n    until", "date: 2026-11-24\n    until")
    assert keys(run(portal, {"2026/e.yml": text})) == []


def test_results_dated_before_election_day_are_an_error(portal):
    text = edit(ON_TIME, "date: 2026-11-21\n    until", "date: 2026-11-20\n    until")
    problem = only(run(portal, {"2026/e.yml": text}), "election_results_before_vote")
    assert problem.severity is Severity.ERROR and problem.location.line == line_of(text, "date: 2026-11-20")


def test_final_candidates_before_the_preliminary_ones_are_an_error(portal):
    text = edit(ON_TIME, "date: 2026-11-08", "date: 2026-11-14")  # preliminary after final (11-13)
    assert keys(run(portal, {"2026/e.yml": text})) == ["election_final_before_preliminary"]


# -- notices not yet posted ---------------------------------------------------------------------

def test_notices_not_yet_due_are_pending_not_findings(portal):
    # As of 2026-10-30, election day 2026-11-21: final candidates due 11-14, results 11-24.
    text = without(without(without(ON_TIME, "results"), "final_candidates"), "preliminary_candidates")
    checked = run(portal, {"2026/e.yml": text}, as_of=date(2026, 10, 30))
    assert keys(checked) == []
    record = checked.villages[0].records[0]
    statuses = {s.key: s.status for s in record.statuses(Election.Rules(), date(2026, 10, 30))}
    assert statuses == {"committee": "posted", "schedule": "posted", "voter_list": "on_time",
                        "preliminary_candidates": "not_posted", "final_candidates": "pending", "results": "pending"}


def test_notices_overdue_are_findings(portal):
    text = without(without(ON_TIME, "results"), "voter_list")
    checked = run(portal, {"2026/e.yml": text}, as_of=date(2026, 11, 25))
    assert sorted(keys(checked, Severity.FINDING)) == ["election_results_missing", "election_voter_list_missing"]
    assert keys(checked, Severity.ERROR) == []


def test_an_election_without_notices_or_date_is_refused(portal):
    text = "election: 测试村2026年村民委员会换届选举\nelection_day: 2026-12-05\n"
    assert keys(run(portal, {"2026/e.yml": text})) == ["election_no_date"]
    assert keys(run(portal, {"2026/e.yml": text + "date: 2026-11-01\n"}, as_of=date(2026, 11, 2))) == []


def test_an_explicit_date_before_the_latest_notice_is_an_error(portal):
    assert keys(run(portal, {"2026/e.yml": "date: 2026-11-01\n" + ON_TIME})) == ["election_dated_before_notice"]


def test_an_election_belongs_to_the_year_of_its_election_day(portal):
    text = edit(ON_TIME, "election_day: 2026-11-21", "election_day: 2027-01-09")
    text = text.replace("date: 2026-11-21\n    until: 2026-11-28", "date: 2027-01-09\n    until: 2027-01-16")
    assert only(run(portal, {"2026/e.yml": text}), "wrong_year_folder").params == {"found": 2027, "folder": 2026}


# -- pages --------------------------------------------------------------------------------------

def test_the_record_page_shows_each_notice_its_deadline_and_whether_it_was_met(portal):
    text = edit(ON_TIME, "date: 2026-11-13", "date: 2026-11-16")
    run(portal, {"2026/e.yml": text})
    html = portal.page("elections", "e")
    for shown in ("选民名单", "2026年10月28日", "选举日前 24 天", "2026年11月1日", "✓ 按时公布",
                  "正式候选人名单", "2026年11月14日", "✗ 迟了 2 天", "选举日当天", "没有法定期限",
                  "选举日前 20 天以前公布", "选举日前 7 天以前公布", "选举日后 3 天以内公布"):
        assert shown in html, shown


def test_the_section_page_shows_each_deadline_as_met_missed_or_pending(portal):
    text = without(without(ON_TIME, "results"), "final_candidates")
    run(portal, {"2026/e.yml": text}, as_of=date(2026, 11, 10))
    html = portal.page("elections")
    assert "✓ 按时公布" in html and html.count("待公布") == 2 and "2026年11月14日" in html


# -- properties: a deadline is missed exactly when the notice came later than the setting allows ---

SETTINGS = VillageSettings(id="testv", name="测试村", township={"name": "石桥镇"}, as_of=date(2030, 1, 1))


@FAST
@given(election_day=st.dates(min_value=date(2000, 1, 1), max_value=date(2029, 1, 1)),
       voter=st.integers(-5, 60), final=st.integers(-5, 30), results=st.integers(-2, 10),
       voter_days=st.integers(0, 40), final_days=st.integers(0, 20), results_days=st.integers(0, 10))
def test_a_deadline_is_missed_exactly_when_the_notice_is_late(election_day, voter, final, results,
                                                               voter_days, final_days, results_days):
    """`voter`/`final`: days before election day the notice went up; `results`: days after."""
    data = {"election": "换届选举", "election_day": election_day.isoformat(), "notices": {
        "voter_list": {"date": (election_day - timedelta(days=voter)).isoformat()},
        "final_candidates": {"date": (election_day - timedelta(days=final)).isoformat()},
        "results": {"date": (election_day + timedelta(days=results)).isoformat()}}}
    record = Election.model_validate(data)
    document = Document(Location("content/testv/x/elections/e.yml", 1), data, {})
    record.placed(Source(document, "testv", record.belongs_to_year, "elections", "e"))
    rules = {"voter_list_days_before": voter_days, "final_candidates_days_before": final_days,
             "results_days_after": results_days}
    settings_ = SETTINGS.model_copy(update={"rules": SETTINGS.rules.model_copy(
        update={"elections": Election.Rules(**rules)})})
    context = CheckContext(settings_, [record])
    record.check(context)
    found = {problem.key for problem in context.problems}
    assert ("election_voter_list_late" in found) == (voter < voter_days)
    assert ("election_final_candidates_late" in found) == (final < final_days)
    assert ("election_results_late" in found) == (results > results_days)
    assert ("election_results_before_vote" in found) == (results < 0)


def test_every_finding_and_error_of_the_kind_has_words_for_the_clerk():
    catalogue = Catalogue()
    for key in (*LATE.values(), *MISSING.values(), "election_results_before_vote",
                "election_final_before_preliminary", "election_dated_before_notice", "election_no_date"):
        assert f"problem.{key}" in catalogue, key
    for key in ("committee", "schedule", "voter_list", "preliminary_candidates", "final_candidates", "results",
                "election", "election_day", "notices"):
        assert f"fields.{key}" in catalogue, key
