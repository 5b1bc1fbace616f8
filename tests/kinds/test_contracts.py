"""契约公示: the steps in order, the posting period before signing, and the pages' stages."""

from __future__ import annotations

from datetime import date

from tests.builder import Portal

AS_OF = date(2026, 11, 25)

CONTRACT = """\
title: 牛角塘集体水面承包合同公示
date: 2026-11-20
posted_until: 2026-11-30
issuer: 测试村村民委员会
contract_type: 合同
party_a: 测试村村民委员会
party_b: 罗冬生
subject: 牛角塘水面承包养鱼
amount: 4420
amount_note: 每年承包费
decision: pond-lease
term_start: 2027-01-01
term_end: 2031-12-31
steps:
  drafted: 2026-11-03
  township_review: 2026-11-17
"""


def signed(text: str, day: str, performed: str | None = None) -> str:
    text += f"  signed: {day}\n"
    if performed:
        text += f"  performed: {performed}\n"
    return text


# The decision (四议两公开) the contract names: resolved by the representatives in October.
DECISION = """\
matter: 牛角塘集体水面发包
steps:
  proposed: {date: 2026-10-08, members: 5, present: 5, agree: 5}
  discussed: {date: 2026-10-10, members: 7, present: 7, agree: 7}
  reviewed: {date: 2026-10-15, members: 40, present: 32, agree: 30, abstain: 2}
  resolved: {date: 2026-10-20, members: 30, present: 25, agree: 24, abstain: 1}
  resolution_posted: {date: 2026-10-21, until: 2026-10-27}
"""


def run(portal: Portal, text: str, name: str = "pond", as_of: date = AS_OF):
    portal.record(2026, "decisions", "pond-lease.yml", DECISION)
    portal.record(2026, "contracts", f"{name}.yml", text)
    return portal.check(as_of, frequency=True)


def problems(checked, severity: str | None = None) -> list:
    """What the rules found in this kind's files (not, e.g., the village's disclosure calendar)."""
    found = checked.problems.sorted()
    return [problem for problem in found if "/contracts/" in problem.location.path
            and (severity is None or problem.severity == severity)]


def line_of(text: str, key: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.strip().startswith(key + ":"))


def keys(checked, severity: str) -> list[str]:
    return [problem.key for problem in problems(checked, severity)]


# -- a contract done right: nothing to say ------------------------------------------------

def test_a_contract_in_its_posting_period_is_clean(portal):
    checked = run(portal, CONTRACT)
    assert problems(checked) == []


def test_a_contract_signed_after_its_posting_period_is_clean(portal):
    checked = run(portal, signed(CONTRACT, "2026-12-01", performed="2026-12-20"), as_of=date(2026, 12, 31))
    assert problems(checked) == []


# -- errors: steps out of order --------------------------------------------------------------

def test_a_step_dated_before_the_one_it_follows_is_an_error(portal):
    text = CONTRACT.replace("township_review: 2026-11-17", "township_review: 2026-11-01")
    checked = run(portal, text)
    [error] = problems(checked, "error")
    assert error.key == "contract_step_out_of_order"
    assert error.location.path.endswith("pond.yml") and error.location.line == line_of(text, "township_review")
    assert error.params["previous_day"] == "2026-11-03"


def test_posting_before_the_township_review_is_an_error_on_the_date(portal):
    text = CONTRACT.replace("township_review: 2026-11-17", "township_review: 2026-11-21")
    checked = run(portal, text)
    [error] = problems(checked, "error")
    assert error.key == "contract_step_out_of_order" and error.location.line == line_of(text, "date")


def test_signed_before_the_posting_began_is_an_error(portal):
    checked = run(portal, signed(CONTRACT, "2026-11-18"))
    assert "contract_step_out_of_order" in keys(checked, "error")


def test_performed_before_signed_is_an_error(portal):
    checked = run(portal, signed(CONTRACT, "2026-12-01", performed="2026-11-30"), as_of=date(2026, 12, 31))
    assert keys(checked, "error") == ["contract_step_out_of_order"]


def test_signed_without_a_posting_period_is_an_error(portal):
    text = signed(CONTRACT.replace("posted_until: 2026-11-30\n", ""), "2026-12-01")
    checked = run(portal, text, as_of=date(2026, 12, 31))
    [error] = problems(checked, "error")
    assert error.key == "contract_signed_unposted" and error.location.line == line_of(text, "signed")


def test_performed_without_being_signed_is_an_error(portal):
    text = CONTRACT + "  performed: 2026-12-20\n"
    checked = run(portal, text, as_of=date(2026, 12, 31))
    assert keys(checked, "error") == ["contract_performed_unsigned"]


def test_a_contract_type_other_than_hetong_or_xieyi_is_an_error(portal):
    text = CONTRACT.replace("contract_type: 合同", "contract_type: 契约")
    checked = run(portal, text)
    [error] = problems(checked, "error")
    assert error.key == "contract_unknown_type" and error.location.line == line_of(text, "contract_type")


def test_a_term_ending_before_it_starts_is_an_error(portal):
    checked = run(portal, CONTRACT.replace("term_end: 2031-12-31", "term_end: 2026-12-31"))
    assert keys(checked, "error") == ["contract_term_backwards"]


