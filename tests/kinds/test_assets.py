"""集体资产台账: rows that name real contracts, unique codes, leased assets under a contract,
and the totals the section page shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.builder import Portal

AS_OF = date(2026, 11, 25)

LEDGER = """\
title: 测试村集体资产台账（2026年）
date: 2026-10-20
posted_until: 2026-10-27
issuer: 测试村村民委员会
as_of: 2026-09-30
"""

HEADER = "编号,名称,类别,坐落位置,面积或数量,单位,原值(元),使用状态,使用人,合同编号,年收益(元)\n"
ROWS = [
    "A-01,村部,建筑物,一组,460,平方米,680000.00,自用,村集体,,",
    "A-02,旧校舍,建筑物,二组,1240,平方米,420000.00,出租,手袋加工坊,school-lease,38688.00",
    "A-03,大塘,水面,六组,38,亩,,承包,养殖合作社,ponds,22040.00",
    "A-04,后山林地,林地,九组,140,亩,,自用,村集体,,",
]

CONTRACT = """\
title: {title}
date: {year}-02-20
posted_until: {year}-02-27
contract_type: 合同
party_a: 测试村村民委员会
party_b: 承租方
subject: 出租
steps:
  drafted: {year}-02-10
  township_review: {year}-02-15
  signed: {year}-03-01
"""


def contract(year: int, title: str) -> str:
    return CONTRACT.format(year=year, title=title)


def files(rows: list[str], ledger: str = LEDGER) -> dict[str, str]:
    return {
        "content/testv/2026/assets/ledger.yml": ledger,
        "content/testv/2026/assets/ledger.csv": HEADER + "\n".join(rows) + "\n",
        # A lease signed the year before, and this year's pond contract.
        "content/testv/2025/contracts/school-lease.yml": contract(2025, "旧校舍租赁合同公示"),
        "content/testv/2026/contracts/ponds.yml": contract(2026, "大塘承包合同公示"),
    }


def run(portal: Portal, rows: list[str], ledger: str = LEDGER):
    portal.files(files(rows, ledger))
    return portal.check(AS_OF, frequency=True)


def problems(checked, severity: str | None = None) -> list:
    """What the rules found in this kind's files (not, e.g., the village's disclosure calendar)."""
    found = checked.problems.sorted()
    return [problem for problem in found if "/assets/" in problem.location.path
            and (severity is None or problem.severity == severity)]


def ledger_of(checked):
    return next(record for record in checked.villages[0].records if record.section == "assets")


# -- a ledger done right -------------------------------------------------------------------

def test_a_ledger_whose_contracts_exist_is_clean(portal):
    checked = run(portal, ROWS)
    assert problems(checked) == []
    ledger = ledger_of(checked)
    assert ledger.belongs_to_year == 2026
    # The lease is a 2025 record: the ledger knows its year, for the link.
    assert ledger.contract_of(ledger.assets[1]).year == 2025
    assert ledger.contract_of(ledger.assets[2]).title == "大塘承包合同公示"


# -- errors --------------------------------------------------------------------------------

def test_a_contract_id_no_record_has_is_an_error_on_its_cell(portal):
    rows = ROWS[:2] + [ROWS[2].replace(",ponds,", ",pond-2026,")] + ROWS[3:]
    checked = run(portal, rows)
    [error] = problems(checked, "error")
    assert error.key == "asset_unknown_contract"
    assert error.location.path.endswith("ledger.csv")
    assert error.location.line == 4 and error.location.column == "合同编号"
    assert "school-lease" in error.params["known"] and "ponds" in error.params["known"]


def test_a_duplicate_code_is_an_error(portal):
    rows = ROWS + ["A-02,旧粮仓,建筑物,二组,180,平方米,36000.00,闲置,,,"]
    checked = run(portal, rows)
    [error] = problems(checked, "error")
    assert error.key == "asset_duplicate_code" and error.location.line == 6
    assert error.params["first"] == 3


def test_a_class_or_status_off_the_list_is_an_error(portal):
    rows = ROWS + ["A-05,光伏电站,发电设施,村部,60,千瓦,240000.00,经营,村集体,,"]
    checked = run(portal, rows)
    assert sorted(p.key for p in problems(checked, "error")) == ["asset_unknown_class", "asset_unknown_status"]


def test_the_classes_and_statuses_are_settings(portal):
    portal.village("name: 测试村\nrules:\n  assets:\n    asset_classes: [建筑物, 水面, 林地, 发电设施]\n"
                   "    usage_statuses: [自用, 出租, 承包, 经营]\n")
    rows = ROWS + ["A-05,光伏电站,发电设施,村部,60,千瓦,240000.00,经营,村集体,,"]
    checked = run(portal, rows)
    assert problems(checked) == []


def test_a_size_that_is_not_a_number_is_an_error(portal):
    rows = ROWS[:3] + [ROWS[3].replace(",140,", ",约140,")]
    checked = run(portal, rows)
    [error] = problems(checked, "error")
    assert error.key == "asset_bad_quantity" and error.location.column == "面积或数量"


# -- findings ------------------------------------------------------------------------------

def test_an_asset_let_out_without_a_contract_is_a_finding(portal):
    rows = ROWS + ["A-05,机动地,土地,三组,12.6,亩,,承包,新增人口户,,"]
    checked = run(portal, rows)
    assert not problems(checked, "error")
    [finding] = problems(checked, "finding")
    assert finding.key == "asset_without_contract"
    assert finding.location.line == 6 and finding.location.column == "合同编号"
    assert finding.params["status"] == "承包"


def test_assets_in_own_use_or_idle_need_no_contract(portal):
    rows = ROWS + ["A-05,旧粮仓,建筑物,二组,180,平方米,36000.00,闲置,,,"]
    checked = run(portal, rows)
    assert problems(checked) == []


def test_which_statuses_need_a_contract_is_a_setting(portal):
    portal.village("name: 测试村\nrules:\n  assets:\n    contracted_statuses: [出租]\n")
    rows = ROWS + ["A-05,机动地,土地,三组,12.6,亩,,承包,新增人口户,,"]
    checked = run(portal, rows)
    assert problems(checked) == []


# -- the section page ----------------------------------------------------------------------

def test_totals_by_class_and_by_status(portal):
    checked = run(portal, ROWS)
    ledger = ledger_of(checked)
    by_class = {t.label: (t.count, t.original_value, t.annual_income) for t in ledger.totals_by("category")}
    assert by_class == {"建筑物": (2, Decimal("1100000.00"), Decimal("38688.00")),
                        "水面": (1, Decimal("0.00"), Decimal("22040.00")),
                        "林地": (1, Decimal("0.00"), Decimal("0.00"))}
    by_status = {t.label: t.count for t in ledger.totals_by("status")}
    assert by_status == {"自用": 2, "出租": 1, "承包": 1}
    assert ledger.total.annual_income == Decimal("60728.00")
    assert [row.code for row in ledger.let_out] == ["A-02", "A-03"]


def test_pages_link_each_leased_asset_to_its_contract_in_its_year(portal):
    run(portal, ROWS)
    record = portal.page("assets", "ledger")
    assert 'href="../../../2025/contracts/school-lease/"' in record
    assert 'href="../../../2026/contracts/ponds/"' in record
    section = portal.page("assets")
    assert 'href="../../2025/contracts/school-lease/"' in section
    assert "旧校舍租赁合同公示" in section and "¥60,728.00" in section
