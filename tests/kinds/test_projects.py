"""一事一议: the demo's channel project (河口) and road project (柳塘), each rule shown by breaking
one of them: the decision, the 凭证号 tied to the ledgers, the villagers' levy ceilings, the
budget and the acceptance; the page links the decision and the ledgers."""

from __future__ import annotations

from datetime import date

import pytest

from generator.inputs.problems import Severity
from tests.kinds._demo import copy_demo, demo_text, edit, line_of, only

AS_OF = date(2026, 11, 25)
PROJECT = "2026/projects/2026-channel-hardening.yml"
TEXT = demo_text("hekou", PROJECT)
LEDGERS = [f"2026/finance/2026-0{month}.{ext}" for month in (3, 4, 5) for ext in ("yml", "csv")]
DECISION = "2025/decisions/2025-channel-hardening.yml"


def run(portal, text: str = TEXT, rules: str = "", decision: str | None = None):
    if rules:
        portal.rules("projects", rules)
    copy_demo(portal, "hekou", PROJECT, DECISION, *LEDGERS,
              changed={PROJECT: text} | ({DECISION: decision} if decision else {}))
    checked = portal.check(AS_OF, frequency=True)
    return [p for p in checked.problems if "/projects/" in p.location.path]


def test_the_demo_projects_pass_every_rule(portal):
    assert run(portal) == []


def test_the_road_project_of_liutang_passes_too(portal):
    copy_demo(portal, "liutang", "2026/projects/2026-road-phase2.yml", "2026/decisions/2026-road-funding.yml",
              *[f"2026/finance/2026-{month:02d}.{ext}" for month in (3, 4, 5, 6, 7, 10) for ext in ("yml", "csv")])
    checked = portal.check(AS_OF, frequency=True)
    assert [p.key for p in checked.problems if "/projects/" in p.location.path] == []


# -- the decision ------------------------------------------------------------------------------

def test_a_decision_that_does_not_exist_is_an_error_on_its_line(portal):
    text = edit(TEXT, "decision: 2025-channel-hardening", "decision: 2025-channel")
    problem = only(run(portal, text), "project_decision_unknown")
    assert problem.severity is Severity.ERROR and problem.location.line == line_of(text, "decision:")
    assert problem.params["decision"] == "2025-channel"


def test_a_project_without_a_decision_is_a_finding(portal):
    problem = only(run(portal, edit(TEXT, "decision: 2025-channel-hardening\n", "")), "project_without_decision")
    assert problem.severity is Severity.FINDING


def test_a_decision_short_of_its_quorum_is_not_one_to_build_on(portal):
    decision = edit(demo_text("hekou", DECISION), "present: 30", "present: 20")
    problem = only(run(portal, decision=decision), "project_decision_not_passed")
    assert problem.severity is Severity.FINDING and "渠道硬化" in problem.params["matter"]


def test_work_started_before_the_resolution_is_a_finding(portal):
    text = edit(TEXT, "started: 2026-03-25", "started: 2025-12-15")
    problem = only(run(portal, text), "project_started_before_decision")
    assert problem.params["resolved"] == "2025-12-20" and problem.location.line == line_of(text, "started:")


# -- the money tied to the ledgers ------------------------------------------------------------

def test_a_voucher_missing_from_that_months_ledger_is_an_error(portal):
    text = edit(TEXT, "voucher: 记-010", "voucher: 记-019")
    problem = only(run(portal, text), "project_voucher_unknown")
    assert problem.severity is Severity.ERROR and problem.params["ledger"] == "2026-04"
    assert problem.location.line == line_of(text, "记-019")


def test_a_voucher_of_another_month_is_not_found_in_this_one(portal):
    # 记-010 is April's line (the progress payment); May's ledger has none such.
    text = edit(TEXT, "voucher: 记-003", "voucher: 记-010")
    assert only(run(portal, text), "project_voucher_unknown").params["ledger"] == "2026-05"


def test_an_amount_that_differs_from_the_ledger_names_both_figures(portal):
    text = edit(TEXT, "amount: 31020", "amount: 31200")
    problem = only(run(portal, text), "project_voucher_amount_differs")
    assert problem.severity is Severity.ERROR
    assert (str(problem.params["amount"]), str(problem.params["figure"])) == ("31200.00", "31020.00")
    assert problem.location.line == line_of(text, "amount: 31200")


