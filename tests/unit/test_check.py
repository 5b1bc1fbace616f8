"""load → model → check on small content trees: what a clerk sees when `check` runs."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit._support import keys, luhn_complete, resident_id, with_key, with_wrong_check

ID_A = resident_id("43052119800101123")
ID_B = resident_id("43010219900307002")
CARD = luhn_complete("622202100112345678")

NOTICE = """\
title: 2025年第一季度低保名单公示
date: 2025-03-01
posted_until: 2025-03-10
category: 低保救助
issuer: 测试村村民委员会
body: 经村民代表会议评议，以下农户纳入低保。
"""

PARTY = """\
title: 2025年第一季度党费收缴情况
date: 2025-04-02
posted_until: 2025-04-10
category: 党费收缴
"""

LEDGER_HEADER = "日期,凭证号,摘要,科目,收入,支出\n"


def ledger(period: str, opening: str, closing: str, posted: str, until: str | None) -> str:
    text = f"period: {period}\ndate: {posted}\n"
    if until:
        text += f"posted_until: {until}\n"
    return text + f"opening_balance: {opening}\nclosing_balance: {closing}\n"


def located(problems) -> list[tuple[str, int | None, str]]:
    return [(p.location.path, p.location.line, p.key) for p in problems]


# -- a clean tree ------------------------------------------------------------------------------

def test_clean_records_check_without_problems(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.yml", NOTICE)
    portal.record(2025, "party", "2025-04-party-dues.yml", PARTY)
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "1000.00", "1100.50", "2025-02-05", "2025-02-19"))
    portal.record(2025, "finance", "2025-01.csv", LEDGER_HEADER + "2025-01-03,记-001,承包费,经营收入,\"1,200.50\",\n"
                  "2025-01-04,记-002,电费,管理费用,,1100.00\n")
    checked = portal.check()
    assert located(checked.problems) == []
    [village] = checked.villages
    assert sorted(record.id for record in village.records) == ["2025-01", "2025-04-party-dues", "2025-q1-dibao"]


# -- folders and file names ------------------------------------------------------------------

def test_wrong_section_folder_is_named_with_the_allowed_ones(portal, catalogue):
    portal.record(2025, "finances", "2025-01.yml", NOTICE)
    checked = portal.check()
    assert located(checked.problems) == [("content/testv/2025/finances", None, "bad_section_folder")]
    message = next(iter(checked.problems)).message(catalogue)
    assert "finances" in message and "finance" in message and "affairs" in message


def test_wrong_year_folder_name_is_a_problem(portal):
    portal.record("2025年", "affairs", "a.yml", NOTICE)
    assert located(portal.check().problems) == [("content/testv/2025年", None, "bad_year_folder")]


def test_record_named_in_chinese_is_refused_with_a_clear_problem(portal, catalogue):
    portal.record(2025, "affairs", "低保名单.yml", NOTICE)
    checked = portal.check()
    assert located(checked.problems) == [("content/testv/2025/affairs/低保名单.yml", None, "bad_record_id")]
    assert "低保名单" in next(iter(checked.problems)).message(catalogue)


@pytest.mark.parametrize("name", ["2025-Q1-Dibao.yml", "2025 q1 dibao.yml", "-dibao.yml", "2025_q1.yml"])
def test_record_ids_must_be_url_safe(portal, name):
    portal.record(2025, "affairs", name, NOTICE)
    assert keys(portal.check()) == ["bad_record_id"]


def test_table_without_its_record_is_a_problem(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.csv", "姓名,金额\n张三,300\n")
    checked = portal.check()
    assert located(checked.problems) == [("content/testv/2025/affairs/2025-q1-dibao.csv", None, "table_without_record")]
    assert next(iter(checked.problems)).params == {"record": "2025-q1-dibao.yml"}


def test_unexpected_file_is_named(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.pptx", b"PK\x03\x04")  # (a .docx beside a record is its body)
    assert located(portal.check().problems) == [("content/testv/2025/affairs/2025-q1-dibao.pptx", None, "unexpected_file")]


def test_lock_files_of_an_open_spreadsheet_are_ignored(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.yml", NOTICE)
    portal.record(2025, "affairs", "2025-q1-dibao.csv", "姓名,金额\n张三,300\n")
    portal.record(2025, "affairs", "~$2025-q1-dibao.csv", b"\x00\xff garbage")
    portal.record(2025, "affairs", ".DS_Store", b"\x00")
    problems = portal.check().problems
    assert not problems.errors and not problems.findings
    # Not read, and named by `check` as such.
    assert sorted(located(problems)) == [("content/testv/2025/affairs/.DS_Store", None, "ignored_file"),
                                         ("content/testv/2025/affairs/~$2025-q1-dibao.csv", None, "ignored_file")]


def test_bad_village_folder_is_named(portal):
    (portal.root / "content" / "河口村").mkdir()
    checked = portal.check()
    assert ("content/河口村", None, "bad_village_folder") in located(checked.problems)


def test_village_without_its_settings_file_is_a_problem(portal):
    (portal.root / "site_config" / "testv.yml").unlink()
    portal.record(2025, "affairs", "2025-q1-dibao.yml", NOTICE)
    checked = portal.check()
    assert located(checked.problems) == [("site_config/testv.yml", None, "village_config_missing")]
    assert checked.villages == []


def test_every_problem_of_a_run_is_reported_not_only_the_first(portal):
    portal.record(2025, "affairs", "a.yml", NOTICE.replace("category: 低保救助", "category: 低保"))
    portal.record(2025, "affairs", "b.yml", NOTICE.replace("date: 2025-03-01", "date: 2025-13-01"))
    portal.record(2025, "party", "c.yml", "title: x\ndate 2025-01-01\n")
    assert sorted(keys(portal.check())) == ["bad_date", "unknown_category", "yaml_syntax"]


# -- record fields ---------------------------------------------------------------------------

def test_impossible_date_is_a_located_bad_date(portal, catalogue):
    portal.record(2025, "affairs", "a.yml", NOTICE.replace("date: 2025-03-01", "date: 2025-13-01"))
    checked = portal.check()
    assert located(checked.problems) == [("content/testv/2025/affairs/a.yml", 2, "bad_date")]
    message = next(iter(checked.problems)).message(catalogue)
    assert "公开日期" in message and "2025-13-01" in message


def test_missing_and_unknown_fields_are_located(portal):
    portal.record(2025, "affairs", "a.yml", "date: 2025-03-01\ncategory: 其他\ntitel: 通知\n")
    checked = portal.check()
    assert sorted(located(checked.problems)) == [("content/testv/2025/affairs/a.yml", 1, "field_missing"),
                                                 ("content/testv/2025/affairs/a.yml", 3, "field_unknown")]


def test_posting_end_before_start_is_located(portal):
    portal.record(2025, "affairs", "a.yml", NOTICE.replace("posted_until: 2025-03-10", "posted_until: 2025-02-10"))
    [problem] = portal.check().problems
    assert problem.key == "posting_backwards"
    assert problem.params["start"] == "2025-03-01" and problem.params["end"] == "2025-02-10"


def test_record_in_the_wrong_year_folder(portal):
    portal.record(2024, "affairs", "a.yml", NOTICE)
    checked = portal.check()
    assert located(checked.problems) == [("content/testv/2024/affairs/a.yml", 2, "wrong_year_folder")]
    assert next(iter(checked.problems)).params == {"found": 2025, "folder": 2024}


def test_december_ledger_posted_in_january_belongs_to_its_own_year(portal):
    portal.record(2025, "finance", "2025-12.yml", ledger("2025-12", "0", "0", "2026-01-05", "2026-01-20"))
    portal.record(2026, "finance", "2026-01.yml", ledger("2026-01", "0", "0", "2026-02-05", "2026-02-20"))
    assert located(portal.check().problems) == []


def test_december_ledger_in_the_next_years_folder_is_in_the_wrong_folder(portal):
    portal.record(2026, "finance", "2025-12.yml", ledger("2025-12", "0", "0", "2026-01-05", "2026-01-20"))
    assert keys(portal.check()) == ["wrong_year_folder"]


# -- personal numbers ------------------------------------------------------------------------

def test_list_columns_with_personal_numbers_are_masked_in_the_model(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.yml", NOTICE)
    portal.record(2025, "affairs", "2025-q1-dibao.csv",
                  f"户主姓名,身份证号,联系电话,银行账号,保障金额\n"
                  f"张三,{ID_A},13812341234,{CARD},300\n"
                  f"李四,{with_wrong_check(ID_B)},+86 139-8765-4321,6222 0210 0112 3456 000,450\n")
    checked = portal.check()
    assert located(checked.problems) == []
    [record] = checked.villages[0].records
    dumped = record.model_dump_json()
    for full in (ID_A, with_wrong_check(ID_B), "13812341234", "13987654321", "8765-4321", CARD, "6222021001123456000"):
        assert full not in dumped
    rows = record.table.rows
    assert rows[0][:4] == ["张三", "43*************" + ID_A[-3:], "138****1234", "*" * 15 + CARD[-4:]]
    # An ID column hides even a number that fails its checksum: a typo is still somebody's number.
    assert rows[1][1] == "43*************" + with_wrong_check(ID_B)[-3:]
    assert "139****4321" in rows[1][2]
    assert rows[0][4] == "300"  # amounts are not numbers to hide


def test_masking_follows_the_settings(portal):
    portal.write("site_config/testv.yml", "name: 测试村\nmasking:\n  mobile_start: 0\n  mobile_end: 2\n")
    portal.record(2025, "affairs", "a.yml", NOTICE)
    portal.record(2025, "affairs", "a.csv", "姓名,手机号码\n张三,13812341234\n")
    [record] = portal.check().villages[0].records
    assert record.table.rows == [["张三", "*********34"]]


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_full_width_id_in_an_id_column_is_masked(portal):
    full_width = ID_A.translate(FULL_WIDTH)
    portal.record(2025, "affairs", "a.yml", NOTICE)
    portal.record(2025, "affairs", "a.csv", f"姓名,身份证号\n张三,{full_width}\n")
    checked = portal.check()
    [record] = checked.villages[0].records
    assert full_width not in record.model_dump_json()
    assert record.table.rows[0][1].count("*") >= 4


def test_full_width_mobile_in_a_phone_column_is_masked(portal):
    full_width = "13812341234".translate(FULL_WIDTH)
    portal.record(2025, "affairs", "a.yml", NOTICE)
    portal.record(2025, "affairs", "a.csv", f"姓名,联系电话\n张三,{full_width}\n")
    checked = portal.check()
    records = checked.villages[0].records if checked.villages else []
    assert checked.problems.errors or all(full_width not in record.model_dump_json() for record in records)




def test_full_mobile_in_a_notice_body_is_an_error_naming_file_and_line(portal, catalogue):
    portal.record(2025, "affairs", "2025-q1-dibao.yml",
                  NOTICE.replace("body: 经村民代表会议评议，以下农户纳入低保。",
                                 "body: |\n  经村民代表会议评议，以下农户纳入低保。\n  有疑问请联系 13812341234。"))
    checked = portal.check()
    [problem] = checked.problems.errors
    assert problem.key == "personal_number"
    assert problem.location.path == "content/testv/2025/affairs/2025-q1-dibao.yml"
    assert problem.location.line in (6, 8)  # the body, or the very line of the number
    message = problem.message(catalogue)
    assert "2025-q1-dibao" in message and "手机" in message
    assert "13812341234" not in message


def test_full_id_in_a_title_is_an_error(portal):
    portal.record(2025, "party", "a.yml", PARTY.replace("党费收缴情况", f"党费收缴情况（{ID_A}）"))
    assert located(portal.check().problems) == [("content/testv/2025/party/a.yml", 1, "personal_number")]


def test_full_mobile_in_an_ordinary_list_column_names_row_and_column(portal, catalogue):
    portal.record(2025, "affairs", "a.yml", NOTICE)
    portal.record(2025, "affairs", "a.csv", "户主姓名,备注\n张三,无\n\n李四,电话13812341234\n")
    checked = portal.check()
    [problem] = checked.problems.errors
    assert (problem.location.path, problem.location.line, problem.location.column, problem.key) == (
        "content/testv/2025/affairs/a.csv", 4, "备注", "personal_number")
    assert "“备注”" in problem.render(catalogue)


def test_full_mobile_in_a_ledger_line_names_row_and_column(portal):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "100", "2025-02-05", "2025-02-20"))
    portal.record(2025, "finance", "2025-01.csv", LEDGER_HEADER + "2025-01-03,记-001,承包费,经营收入,50,\n"
                  "2025-01-04,记-002,收刘某（13812341234）押金,经营收入,50,\n")
    [problem] = portal.check().problems.errors
    assert (problem.location.path, problem.location.line, problem.location.column) == (
        "content/testv/2025/finance/2025-01.csv", 3, "摘要")


def test_landline_in_a_notice_body_is_fine(portal):
    portal.record(2025, "affairs", "a.yml", NOTICE.replace("纳入低保。", "纳入低保。值班电话 0739-5521208。"))
    assert located(portal.check().problems) == []


# -- ledgers -----------------------------------------------------------------------------------

def test_unbalanced_ledger_names_the_numbers(portal, catalogue):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "1000.00", "1100.00", "2025-02-05", "2025-02-20"))
    portal.record(2025, "finance", "2025-01.csv", LEDGER_HEADER + "2025-01-03,记-001,承包费,经营收入,200.50,\n"
                  "2025-01-04,记-002,电费,管理费用,,100.00\n")
    checked = portal.check()
    assert located(checked.problems) == [("content/testv/2025/finance/2025-01.yml", 5, "ledger_does_not_reconcile")]
    message = next(iter(checked.problems)).message(catalogue)
    for number in ("1000.00", "200.50", "100.00", "1100.50", "1100.00"):
        assert number in message


def test_ledger_problems_in_lines_name_row_and_column(portal):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "300", "2025-02-05", "2025-02-20"))
    portal.record(2025, "finance", "2025-01.csv", LEDGER_HEADER
                  + "2025-02-03,记-001,承包费,经营收入,100,\n"
                  + "\n"
                  + "2025-01-04,记-001,承包费,经营收入,100,\n"
                  + "2025-01-05,记-003,承包费,承包收入,100,\n")
    checked = portal.check()
    csv = "content/testv/2025/finance/2025-01.csv"
    assert [(p.location.path, p.location.line, p.location.column, p.key) for p in checked.problems] == [
        (csv, 2, "日期", "ledger_line_outside_period"),
        (csv, 4, "凭证号", "ledger_duplicate_voucher"),
        (csv, 5, "科目", "ledger_unknown_account"),
    ]


def test_bad_amount_in_a_ledger_row_names_row_and_column(portal):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "100", "2025-02-05", "2025-02-20"))
    portal.record(2025, "finance", "2025-01.csv", LEDGER_HEADER + "2025-01-03,记-001,x,经营收入,100,\n"
                  "2025-01-04,记-002,x,经营收入,一百,\n2025-01-05,记-003,x,经营收入,1000.005,\n")
    checked = portal.check()
    assert [(p.location.line, p.location.column, p.key) for p in checked.problems] == [
        (3, "收入", "bad_amount"), (4, "收入", "amount_cents")]


def test_ledger_line_with_both_or_neither_side_is_refused(portal):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "0", "2025-02-05", "2025-02-20"))
    portal.record(2025, "finance", "2025-01.csv", LEDGER_HEADER + "2025-01-03,记-001,x,经营收入,100,100\n"
                  "2025-01-04,记-002,x,经营收入,,\n2025-01-05,记-003,x,经营收入,-5,\n")
    checked = portal.check()
    assert [(p.location.line, p.key) for p in checked.problems] == [
        (2, "ledger_one_side"), (3, "ledger_one_side"), (4, "ledger_not_positive")]


@pytest.mark.parametrize(("period", "day", "valid"), [
    ("2023-12", "2023-12-20", True),   # the 2004 chart still applies in December 2023
    ("2024-01", "2024-01-20", False),  # replaced on 2024-01-01 by 财会〔2023〕14号
])
def test_accounts_follow_the_chart_of_the_period(portal, period, day, valid):
    year = period[:4]
    following = "2024-01-05" if period == "2023-12" else "2024-02-05"
    portal.record(year, "finance", f"{period}.yml", ledger(period, "0", "100", following, None))
    portal.record(year, "finance", f"{period}.csv", LEDGER_HEADER + f"{day},记-001,鱼塘承包费,发包及上交收入,100,\n")
    checked = portal.check()
    assert (with_key(checked, "ledger_unknown_account") == []) is valid


def test_public_welfare_spending_is_an_account_only_from_2024(portal):
    portal.record(2023, "finance", "2023-12.yml", ledger("2023-12", "100", "0", "2024-01-05", None))
    portal.record(2023, "finance", "2023-12.csv", LEDGER_HEADER + "2023-12-20,记-001,路灯电费,公益支出,,100\n")
    assert keys(portal.check()) == ["ledger_unknown_account"]


def test_duplicate_period_is_an_error(portal):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "0", "2025-02-05", None))
    portal.record(2025, "finance", "2025-01-fixed.yml", ledger("2025-01", "0", "0", "2025-02-06", None))
    assert keys(portal.check()) == ["ledger_duplicate_period"]


def test_opening_balance_must_equal_previous_closing(portal, catalogue):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "0", "2025-02-05", None))
    portal.record(2025, "finance", "2025-02.yml", ledger("2025-02", "0.01", "0.01", "2025-03-05", None))
    checked = portal.check()
    assert located(checked.problems) == [("content/testv/2025/finance/2025-02.yml", 3, "ledger_gap")]
    message = next(iter(checked.problems)).message(catalogue)
    assert "0.01" in message and "0.00" in message and "2025-01" in message


def test_opening_balance_is_checked_across_the_year_boundary(portal):
    portal.record(2024, "finance", "2024-12.yml", ledger("2024-12", "500.00", "500.00", "2025-01-05", None))
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "499.00", "499.00", "2025-02-05", None))
    checked = portal.check()
    assert located(checked.problems) == [("content/testv/2025/finance/2025-01.yml", 3, "ledger_gap")]


def test_a_missing_month_is_not_taken_for_a_gap(portal):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "0", "2025-02-05", None))
    portal.record(2025, "finance", "2025-03.yml", ledger("2025-03", "99", "99", "2025-04-05", None))
    # Not a balance gap (an error): a month never published, a finding of its own (issue 20).
    assert keys(portal.check()) == ["ledger_period_missing"]


def test_ledger_posted_before_its_period_ends_is_an_error(portal):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "0", "2025-01-25", None))
    assert located(portal.check().problems) == [("content/testv/2025/finance/2025-01.yml", 2,
                                                 "ledger_posted_before_period_end")]


def test_row_problems_of_lines_written_in_yaml_are_located_at_the_entry(portal):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "100", "2025-02-05", None) + (
        "lines:\n"
        "  - date: 2025-01-03\n    voucher: 记-001\n    summary: x\n    account: 经营收入\n    income: 50\n"
        "  - date: 2025-03-03\n    voucher: 记-002\n    summary: x\n    account: 经营收入\n    income: 50\n"))
    assert located(portal.check().problems) == [("content/testv/2025/finance/2025-01.yml", 11,
                                                 "ledger_line_outside_period")]


# -- posting periods: a finding, and the build goes on ----------------------------------------

def test_short_posting_is_a_finding_on_the_posted_until_line(portal, catalogue):
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "0", "2025-02-05", "2025-02-10"))
    checked = portal.check()
    assert checked.problems.errors == []
    [finding] = checked.problems.findings
    assert (finding.location.path, finding.location.line, finding.key) == (
        "content/testv/2025/finance/2025-01.yml", 3, "posting_too_short")
    assert finding.params == {"days": 6, "minimum": 15}
    assert finding.render(catalogue).startswith("content/testv/2025/finance/2025-01.yml:3: 提醒：")
    # The record is still published, with the finding attached to its village.
    [village] = checked.villages
    assert [record.id for record in village.records] == ["2025-01"]
    assert village.findings == [finding]


def test_posting_minimum_is_per_kind_and_follows_the_village_rules(portal):
    # 10 days: enough for a notice (7), not for a ledger (15)…
    portal.record(2025, "affairs", "a.yml", NOTICE)  # 2025-03-01 … 03-10
    portal.record(2025, "finance", "2025-01.yml", ledger("2025-01", "0", "0", "2025-02-05", "2025-02-14"))
    assert located(portal.check().problems) == [("content/testv/2025/finance/2025-01.yml", 3, "posting_too_short")]
    # …unless the village sets its own number for finance.
    portal.write("site_config/testv.yml", "name: 测试村\nrules:\n  finance:\n    posting_days: 10\n")
    assert located(portal.check().problems) == []


def test_exactly_the_minimum_is_enough(portal):
    # 2025-03-01 … 2025-03-07 is 7 days, both ends counted.
    portal.record(2025, "affairs", "a.yml", NOTICE.replace("posted_until: 2025-03-10", "posted_until: 2025-03-07"))
    assert located(portal.check().problems) == []
    portal.record(2025, "affairs", "a.yml", NOTICE.replace("posted_until: 2025-03-10", "posted_until: 2025-03-06"))
    assert keys(portal.check()) == ["posting_too_short"]


def test_messages_from_the_village_settings_reword_problems(portal):
    portal.write("site_config/testv.yml", "name: 测试村\nmessages:\n  problem:\n    posting_too_short: 公示不足{minimum}天\n")
    portal.record(2025, "affairs", "a.yml", NOTICE.replace("posted_until: 2025-03-10", "posted_until: 2025-03-02"))
    checked = portal.check()
    [village] = checked.villages
    [finding] = checked.problems.findings
    assert finding.message(village.catalogue) == "公示不足7天"


def test_check_writes_nothing(portal):
    portal.record(2025, "affairs", "a.yml", NOTICE)
    before = sorted(path.relative_to(portal.root) for path in portal.root.rglob("*"))
    portal.check(as_of=date(2025, 3, 5))
    assert sorted(path.relative_to(portal.root) for path in portal.root.rglob("*")) == before
