"""Settings have dates: a number changed from a day (`rules.<section>.changes`) judges the records
of that day on, never a year before it; a badly written change is an error on its line."""

from __future__ import annotations

from datetime import date

from generator.inputs.messages import Catalogue
from tests.builder import VILLAGE, Portal

AS_OF = date(2027, 3, 1)


def notice(day: str, until: str) -> str:
    return f"title: 村务公告 {day}\ndate: {day}\nposted_until: {until}\ncategory: 项目建设\nissuer: 测试村村民委员会\n"


# Ten days each: within 7, short of 14.
NOTICES = {
    2026: [("2026-03-01", "2026-03-10"), ("2026-12-20", "2026-12-29")],
    2027: [("2027-01-05", "2027-01-14"), ("2027-02-01", "2027-02-10")],
}

POSTING_FROM_2027 = VILLAGE + """\
rules:
  affairs:
    posting_days: 7
    changes:
      - from: 2027-01-01
        posting_days: 14
"""


def write_notices(portal: Portal) -> None:
    for year, notices in NOTICES.items():
        for day, until in notices:
            portal.record(year, "affairs", f"{day}.yml", notice(day, until))


def findings(checked) -> list[tuple[str, str, dict]]:
    return sorted((p.location.path.rsplit("/", 1)[-1], p.key, p.params) for p in checked.problems
                  if "/affairs/" in p.location.path)


def test_a_posting_days_change_from_2027_leaves_2026_unchanged_and_judges_2027_by_the_new_number(portal):
    write_notices(portal)
    before = findings(portal.check(AS_OF))
    assert before == []  # ten days, seven required
    portal.village(POSTING_FROM_2027)
    after = findings(portal.check(AS_OF))
    # 2026's findings as they were (none); 2027's notices judged by 14 days.
    assert [f for f in after if f[0].startswith("2026")] == [f for f in before if f[0].startswith("2026")]
    assert after == [("2027-01-05.yml", "posting_too_short", {"days": 10, "minimum": 14}),
                     ("2027-02-01.yml", "posting_too_short", {"days": 10, "minimum": 14})]
    settings = portal.checked.villages[0].settings
    assert settings.rules.of("affairs", date(2026, 12, 31)).posting_days == 7
    assert settings.rules.of("affairs", date(2027, 1, 1)).posting_days == 14
    assert settings.rules.of("affairs", 2027).posting_days == 14


def test_a_change_written_by_the_township_applies_to_the_village_too(portal):
    write_notices(portal)
    portal.write("site_config/_defaults.yml", "township:\n  name: 石桥镇\nrules:\n  affairs:\n    posting_days: 7\n"
                 "    changes:\n      - {from: 2027-01-01, posting_days: 14}\n")
    assert [f[0] for f in findings(portal.check(AS_OF))] == ["2027-01-05.yml", "2027-02-01.yml"]


POINTS = """\
title: 测试村党支部2026年度党员积分明细
date: 2027-01-10
posted_until: 2027-01-17
issuer: 中共测试村支部委员会
for_year: 2026
"""
# Totals at 7:3 (2026's weights).
POINTS_CSV = "姓名,类别,日常积分,年度评议积分,总分\n王大山,A,93,95,93.6\n李小红,C,92.5,88,91.15\n"

WEIGHTS_FROM_2027 = VILLAGE + """\
rules:
  points:
    changes:
      - from: 2027-01-01
        daily_weight: 0.6
        annual_weight: 0.4
"""


def test_points_weights_changed_from_2027_do_not_rejudge_2026s_points_posted_in_january(portal):
    # The case: 0.6/0.4 from 2027 re-judged the 2026 list (posted 2027-01-10) by them.
    portal.files({"content/testv/2026/points/list.yml": POINTS, "content/testv/2026/points/list.csv": POINTS_CSV})
    portal.village(WEIGHTS_FROM_2027)
    checked = portal.check(AS_OF)
    assert [p.key for p in checked.problems if "/points/" in p.location.path] == []
    # Its page gives the formula it was judged by.
    assert "综合积分 = 日常行为积分 × 0.7 + 年度评议积分 × 0.3" in portal.page("points", "list", year=2026)
    # A 2027 list with 7:3 totals is judged by 6:4.
    portal.files({"content/testv/2027/points/list.yml": POINTS.replace("2026", "2027").replace("2027-01-", "2027-02-"),
                  "content/testv/2027/points/list.csv": POINTS_CSV})
    checked = portal.check(AS_OF)
    wrong = [p for p in checked.problems if "/2027/points/" in p.location.path]
    assert {p.key for p in wrong} == {"points_total_mismatch"} and len(wrong) == 2
    assert wrong[0].params["daily_weight"] == "0.6"
    assert "综合积分 = 日常行为积分 × 0.6 + 年度评议积分 × 0.4" in portal.page("points", "list", year=2027)