def test_spending_tied_to_an_income_line_is_an_error(portal):
    text = edit(TEXT, "voucher: 记-008", "voucher: 记-006")  # 记-006: the subsidy received
    problem = only(run(portal, text), "project_voucher_wrong_side")
    assert str(problem.params["figure"]) == "80000.00"


def test_a_voucher_in_a_month_with_no_ledger_yet_is_a_finding(portal):
    text = edit(TEXT, "paid: 2026-05-12", "paid: 2026-06-12")
    problem = only(run(portal, text), "project_voucher_no_ledger")
    assert problem.severity is Severity.FINDING and problem.params["day"] == "2026-06-12"


def test_a_voucher_without_the_day_the_money_came_is_an_error(portal):
    text = edit(TEXT, "    received: 2026-03-20\n", "")
    problem = only(run(portal, text), "project_voucher_without_date")
    assert problem.severity is Severity.ERROR


def test_an_unknown_source_of_money_is_an_error_listing_the_sources(portal):
    problem = only(run(portal, edit(TEXT, "source: 村集体自筹", "source: 集体")), "project_unknown_fund_source")
    assert "村民筹资" in problem.params["allowed"]


# -- the villagers' levy ------------------------------------------------------------------------

LEVY = "funds:\n  - source: 村民筹资\n    payer: 三至五组村民\n    amount: 12000\n    received: 2026-03-25\n    persons: {persons}\n    households: 150\n"


@pytest.mark.parametrize(("persons", "rules", "key"), [
    (400, "", "project_levy_over_person_ceiling"),  # 30 yuan a person, the ceiling 20
    (800, "levy_per_household: 50\n", "project_levy_over_household_ceiling"),  # 80 a household
])
def test_a_levy_above_its_ceiling_is_a_finding(portal, persons, rules, key):
    problem = only(run(portal, edit(TEXT, "funds:\n", LEVY.format(persons=persons)), rules), key)
    assert problem.severity is Severity.FINDING and str(problem.params["ceiling"]) in ("20", "50")


def test_levies_of_two_projects_in_one_year_add_up_to_the_ceiling(portal):
    # 15 yuan a person here and 15 in another project of the same year: 30, above 20.
    other = edit(edit(TEXT, "funds:\n", LEVY.format(persons=800)), "name: 河口三至五组灌溉渠道硬化", "name: 河口七组机耕道")
    portal.write("content/testv/2026/projects/farm-road.yml", other)
    problem = only(run(portal, edit(TEXT, "funds:\n", LEVY.format(persons=800))), "project_levy_year_over_ceiling")
    assert (str(problem.params["total"]), problem.params["year"]) == ("30.00", 2026)
    assert problem.params["projects"] == "河口七组机耕道、河口三至五组灌溉渠道硬化"


def test_a_levy_within_a_ceiling_the_township_raised_passes(portal):
    assert run(portal, edit(TEXT, "funds:\n", LEVY.format(persons=400)), "levy_per_person: 30\n") == []


def test_a_levy_without_the_number_of_persons_is_a_finding(portal):
    text = edit(TEXT, "funds:\n", LEVY.format(persons=400).replace("    persons: 400\n", ""))
    assert only(run(portal, text), "project_levy_persons_missing").severity is Severity.FINDING


# -- budget and acceptance ----------------------------------------------------------------------

def test_spending_over_the_budget_is_a_finding(portal):
    problem = only(run(portal, edit(TEXT, "budget: 105000", "budget: 90000")), "project_over_budget")
    assert str(problem.params["over"]) == "8230.00"


def test_an_acceptance_before_work_started_is_an_error(portal):
    text = edit(TEXT, "accepted_on: 2026-05-12", "accepted_on: 2026-03-12")
    problem = only(run(portal, text), "project_accepted_before_start")
    assert problem.severity is Severity.ERROR and problem.location.line == line_of(text, "accepted_on:")


# -- the page ---------------------------------------------------------------------------------

def test_the_page_links_the_decision_and_each_voucher_to_its_ledger(portal):
    run(portal)
    page = portal.page("projects", "2026-channel-hardening", year=2026)
    assert 'href="../../../2025/decisions/2025-channel-hardening/"' in page
    assert '../../../2026/finance/2026-03/">记-006</a>' in page
    assert '../../../2026/finance/2026-04/">记-010</a>' in page
    assert "验收结论：<strong>合格</strong>" in page
    section = portal.page("projects", year=2026)
    assert "验收合格" in section and "¥98,230.00" in section
