"""两委成员和村民代表 (issue 24): the demo's roster copied into the test village and broken once
for each rule — a representative outside 5–15 households (a setting), one without households, a
role not in the list, a person twice, a term backwards — each located at its cell; households as
a count or as names; phones masked on the page; the table as open data."""

from __future__ import annotations

from datetime import date

import pytest

from generator.inputs.problems import Severity
from tests.builder import Portal
from tests.conftest import ROOT

AS_OF = date(2026, 6, 1)
DEMO = ROOT / "content" / "hekou" / "2026" / "roster"


def demo(name: str) -> str:
    return (DEMO / name).read_text(encoding="utf-8")


def run(portal: Portal, table: str | None = None, text: str | None = None, village: str = ""):
    if village:
        portal.village("name: 测试村\n" + village)
    portal.files({"content/testv/2026/roster/2026-roster.yml": text or demo("2026-roster.yml"),
                  "content/testv/2026/roster/2026-roster.csv": table or demo("2026-roster.csv")})
    checked = portal.check(AS_OF)
    return checked, [p for p in checked.problems if "/roster/" in p.location.path]


def broken(old: str, new: str) -> str:
    table = demo("2026-roster.csv")
    assert old in table, old
    return table.replace(old, new, 1)


def test_the_demo_roster_passes_and_reads_counts_and_names(portal):
    checked, problems = run(portal)
    assert problems == []
    [record] = checked.villages[0].records
    rules = checked.villages[0].settings.rules.of("roster", AS_OF)
    representatives = record.representatives(rules)
    assert len(record.committee(rules)) == 4 and len(representatives) == 9
    assert representatives[0].household_count == 8 and representatives[0].household_names[:2] == ["肖绍华", "谭正华"]
    assert representatives[1].household_count == 12 and representatives[1].household_names == []


@pytest.mark.parametrize(("old", "new", "key", "severity", "column"), [
    ("陈思远,村民代表,河口二组,12", "陈思远,村民代表,河口二组,3", "representative_households", Severity.FINDING, "代表户数"),
    ("彭建军,村民代表,河口八组,15", "彭建军,村民代表,河口八组,16户", "representative_households", Severity.FINDING,
     "代表户数"),
    ("陈思远,村民代表,河口二组,12", "陈思远,村民代表,河口二组,", "roster_households_missing", Severity.FINDING, "代表户数"),
    ("周志强,村委委员", "周志强,村委会计", "roster_unknown_role", Severity.ERROR, "职务"),
    ("王桂兰,村民代表", "陈思远,村民代表", "roster_duplicate_person", Severity.ERROR, "姓名"),
])
def test_each_rule_broken_in_the_demo_roster_is_located_at_its_cell(portal, old, new, key, severity, column):
    _, problems = run(portal, broken(old, new))
    [problem] = problems
    assert (problem.key, problem.severity) == (key, severity)
    line = next(number for number, text in enumerate(demo("2026-roster.csv").splitlines(), 1) if text.startswith(old))
    assert problem.location.path.endswith("2026-roster.csv") and problem.location.line == line
    assert problem.location.column == column


def test_the_households_range_is_a_setting_and_its_finding_names_the_numbers(portal):
    _, problems = run(portal, village="rules:\n  roster:\n    households_min: 10\n")
    assert sorted((p.params["name"], p.params["households"]) for p in problems) == [("肖绍华", 8), ("何长顺", 9)][::-1]
    assert {(p.params["low"], p.params["high"]) for p in problems} == {(10, 15)}


def test_a_village_adds_its_own_role(portal):
    table = broken("周志强,村委委员", "周志强,村委委员、文书")
    assert [p.key for p in run(portal, table)[1]] == ["roster_unknown_role"]
    roles = "[书记, 党支部书记, 村委会主任, 支部委员, 妇女主任, 村委委员, 文书, 村民代表]"
    assert run(portal, table, village=f"rules:\n  roster:\n    roles: {roles}\n")[1] == []


def test_a_term_that_ends_before_it_starts_is_an_error(portal):
    text = demo("2026-roster.yml").replace("term_end: 2026-11-21", "term_end: 2020-11-21")
    [problem] = run(portal, text=text)[1]
    assert problem.key == "roster_term_backwards" and problem.severity is Severity.ERROR


def test_the_page_masks_phones_and_shows_each_representatives_households(portal):
    run(portal)
    page = portal.page("roster", "2026-roster")
    assert "13907391258" not in page and "139****1258" in page
    # The count a number of its own (open data), the household heads beside it where given.
    assert '<td data-label="户数" class="vp-num">8</td><td data-label="联系的农户（户主）">肖绍华、谭正华、' in page
    assert '<td data-label="户数" class="vp-num">12</td><td data-label="联系的农户（户主）"></td>' in page
    assert page.count('<table class="vp-table vp-roster">') == 2  # 两委, then the representatives
    assert "每名村民代表联系 5～15 户农户" in page
