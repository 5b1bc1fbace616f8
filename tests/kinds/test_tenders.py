"""招投标 / 比选结果: the demo's 比选 of 河口's channel works (won above the lowest price, with
its reason) and of 柳塘's road (won at the lowest), each rule shown by breaking one; the page
links the contract."""

from __future__ import annotations

from datetime import date

from generator.inputs.problems import Severity
from tests.kinds._demo import copy_demo, demo_text, edit, line_of, only

AS_OF = date(2026, 11, 25)
TENDER = "2026/tenders/2026-channel-hardening.yml"
TEXT = demo_text("hekou", TENDER)
CONTRACT = "2026/contracts/2026-channel-hardening.yml"
DECISION = "2025/decisions/2025-channel-hardening.yml"


def run(portal, text: str = TEXT, rules: str = "", contract: str | None = None):
    if rules:
        portal.rules("tenders", rules)
    copy_demo(portal, "hekou", TENDER, CONTRACT, DECISION,
              changed={TENDER: text} | ({CONTRACT: contract} if contract else {}))
    checked = portal.check(AS_OF, frequency=True)
    return [p for p in checked.problems if "/tenders/" in p.location.path]


def test_the_demo_tenders_pass_every_rule(portal):
    assert run(portal) == []
    copy_demo(portal, "liutang", "2026/tenders/2026-road-phase2.yml", "2026/contracts/2026-road-phase2.yml",
              "2026/decisions/2026-road-funding.yml")
    checked = portal.check(AS_OF, frequency=True)
    assert [p.key for p in checked.problems if "/tenders/" in p.location.path] == []


def test_a_winner_who_did_not_bid_is_an_error_naming_the_bidders(portal):
    text = edit(TEXT, "winner: 湘禾建设工程公司", "winner: 湘禾建设公司")
    problem = only(run(portal, text), "tender_winner_not_a_bidder")
    assert problem.severity is Severity.ERROR and problem.location.line == line_of(text, "winner:")
    assert "湘禾建设工程公司" in problem.params["bidders"]


def test_a_winner_above_the_lowest_price_without_a_reason_is_a_finding(portal):
    text = "\n".join(line for line in TEXT.splitlines() if not line.startswith("winner_reason:")) + "\n"
    problem = only(run(portal, text), "tender_winner_not_lowest")
    assert problem.severity is Severity.FINDING
    assert (str(problem.params["price"]), str(problem.params["lowest"])) == ("103400.00", "101800.00")
    assert problem.params["cheapest"] == "石桥镇永兴建筑队"


def test_a_contract_that_does_not_exist_is_an_error(portal):
    text = edit(TEXT, "contract: 2026-channel-hardening", "contract: 2026-channel")
    problem = only(run(portal, text), "tender_contract_unknown")
    assert problem.severity is Severity.ERROR and problem.location.line == line_of(text, "contract:")


def test_a_contract_for_another_amount_than_the_winning_price_is_a_finding(portal):
    contract = edit(demo_text("hekou", CONTRACT), "amount: 103400", "amount: 108400")
    problem = only(run(portal, contract=contract), "tender_contract_amount_differs")
    assert (str(problem.params["amount"]), str(problem.params["price"])) == ("108400.00", "103400.00")


def test_a_contract_signed_before_the_result_was_posted_long_enough_is_a_finding(portal):
    contract = edit(demo_text("hekou", CONTRACT), "signed: 2026-03-20", "signed: 2026-01-20")
    problem = only(run(portal, contract=contract), "tender_contract_signed_during_posting")
    assert (problem.params["signed"], problem.params["until"]) == ("2026-01-20", "2026-01-22")


def test_a_method_the_township_does_not_allow_is_an_error_listing_those_it_does(portal):
    problem = only(run(portal, edit(TEXT, "method: 比选", "method: 抓阄")), "tender_unknown_method")
    assert problem.severity is Severity.ERROR and "公开招标" in problem.params["allowed"]
    assert run(portal, edit(TEXT, "method: 比选", "method: 抓阄"), rules="methods: [比选, 抓阄]\n") == []


def test_fewer_bidders_than_the_setting_is_a_finding(portal):
    problem = only(run(portal, rules="min_bidders: 4\n"), "tender_too_few_bidders")
    assert (problem.params["count"], problem.params["minimum"]) == (3, 4)


def test_a_result_posted_before_the_bids_were_opened_is_an_error(portal):
    problem = only(run(portal, edit(TEXT, "opened: 2026-01-12", "opened: 2026-01-16")), "tender_posted_before_opening")
    assert problem.severity is Severity.ERROR


def test_a_posting_shorter_than_the_setting_is_a_finding(portal):
    problem = only(run(portal, edit(TEXT, "posted_until: 2026-01-22", "posted_until: 2026-01-16")), "posting_too_short")
    assert (problem.params["days"], problem.params["minimum"]) == (2, 3)


def test_the_page_shows_every_bid_the_winner_and_links_the_contract(portal):
    run(portal)
    page = portal.page("tenders", "2026-channel-hardening", year=2026)
    assert 'href="../../../2026/contracts/2026-channel-hardening/"' in page
    assert "合同金额 ¥103,400.00" in page
    assert ">未中选（报价最低）</td>" in page and ">中选</td>" in page
    assert page.index("¥101,800.00") < page.index("¥103,400.00</td>") < page.index("¥106,900.00")
    assert "综合得分最高" in page