def located(checked) -> list[tuple[str, int | None, str, str]]:
    catalogue = Catalogue()
    return [(p.location.path, p.location.line, p.key, p.message(catalogue)) for p in checked.problems
            if "site_config" in p.location.path]


def test_a_change_without_a_readable_day_is_a_located_chinese_error(portal):
    portal.village(VILLAGE + "rules:\n  affairs:\n    changes:\n      - from: 2027年13月1日\n        posting_days: 14\n")
    [(path, line, key, message)] = located(portal.check(AS_OF))
    assert (path, line, key) == ("site_config/testv.yml", 7, "bad_date")
    assert "2027年13月1日" in message and "日期" in message
    portal.village(VILLAGE + "rules:\n  affairs:\n    changes:\n      - posting_days: 14\n")
    [(path, line, key, message)] = located(portal.check(AS_OF))
    assert (path, line, key) == ("site_config/testv.yml", 7, "field_missing") and "from" in message


def test_a_changed_number_that_is_wrong_is_an_error_on_its_line(portal):
    portal.village(VILLAGE + "rules:\n  affairs:\n    changes:\n      - from: 2027-01-01\n        posting_days: 两周\n"
                   "      - from: 2028-01-01\n        posting_day: 10\n")
    found = [(path, line, key) for path, line, key, _ in located(portal.check(AS_OF))]
    assert found == [("site_config/testv.yml", 8, "bad_integer")]  # the first wrong change stops that section
    portal.village(VILLAGE + "rules:\n  affairs:\n    changes:\n      - from: 2028-01-01\n        posting_day: 10\n")
    [(path, line, key, message)] = located(portal.check(AS_OF))
    assert (path, line, key) == ("site_config/testv.yml", 8, "field_unknown") and "posting_day" in message


def test_weights_changed_so_they_no_longer_add_up_are_an_error_on_the_change(portal):
    portal.village(VILLAGE + "rules:\n  points:\n    changes:\n      - from: 2027-01-01\n        daily_weight: 0.6\n")
    [(path, line, _key, message)] = located(portal.check(AS_OF))
    assert (path, line) == ("site_config/testv.yml", 7)  # the change's `- from:` line
    assert "0.6" in message and "0.3" in message


RED_BLACK = "title: 红黑榜 {day}\ndate: {day}\nposted_until: {until}\nissuer: 测试村村民委员会\n"
RED_BLACK_CSV = "户主姓名,组别,红/黑榜,事由,村规民约条款,积分,有效期至\n张三明,二组,黑,往河渠倾倒垃圾,第二条（环境卫生）,-10,2027-12-31\n"


def test_black_names_are_masked_by_the_setting_in_force_on_the_lists_day(portal):
    # Masking happens as the list is read: a change from 2027 to hide the names hides them on
    # 2027's lists, and leaves 2026's as they were published (masked).
    for year, day, until in ((2026, "2026-12-01", "2026-12-10"), (2027, "2027-01-20", "2027-01-29")):
        portal.files({f"content/testv/{year}/red-black/list.yml": RED_BLACK.format(day=day, until=until),
                      f"content/testv/{year}/red-black/list.csv": RED_BLACK_CSV})
    portal.village(VILLAGE + "rules:\n  red-black:\n    changes:\n      - {from: 2027-01-01, black_names: hide}\n")
    checked = portal.check(AS_OF)
    lists = {record.year: record for record in checked.villages[0].records if record.section == "red-black"}
    assert lists[2026].entries[0].household == "张*明"
    assert lists[2027].entries[0].household == ""
    assert "张*明" not in portal.page("red-black", "list", year=2027)
