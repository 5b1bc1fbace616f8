"""红黑榜: entries read and masked, black entries that need an end date and leave the pages when it
is past, the points' sign, and the yearly coverage of households against the target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator.inputs.messages import Catalogue
from generator.domain.kinds import KINDS
from generator.domain.kinds.red_black import RedBlackList, household_key, mask_name
from generator.domain.settings import Rules
from tests.builder import Portal

AS_OF = date(2026, 11, 25)
SECTION = "red-black"

POSTING = """\
title: 测试村2026年上半年红黑榜
date: {date}
posted_until: {until}
issuer: 测试村村民委员会
covers: 2026年1月—6月
"""

HEADER = "户主姓名,组别,红/黑榜,事由,村规民约条款,积分,有效期至\n"
RED = "王大山,一组,红,房前屋后“三包”评比优秀,第二条（环境卫生）,10,"
BLACK = "张三明,二组,黑,往河渠倾倒垃圾,第二条（环境卫生）,-10,2026-12-31"


def posting(day: str = "2026-07-20", until: str = "2026-08-02") -> str:
    return POSTING.format(date=day, until=until)


def run(portal: Portal, rows: list[str], *, extra: dict[str, str] | None = None, village: str | None = None,
        yml: str | None = None):
    portal.files({"content/testv/2026/red-black/2026-h1.yml": yml or posting(),
                  "content/testv/2026/red-black/2026-h1.csv": HEADER + "\n".join(rows) + "\n"} | (extra or {}))
    if village is not None:
        portal.village(village)
    return portal.check(AS_OF, frequency=True)


def mine(problems) -> list:
    """The problems about this kind's files (other kinds' rules, e.g. how often finances are
    disclosed, also look at the test village)."""
    return [problem for problem in problems if f"/{SECTION}/" in problem.location.path]


def keys(problems) -> list[str]:
    return [problem.key for problem in mine(problems)]


def postings(checked) -> list[RedBlackList]:
    return sorted((r for r in checked.villages[0].records if r.section == SECTION), key=lambda r: (r.date, r.id))


def households(count: int, group: str = "三组", start: int = 0) -> list[str]:
    """`count` different red-list households (names made of two distinct characters)."""
    given = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
    rows = []
    for index in range(start, start + count):
        name = "李" + given[index // len(given) % len(given)] + given[index % len(given)]
        rows.append(f"{name},{group}{index // 400},红,门前“三包”达标,第二条（环境卫生）,5,")
    return rows


# -- reading and masking -------------------------------------------------------------------

def test_a_posting_done_right_is_clean(portal):
    checked = run(portal, [RED, BLACK, "李四,三组,红榜,婚事新办,第一条（移风易俗）,+20,"] +
                  households(177, start=10))
    assert keys(checked.problems) == []
    [record] = postings(checked)
    assert [entry.board for entry in record.entries[:3]] == ["红", "黑", "红"]
    assert record.entries[2].points == 20
    assert record.red_count == 179 and record.black_count == 1


def test_a_black_entry_is_masked_as_it_is_read(portal):
    checked = run(portal, [RED, BLACK])
    [record] = postings(checked)
    red, black = record.entries
    assert red.household == "王大山"  # commendations keep the full name
    assert black.household == "张*明"
    texts = [text for _, _, text in record.texts()]
    assert "张三明" not in " ".join(texts)
    assert "张三明" not in record.model_dump_json()
    page = portal.page(SECTION, "2026-h1")
    assert "张*明" in page and "张三明" not in page


@pytest.mark.parametrize(("name", "masked"), [("张三明", "张*明"), ("张明", "张*"), ("欧阳小明", "欧**明"), ("张", "张")])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(("setting", "shown"), [("mask", "张*明"), ("hide", ""), ("show", "张三明")])
def test_the_black_names_setting_decides_what_the_model_keeps(setting, shown):
    """The model reads the setting from the validation context (`rules`, as the model stage would
    pass it); without one, names are masked."""
    rules = Rules.model_validate({"red-black": {"black_names": setting}})
    data = {"title": "t", "date": "2026-07-20", "entries": [
        {"household": "张三明", "group": "二组", "board": "黑", "cause": "c", "clause": "k", "valid_until": "2026-12-31"}]}
    record = RedBlackList.model_validate(data, context={"rules": rules})
    assert record.entries[0].household == shown
    assert RedBlackList.model_validate(data).entries[0].household == "张*明"


def test_two_households_masked_alike_are_still_two(portal):
    rows = ["张小明,二组,黑,焚烧秸秆,第二条（环境卫生）,-10,2026-12-31",
            "张大明,二组,黑,焚烧秸秆,第二条（环境卫生）,-10,2026-12-31"]
    checked = run(portal, rows)
    [record] = postings(checked)
    assert [entry.household for entry in record.entries] == ["张*明", "张*明"]
    assert len({entry.key for entry in record.entries}) == 2
    assert record.entries[0].key == household_key("二组", "张小明")


# -- errors --------------------------------------------------------------------------------

def test_a_black_entry_needs_an_end_date(portal):
    checked = run(portal, [RED, "张三明,二组,黑,往河渠倾倒垃圾,第二条（环境卫生）,-10,"])
    [problem] = mine(checked.problems.errors)
    assert problem.key == "redblack_black_needs_until"
    assert problem.location.path.endswith("2026-h1.csv") and problem.location.line == 3


def test_a_red_entry_needs_no_end_date(portal):
    checked = run(portal, [RED])
    assert "redblack_black_needs_until" not in keys(checked.problems)


def test_red_or_black_only(portal):
    checked = run(portal, [RED, "张三明,二组,灰,往河渠倾倒垃圾,第二条（环境卫生）,-10,2026-12-31"])
    [problem] = mine(checked.problems.errors)
    assert problem.key == "redblack_bad_board"
    assert (problem.location.line, problem.location.column) == (3, "红/黑榜")
    assert problem.params["value"] == "灰"


def test_an_end_date_before_the_posting_is_an_error(portal):
    checked = run(portal, [RED, BLACK.replace("2026-12-31", "2026-07-01")])
    [problem] = mine(checked.problems.errors)
    assert problem.key == "redblack_until_before_posting"
    assert (problem.location.line, problem.location.column) == (3, "有效期至")
    assert problem.params == {"until": "2026-07-01", "posted": "2026-07-20"}


def test_an_end_date_after_the_posting_is_fine(portal):
    checked = run(portal, [RED, BLACK])
    assert "redblack_until_before_posting" not in keys(checked.problems)


def test_black_points_are_deductions_and_red_points_rewards(portal):
    checked = run(portal, [RED.replace(",10,", ",-10,"), BLACK.replace(",-10,", ",10,")])
    assert sorted(keys(checked.problems.errors)) == ["redblack_black_points_positive", "redblack_red_points_negative"]
    assert {p.location.column for p in mine(checked.problems.errors)} == {"积分"}


def test_points_of_the_right_sign_or_none_are_fine(portal):
    checked = run(portal, [RED, BLACK, "李四,三组,黑,操办升学宴,第一条（移风易俗）,,2026-12-31"])
    assert mine(checked.problems.errors) == []


# -- coverage ------------------------------------------------------------------------------

def test_coverage_under_the_target_is_a_finding(portal):
    checked = run(portal, households(10))  # testv: 300 households, target 60% = 180
    [finding] = mine(checked.problems.findings)
    assert finding.key == "redblack_coverage_under_target"
    assert finding.params["reached"] == 10 and finding.params["households"] == 300
    assert finding.params["share"] == "3.3%" and finding.params["target"] == "60%"
    assert finding.params["needed"] == 170 and finding.params["day"] == "2026-11-25"
    assert (finding.location.path.endswith("2026-h1.yml"), finding.location.line) == (True, 2)
    assert "低于全年覆盖 60% 以上农户的要求" in finding.message(Catalogue())


def test_coverage_at_the_target_is_quiet(portal):
    checked = run(portal, households(180))
    assert "redblack_coverage_under_target" not in keys(checked.problems)
    checked = run(Portal(portal.root / "b"), households(179))
    assert "redblack_coverage_under_target" in keys(checked.problems)


def test_a_household_on_two_lists_counts_once(portal):
    second = {"content/testv/2026/red-black/2026-h2.yml": posting("2026-11-20", "2026-11-30"),
              "content/testv/2026/red-black/2026-h2.csv": HEADER + "\n".join(households(100) + households(80, start=100)) + "\n"}
    checked = run(portal, households(100), extra=second)
    # 180 distinct households over two postings: the target is met
    assert "redblack_coverage_under_target" not in keys(checked.problems)
    second["content/testv/2026/red-black/2026-h2.csv"] = HEADER + "\n".join(households(179)) + "\n"
    checked = run(Portal(portal.root / "b"), households(100), extra=second)
    [finding] = mine(checked.problems.findings)
    assert finding.params["reached"] == 179
    # on the year's latest posting
    assert finding.location.path.endswith("2026-h2.yml")


def test_the_target_is_a_setting(portal):
    village = "name: 测试村\nhouseholds: 300\nrules:\n  red-black:\n    coverage_target: 0.03\n"
    checked = run(portal, households(10), village=village)
    assert "redblack_coverage_under_target" not in keys(checked.problems)


def test_no_households_no_coverage_rule(portal):
    checked = run(portal, households(10), village="name: 测试村\n")
    assert "redblack_coverage_under_target" not in keys(checked.problems)


# -- what the pages show -------------------------------------------------------------------

def test_a_black_entry_past_its_end_leaves_the_pages(portal):
    rows = [RED.replace(",10,", ",10,2026-09-30"),  # a red entry stays after its date
            "张三明,二组,黑,往河渠倾倒垃圾,第二条（环境卫生）,-10,2026-10-20",
            "刘七星,四组,黑,操办升学宴,第一条（移风易俗）,-10,2026-12-31"]
    checked = run(portal, rows + households(180, start=20))
    [record] = postings(checked)
    shown = record.entries_shown(AS_OF)
    assert [entry.household for entry in shown[:2]] == ["王大山", "刘*星"]
    assert record.withdrawn(AS_OF) == 1
    page = portal.page(SECTION, "2026-h1")
    assert "张*明" not in page and "刘*星" in page
    assert "另有 1 户黑榜已过有效期" in page
    # before the end date it is still shown
    assert len(record.entries_shown(date(2026, 10, 20))) == len(record.entries)


def test_the_section_page_shows_coverage_and_months_by_clause(portal):
    second = {"content/testv/2026/red-black/2026-03.yml": posting("2026-03-10", "2026-03-20"),
              "content/testv/2026/red-black/2026-03.csv": HEADER + BLACK + "\n"}
    checked = run(portal, [RED, "李四,三组,红,婚事新办,第一条（移风易俗）,20,"], extra=second)
    records = sorted(postings(checked), key=lambda r: r.date, reverse=True)
    view = KINDS[SECTION].section_view(records, checked.villages[0].village_year(2026).context())
    assert view.coverage.reached == 3 and view.coverage.under
    assert [(m.month, m.red, m.black) for m in view.months] == [(7, 2, 0), (3, 0, 1)]
    assert [(c.clause, c.red) for c in view.months[0].clauses] == [("第一条（移风易俗）", 1), ("第二条（环境卫生）", 1)]
    page = portal.page(SECTION)
    assert "占全村 300 户的 1%" in page and "还差 177 户" in page
    assert "2026年7月" in page and "第一条（移风易俗）" in page


def test_the_share_is_exact(portal):
    checked = run(portal, households(181))
    [record] = postings(checked)
    view = KINDS[SECTION].section_view([record], checked.villages[0].village_year(2026).context())
    assert view.coverage.share == Decimal(181) / Decimal(300)
    assert view.coverage.share_text == "60.3%" and not view.coverage.under
