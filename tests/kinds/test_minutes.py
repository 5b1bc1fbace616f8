"""会议记录: the demo's representatives' meeting (河口, 路灯) and weekly meeting, each rule shown
by breaking one; the decisions taken link their records; villagers' text is audited."""

from __future__ import annotations

from datetime import date

from generator.inputs.problems import Severity
from tests.kinds._demo import copy_demo, demo_text, edit, line_of
from tests.kinds._demo import only as only_one

AS_OF = date(2026, 11, 25)
MINUTES = "2026/minutes/2026-11-19-representatives.yml"
TEXT = demo_text("hekou", MINUTES)
DECISION = "2026/decisions/2026-street-lights.yml"


def run(portal, text: str = TEXT, rules: str = ""):
    if rules:
        portal.rules("minutes", rules)
    copy_demo(portal, "hekou", MINUTES, DECISION, "2026/minutes/2026-11-23-weekly.yml", changed={MINUTES: text})
    return portal.check(AS_OF, frequency=True).problems


def ours(problems):
    return [p for p in problems if "/minutes/" in p.location.path]


def only(problems, key: str):
    return only_one(ours(problems), key)


def test_the_demo_minutes_pass_every_rule(portal):
    assert ours(run(portal)) == []
    copy_demo(portal, "liutang", "2026/minutes/2026-01-25-representatives.yml", "2026/minutes/2026-01-14-committees.yml",
              "2026/decisions/2026-road-funding.yml")
    assert ours(portal.check(AS_OF, frequency=True).problems) == []


def test_a_meeting_type_not_in_the_settings_is_an_error_listing_them(portal):
    problem = only(run(portal, edit(TEXT, "meeting: 村民代表会议", "meeting: 代表大会")), "minutes_unknown_meeting")
    assert problem.severity is Severity.ERROR and "周例会" in problem.params["allowed"]


def test_a_decision_taken_that_names_no_record_is_an_error_on_its_line(portal):
    text = edit(TEXT, "decision: 2026-street-lights", "decision: 2026-street-light")
    problem = only(run(portal, text), "minutes_decision_unknown")
    assert problem.severity is Severity.ERROR and problem.location.line == line_of(text, "2026-street-light")


def test_more_present_than_expected_is_an_error(portal):
    problem = only(run(portal, edit(TEXT, "present: 27", "present: 35")), "minutes_present_exceeds_expected")
    assert problem.severity is Severity.ERROR


def test_those_named_absent_must_make_up_the_difference(portal):
    problem = only(run(portal, edit(TEXT, "present: 27", "present: 28")), "minutes_absent_count")
    assert (problem.params["named"], problem.params["missing"]) == (6, 5)


def test_a_representatives_meeting_short_of_two_thirds_is_a_finding(portal):
    unnamed = TEXT[:TEXT.index("absent:")] + TEXT[TEXT.index("topics:"):]  # those absent not listed
    problem = only(run(portal, edit(unnamed, "present: 27", "present: 21")), "minutes_no_quorum")
    assert problem.severity is Severity.FINDING and problem.params["needed"] == 22
    assert ours(run(portal, edit(unnamed, "present: 27", "present: 22"))) == []


def test_minutes_posted_before_the_meeting_is_an_error(portal):
    problem = only(run(portal, edit(TEXT, "date: 2026-11-23", "date: 2026-11-18")), "minutes_posted_before_meeting")
    assert problem.severity is Severity.ERROR


def test_a_full_phone_number_in_a_topic_stops_the_build(portal):
    problems = run(portal, edit(TEXT, "  - 冬季森林防火和安全生产", "  - 冬季森林防火，联系罗建国 13807391234"))
    assert "personal_number" in [p.key for p in ours(problems) if p.severity is Severity.ERROR]


def test_the_page_names_those_absent_and_links_each_decision(portal):
    run(portal)
    page = portal.page("minutes", "2026-11-19-representatives", year=2026)
    assert "应到 33 人，实到 27 人" in page and "王春花（住院）" in page
    assert page.count('href="../../../2026/decisions/2026-street-lights/"') == 2
    section = portal.page("minutes", year=2026)
    assert "2026年11月19日村民代表会议记录" in section