# -- findings: the posting period before signing ------------------------------------------

def test_signing_before_seven_days_of_posting_is_a_finding(portal):
    text = signed(CONTRACT, "2026-11-24")
    checked = run(portal, text)
    assert not problems(checked, "error")
    [finding] = problems(checked, "finding")
    assert finding.key == "contract_signed_during_posting"
    assert finding.params["days"] == 4 and finding.params["minimum"] == 7
    assert finding.location.line == line_of(text, "signed")


def test_signing_during_the_posting_period_after_seven_days_is_quiet(portal):
    checked = run(portal, signed(CONTRACT, "2026-11-27"), as_of=date(2026, 12, 31))
    assert problems(checked) == []


def test_a_posting_period_announced_too_short_is_one_finding(portal):
    text = signed(CONTRACT.replace("posted_until: 2026-11-30", "posted_until: 2026-11-24"), "2026-11-24")
    checked = run(portal, text)
    assert keys(checked, "finding") == ["posting_too_short"]  # not also "signed during posting"


def test_the_minimum_posting_days_is_a_setting(portal):
    portal.village("name: 测试村\nrules:\n  contracts:\n    posting_days: 3\n")
    checked = run(portal, signed(CONTRACT, "2026-11-24"))
    assert problems(checked) == []


def test_no_township_review_is_a_finding(portal):
    checked = run(portal, CONTRACT.replace("  township_review: 2026-11-17\n", ""))
    assert not problems(checked, "error")
    assert keys(checked, "finding") == ["contract_no_township_review"]


# -- where a contract stands ---------------------------------------------------------------

def test_stage_and_timeline_follow_the_day(portal):
    record = run(portal, signed(CONTRACT, "2026-12-01")).villages[0].records[0]
    assert record.stage(date(2026, 11, 25)) == "posting"
    assert record.stage(date(2026, 11, 30)) == "posting"
    assert record.stage(date(2026, 12, 1)) == "performing"
    steps = {step.key: step for step in record.timeline(date(2026, 11, 25))}
    assert [step.key for step in record.timeline(AS_OF)] == ["drafted", "township_review", "posted", "signed", "performed"]
    assert steps["drafted"].status == "done" and steps["posted"].status == "current"
    assert steps["posted"].days_left == 5
    assert steps["signed"].status == "pending" and steps["performed"].status == "pending"
    after = {step.key: step.status for step in record.timeline(date(2026, 12, 5))}
    assert after == {"drafted": "done", "township_review": "done", "posted": "done", "signed": "done",
                     "performed": "current"}


def test_pages_show_the_steps_and_days_left(portal):
    checked = run(portal, CONTRACT)
    page = portal.page("contracts", "pond")
    assert "公示中，还剩 5 天" in page
    assert "报乡镇审核" in page and "2026年11月17日" in page
    assert page.count("还没有到这一步") == 2  # signed, performed
    section = portal.page("contracts")
    assert 'href="pond/"' in section and "还剩 5 天" in section
    # The home page's "正在公示" lists it like any notice in its posting period.
    assert [record.id for record in checked.villages[0].village_year(2026).posted_now()] == ["pond"]


# -- the decision it needs (000: 契约涉及的内容必须由村两委班子和村民代表议事会议讨论通过) ----------

def test_a_contract_above_the_threshold_without_a_decision_is_a_finding(portal):
    checked = run(portal, CONTRACT.replace("decision: pond-lease\n", ""))
    assert keys(checked, "finding") == ["contract_without_decision"]
    portal.rules("contracts", "decision_above: 5000")
    assert keys(run(portal, CONTRACT.replace("decision: pond-lease\n", "")), "finding") == []


def test_a_contract_signed_before_its_decision_or_on_one_not_passed_is_a_finding(portal):
    early = signed(CONTRACT.replace("date: 2026-11-20\nposted_until: 2026-11-30", "date: 2026-10-01\nposted_until: 2026-10-07")
                   .replace("drafted: 2026-11-03\n  township_review: 2026-11-17", "drafted: 2026-09-20\n  township_review: 2026-09-25"),
                   "2026-10-12")
    assert keys(run(portal, early), "finding") == ["contract_signed_before_decision"]
    portal.record(2026, "decisions", "pond-lease.yml", DECISION.replace("present: 25, agree: 24", "present: 15, agree: 14"))
    portal.record(2026, "contracts", "pond.yml", CONTRACT)
    assert "contract_decision_not_passed" in keys(portal.check(AS_OF, frequency=True), "finding")


def test_a_contract_naming_no_such_decision_is_an_error(portal):
    checked = run(portal, CONTRACT.replace("decision: pond-lease", "decision: no-such"))
    assert keys(checked, "error") == ["contract_decision_unknown"]


def test_the_page_links_the_decision_it_names_by_its_matter(portal):
    run(portal, CONTRACT)
    page = portal.page("contracts", "pond")
    assert '依据的决策</dt><dd><a href="../../../2026/decisions/pond-lease/">牛角塘集体水面发包</a>' in page
    # One naming no such decision shows the id the clerk wrote, unlinked.
    run(portal, CONTRACT.replace("decision: pond-lease", "decision: no-such"))
    assert "依据的决策</dt><dd>no-such</dd>" in portal.page("contracts", "pond")
