"""Ledgers and lists as the clerk's own files are (issue 26): accounting software's journals
(现金日记账), headers by any name a kind accepts, a two-row header and merged cells over a
household, a workbook for the year with a sheet a month."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from generator.domain.kinds.accounting import DEFAULT_ACCOUNT_CODES, amount_in_words
from tests.builder import Portal

DEMO = Path(__file__).resolve().parents[2] / "content" / "hekou" / "2025" / "finance"
CODES = {name: code for code, name in DEFAULT_ACCOUNT_CODES.items() if len(code) == 4}  # the 2023 chart's
EXPORT_HEADER = ["日期", "凭证字号", "摘要", "科目编码", "科目名称", "借方", "贷方", "方向", "余额"]


def demo_ledgers() -> dict[str, tuple[str, list[dict[str, str]]]]:
    """The demo village's 2025 ledgers: id → (its YAML text, its table's rows)."""
    found = {}
    for path in sorted(DEMO.glob("*.yml")):
        rows = list(csv.DictReader(io.StringIO(path.with_suffix(".csv").read_text(encoding="utf-8"))))
        found[path.stem] = (path.read_text(encoding="utf-8"), rows)
    return found


def export_rows(ledger_yaml: str, rows: list[dict[str, str]]) -> list[list[str]]:
    """A ledger as a 现金日记账 export writes it: a title row, the header, 上月结转, the lines with
    their running 余额, 本月合计."""
    data = yaml.safe_load(ledger_yaml)
    balance = Decimal(str(data["opening_balance"]))
    table = [[f"现金日记账（{data['period']}）"], EXPORT_HEADER, ["", "", "上月结转", "", "", "", "", "借", f"{balance:.2f}"]]
    income = expense = Decimal(0)
    for row in rows:
        money_in, money_out = Decimal(row["收入"] or 0), Decimal(row["支出"] or 0)
        balance += money_in - money_out
        income += money_in
        expense += money_out
        table.append([row["日期"], row["凭证号"], row["摘要"], CODES[row["科目"]], row["科目"], row["收入"], row["支出"],
                      "借", f"{balance:.2f}"])
    table.append(["", "", "本月合计", "", "", f"{income:.2f}", f"{expense:.2f}", "借", f"{balance:.2f}"])
    return table


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([cell if cell != "" else None for cell in row])
        for cells in (merges or {}).get(title, []):
            sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pages(portal: Portal, ids: list[str]) -> dict[str, str]:
    checked = portal.check()
    assert checked.problems.errors == [], [problem.key for problem in checked.problems.errors]
    return {"section": portal.page("finance", year=2025), **{id: portal.page("finance", id, year=2025) for id in ids}}


@pytest.fixture
def original(tmp_path: Path) -> dict[str, str]:
    portal = Portal(tmp_path / "original")
    ledgers = demo_ledgers()
    for id, (text, _) in ledgers.items():
        portal.record(2025, "finance", f"{id}.yml", text)
        portal.write(f"content/testv/2025/finance/{id}.csv", (DEMO / f"{id}.csv").read_bytes())
    return pages(portal, list(ledgers))


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_cash_journal_export_gives_the_same_pages_as_the_ledgers(tmp_path: Path, original: dict[str, str], form: str):
    portal = Portal(tmp_path / form)
    ledgers = demo_ledgers()
    for id, (text, rows) in ledgers.items():
        portal.record(2025, "finance", f"{id}.yml", text)
        table = export_rows(text, rows)
        if form == "csv":
            portal.write(f"content/testv/2025/finance/{id}.csv", csv_text(table))
        else:
            portal.write(f"content/testv/2025/finance/{id}.xlsx", xlsx_bytes({id: table}))
    assert pages(portal, list(ledgers)) == original


def test_a_year_workbook_of_monthly_sheets_gives_the_same_section_as_twelve_files(tmp_path: Path, original):
    portal = Portal(tmp_path / "workbook")
    ledgers = demo_ledgers()
    sheets, facts = {}, {}
    for id, (text, rows) in ledgers.items():
        data = yaml.safe_load(text)
        month = int(id[5:])
        # Sheets named as clerks name them: 1月, 02, 2025-03 …
        name = {1: "1月", 2: "02", 3: "2025-03", 4: "2025年4月"}.get(month, f"{month}月")
        sheets[name] = export_rows(text, rows)
        facts[id] = {key: value for key, value in data.items() if key not in ("period", "opening_balance", "closing_balance")}
    portal.write("content/testv/2025/finance/2025.xlsx", xlsx_bytes(sheets))
    portal.write("content/testv/2025/finance/2025.yml", yaml.safe_dump(facts, allow_unicode=True, sort_keys=False))
    assert pages(portal, list(ledgers)) == original


LEDGER = """\
period: 2025-01
date: 2025-02-05
posted_until: 2025-02-19
opening_balance: 1000.00
closing_balance: 5487.50
"""


def checked_errors(portal: Portal, table: str):
    portal.record(2025, "finance", "2025-01.yml", LEDGER)
    portal.record(2025, "finance", "2025-01.csv", table)
    return portal.check().problems.errors


def test_a_wrong_balance_names_its_line_and_both_figures(portal, catalogue):
    [problem] = checked_errors(portal, """\
        日期,凭证字号,摘要,科目名称,借方,贷方,余额
        ,,上月结转,,,,1000.00
        2025-01-03,记-001,鱼塘承包费,经营收入,4800.00,,5800.00
        2025-01-09,记-002,办公用品,管理费用,,312.50,5478.50
        """)
    assert (problem.key, problem.location.line, problem.location.column) == ("ledger_balance_wrong", 4, "余额")
    message = problem.render(catalogue)
    assert "5478.50" in message and "5487.50" in message


@pytest.mark.parametrize("later", ["5487.50", "-4799.50"])
def test_one_wrong_balance_is_one_error(portal, later: str):
    # A slip in one cell (the next line right by the amounts) or a slip carried on (the next line
    # right by the slip): either way the clerk has one figure to correct, on line 3.
    [problem] = checked_errors(portal, f"""\
        日期,凭证字号,摘要,科目名称,借方,贷方,余额
        ,,上月结转,,,,1000.00
        2025-01-03,记-001,鱼塘承包费,经营收入,4800.00,,-4487.00
        2025-01-09,记-002,办公用品,管理费用,,312.50,{later}
        """)
    assert (problem.key, problem.location.line) == ("ledger_balance_wrong", 3)


def test_a_month_total_that_does_not_add_up_names_its_line(portal, catalogue):
    [problem] = checked_errors(portal, """\
        日期,凭证字号,摘要,科目名称,借方,贷方
        2025-01-03,记-001,鱼塘承包费,经营收入,4800.00,
        2025-01-09,记-002,办公用品,管理费用,,312.50
        ,,本月合计,,4800.00,321.50
        """)
    assert (problem.key, problem.location.line, problem.location.column) == ("ledger_total_wrong", 4, "贷方")
    assert "321.50" in problem.render(catalogue) and "312.50" in problem.render(catalogue)


def test_an_amount_in_words_that_disagrees_names_its_line(portal, catalogue):
    [problem] = checked_errors(portal, """\
        日期,凭证字号,摘要,科目名称,借方,贷方,金额大写
        2025-01-03,记-001,鱼塘承包费,经营收入,4800.00,,肆仟捌佰元整
        2025-01-09,记-002,办公用品,管理费用,,312.50,叁佰贰拾壹元伍角
        """)
    assert (problem.key, problem.location.line, problem.location.column) == ("ledger_amount_words_differ", 3, "金额大写")
    assert "321.50" in problem.render(catalogue) and "312.50" in problem.render(catalogue)


def test_amounts_in_words():
    assert amount_in_words("壹万贰仟元整") == Decimal("12000.00")
    assert amount_in_words("人民币壹拾贰万零叁佰元伍角陆分") == Decimal("120300.56")
    assert amount_in_words("12000") is None


def test_an_unknown_header_lists_the_accepted_names(portal, catalogue):
    [problem] = checked_errors(portal, """\
        日期,凭证字号,摘要,科目名称,借方,贷方,经手人
        2025-01-03,记-001,鱼塘承包费,经营收入,4800.00,,张三
        """)
    assert (problem.key, problem.location.line, problem.location.column) == ("table_unknown_header", 1, "经手人")
    message = problem.render(catalogue)
    assert "凭证字号" in message and "借方金额" in message and "table_headers" in message


def test_the_townships_own_header_names(portal):
    # A village's own spelling, in its settings (a township's goes in _defaults.yml alike).
    portal.village("name: 测试村\npopulation: 1200\nhouseholds: 300\n"
                   "rules:\n  finance:\n    table_headers:\n      经济科目: account\n")
    assert checked_errors(portal, """\
        日期,凭证号,摘要,经济科目,收入,支出
        2025-01-03,记-001,鱼塘承包费,经营收入,4800.00,
        2025-01-09,记-002,办公用品,管理费用,,312.50
        """) == []


def test_an_account_code_is_the_chart_in_force(portal):
    errors = checked_errors(portal, """\
        日期,凭证字号,摘要,科目编码,借方,贷方
        2025-01-03,记-001,鱼塘承包费,501,4800.00,
        2025-01-09,记-002,办公用品,999,,312.50
        """)
    assert [(p.key, p.location.line, p.location.column) for p in errors] == [("ledger_unknown_account_code", 3, "科目编码")]


DIBAO = """\
title: 2025年第一季度低保名单公示
date: 2025-03-05
posted_until: 2025-03-12
category: 低保救助
"""


def test_a_dibao_list_with_merged_households_and_a_two_row_header(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.yml", DIBAO)
    rows = [
        ["河口村2025年第一季度低保名单"],
        ["户主", "组别", "家庭成员", None, "保障金额（元）"],
        [None, None, "姓名", "身份证号", None],
        ["张大山", "一组", "张大山", "430521195001011234", 300],
        [None, None, "李秀英", "430521195203021245", 300],
        [None, None, "张小明", "430521200105051236", 300],
        ["王二", "三组", "王二", "430521196006061257", 280],
    ]
    merges = ["A2:A3", "B2:B3", "C2:D2", "E2:E3", "A4:A6", "B4:B6"]
    portal.write("content/testv/2025/affairs/2025-q1-dibao.xlsx", xlsx_bytes({"名单": rows}, {"名单": merges}))
    checked = portal.check()
    assert checked.problems.errors == []
    [notice] = checked.villages[0].records
    assert notice.table.columns == ["户主", "组别", "姓名", "身份证号", "保障金额（元）"]
    assert [row[:3] for row in notice.table.rows] == [
        ["张大山", "一组", "张大山"], ["张大山", "一组", "李秀英"], ["张大山", "一组", "张小明"], ["王二", "三组", "王二"]]
    page = portal.page("affairs", "2025-q1-dibao", year=2025)
    assert "430521195203021245" not in page and "43*************245" in page


def test_a_merged_amount_is_ambiguous(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.yml", DIBAO)
    rows = [["户主", "姓名", "保障金额"], ["张大山", "张大山", 900], [None, "李秀英", None]]
    portal.write("content/testv/2025/affairs/2025-q1-dibao.xlsx",
                 xlsx_bytes({"名单": rows}, {"名单": ["A2:A3", "C2:C3"]}))
    [problem] = portal.check().problems.errors
    assert (problem.key, problem.location.line, problem.location.column) == ("table_merged_amount", 2, "保障金额")


def test_a_workbooks_facts_for_every_sheet_and_the_rules_default_day(portal):
    portal.village("name: 测试村\npopulation: 1200\nhouseholds: 300\n"
                   "rules:\n  finance:\n    posted_after_days: 5\n")
    sheet = [["日期", "凭证字号", "摘要", "科目名称", "借方", "贷方", "余额"],
             ["", "", "上月结转", "", "", "", "1000.00"],
             ["2025-{month}-03", "记-001", "鱼塘承包费", "经营收入", "100.00", "", "{balance}"]]
    book = {"1月": [[cell.format(month="01", balance="1100.00") for cell in row] for row in sheet],
            "2月": [[cell.format(month="02", balance="1100.00") for cell in row] for row in sheet]}
    book["2月"][1][-1] = "1000.00"  # February opens where January did not close
    portal.write("content/testv/2025/finance/2025.xlsx", xlsx_bytes(book))
    portal.record(2025, "finance", "2025.yml", "issuer: 测试村村民委员会\n2025-02:\n  date: 2025-03-02\n")
    checked = portal.check()
    [gap] = checked.problems.errors
    assert (gap.key, gap.location.path) == ("ledger_gap", "content/testv/2025/finance/2025.yml")
    january, february = sorted(checked.villages[0].records, key=lambda record: record.id)
    assert (january.id, january.date.isoformat(), january.posted_until.isoformat()) == ("2025-01", "2025-02-05", "2025-02-19")
    assert (february.date.isoformat(), february.issuer, january.issuer) == ("2025-03-02", "测试村村民委员会", "测试村村民委员会")
    assert (january.opening_balance, january.closing_balance) == (Decimal("1000.00"), Decimal("1100.00"))


def test_a_sheet_that_names_no_month_is_an_error(portal, catalogue):
    portal.write("content/testv/2025/finance/2025.xlsx", xlsx_bytes({"汇总": [["日期", "摘要"], ["2025-01-01", "x"]]}))
    [problem] = portal.check().problems.errors
    assert (problem.key, problem.location.path) == ("workbook_sheet_name", "content/testv/2025/finance/2025.xlsx")
    assert "汇总" in problem.render(catalogue)


def test_one_column_under_two_names_is_an_error(portal):
    [problem] = checked_errors(portal, """\
        日期,凭证号,凭证字号,摘要,科目,收入,支出
        2025-01-03,记-001,记-001,鱼塘承包费,经营收入,4800.00,
        """)
    assert (problem.key, problem.location.column) == ("table_same_column", "凭证字号")


def test_every_kind_with_a_table_accepts_other_names(portal):
    portal.record(2025, "red-black", "2025-h1.yml", """\
        title: 2025年上半年红黑榜
        date: 2025-07-01
        posted_until: 2025-07-08
        """)
    portal.record(2025, "red-black", "2025-h1.csv", """\
        序号,姓名,所在组,红黑榜,理由,依据条款,分值
        1,张三,一组,红,带头清理河道,第五条,5
        """)
    errors = portal.check().problems.errors
    assert [problem.key for problem in errors if problem.key.startswith("table_")] == []


def test_a_year_to_date_row_is_checked_against_the_years_ledgers(portal, catalogue):
    for month, opening, closing, day in (("01", "1000.00", "1100.00", "2025-02-05"), ("02", "1100.00", "1300.00", "2025-03-05")):
        portal.record(2025, "finance", f"2025-{month}.yml", f"period: 2025-{month}\ndate: {day}\nposted_until: 2025-03-20\n"
                      f"opening_balance: {opening}\nclosing_balance: {closing}\n")
    portal.record(2025, "finance", "2025-01.csv", """\
        日期,凭证字号,摘要,科目名称,借方,贷方
        2025-01-03,记-001,鱼塘承包费,经营收入,100.00,
        ,,本月合计,,100.00,0.00
        ,,本年累计,,100.00,0.00
        """)
    portal.record(2025, "finance", "2025-02.csv", """\
        日期,凭证字号,摘要,科目名称,借方,贷方
        2025-02-03,记-001,鱼塘承包费,经营收入,200.00,
        ,,本月合计,,200.00,0.00
        ,,本年累计,,200.00,0.00
        """)
    [problem] = portal.check().problems.errors
    assert (problem.key, problem.location.path, problem.location.line, problem.location.column) == (
        "ledger_year_total_wrong", "content/testv/2025/finance/2025-02.csv", 4, "借方")
    assert "200.00" in problem.render(catalogue) and "300.00" in problem.render(catalogue)


def test_a_two_row_header_in_csv_and_a_column_the_settings_leave_out(portal):
    portal.village("name: 测试村\npopulation: 1200\nhouseholds: 300\n"
                   "rules:\n  finance:\n    table_headers:\n      附件张数: ''\n")
    assert checked_errors(portal, """\
        河口村现金日记账
        单位：元
        序号,日期,凭证字号,摘要,科目名称,金额,,余额,附件张数
        ,,,,,借方,贷方,,
        1,2025-01-03,记-001,鱼塘承包费,经营收入,4800.00,,5800.00,1
        2,2025-01-09,记-002,办公用品,管理费用,,312.50,5487.50,2
        """) == []
    [ledger] = portal.checked.villages[0].records
    assert [line.summary for line in ledger.lines] == ["鱼塘承包费", "办公用品"]
    assert ledger.source.table_lines == (5, 6)


@pytest.mark.parametrize(("title", "period"), [
    ("1月", "2025-01"), ("01", "2025-01"), ("12", "2025-12"), ("2025-03", "2025-03"), ("2025年4月", "2025-04"),
    ("十一月", "2025-11"), ("第一季度", "2025-Q1"), ("Q2", "2025-Q2"), ("2025-Q3", "2025-Q3"),
    ("2024-01", None), ("汇总", None), ("13月", None)])
def test_sheet_names_as_clerks_write_them(title: str, period: str | None):
    from generator.inputs.workbooks import sheet_period

    assert sheet_period(title, 2025) == period


def test_a_lists_total_row_is_checked_and_not_a_row(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.yml", DIBAO)
    portal.record(2025, "affairs", "2025-q1-dibao.csv", """\
        序号,户主,姓名,保障金额（元）
        1,张大山,张大山,300
        2,张大山,李秀英,300
        合计,,,600
        """)
    checked = portal.check()
    assert checked.problems.errors == []
    [notice] = checked.villages[0].records
    assert [row[2] for row in notice.table.rows] == ["张大山", "李秀英"]
    portal.record(2025, "affairs", "2025-q1-dibao.csv", """\
        户主,姓名,保障金额（元）
        张大山,张大山,300
        张大山,李秀英,300
        合计,,700
        """)
    [problem] = portal.check().problems.errors
    assert (problem.key, problem.location.line, problem.location.column) == ("table_total_wrong", 4, "保障金额（元）")


def test_a_sheets_fingerprint_is_its_own(portal):
    # A closed year's correction of one month must not make the workbook's other months "changed".
    sheet = [["日期", "凭证字号", "摘要", "科目名称", "借方", "贷方"], ["2025-{m}-03", "记-001", "租金", "经营收入", "{x}", ""]]
    facts = "".join(f"2025-{m}:\n  date: 2025-{m}-28\n  opening_balance: 0\n  closing_balance: 0\n" for m in ("01", "02"))

    def fingerprints(february: str) -> dict[str, str]:
        book = {"1月": [[c.format(m="01", x="100.00") for c in row] for row in sheet],
                "2月": [[c.format(m="02", x=february) for c in row] for row in sheet]}
        portal.write("content/testv/2025/finance/2025.xlsx", xlsx_bytes(book))
        portal.record(2025, "finance", "2025.yml", facts)
        return {record.id: record.source.fingerprint for record in portal.check().villages[0].records}

    before, after = fingerprints("200.00"), fingerprints("250.00")
    assert before["2025-01"] == after["2025-01"] and before["2025-02"] != after["2025-02"]


def test_headers_spaced_out_to_align_them(portal):
    assert checked_errors(portal, """\
        日  期,凭证号,摘    要,科  目,收入（元）,支出(元)
        2025-01-03,记-001,鱼塘承包费,经营收入,4800.00,
        2025-01-09,记-002,办公用品,管理费用,,312.50
        """) == []


def test_a_list_kept_a_sheet_a_quarter(portal):
    portal.record(2025, "affairs", "2025-dibao.yml", """\
        category: 低保救助
        issuer: 测试村村民委员会
        2025-Q1:
          title: 2025年第一季度低保名单公示
          date: 2025-03-05
          posted_until: 2025-03-12
        2025-Q2:
          title: 2025年第二季度低保名单公示
          date: 2025-06-05
          posted_until: 2025-06-12
        """)
    header = ["户主", "姓名", "身份证号", "保障金额"]
    portal.write("content/testv/2025/affairs/2025-dibao.xlsx", xlsx_bytes({
        "第一季度": [header, ["张大山", "张大山", "430521195001011234", 300]],
        "第二季度": [header, ["张大山", "张大山", "430521195001011234", 300], [None, "李秀英", "430521195203021245", 300]],
    }, {"第二季度": ["A2:A3"]}))
    checked = portal.check()
    assert checked.problems.errors == []
    records = sorted(checked.villages[0].records, key=lambda record: record.id)
    assert [(record.id, record.title, record.issuer, len(record.table.rows)) for record in records] == [
        ("2025-dibao-q1", "2025年第一季度低保名单公示", "测试村村民委员会", 1),
        ("2025-dibao-q2", "2025年第二季度低保名单公示", "测试村村民委员会", 2)]
    assert records[1].table.rows[1][:2] == ["张大山", "李秀英"]
    assert "430521195203021245" not in portal.page("affairs", "2025-dibao-q2", year=2025)


def test_a_sheets_dates_written_above_its_header(portal, catalogue):
    # The day each month went up and its posting period, on the sheet itself: in one cell, in two,
    # or as one 公示期; no YAML beside the workbook.
    lines = [["日期", "凭证字号", "摘要", "科目名称", "借方", "贷方", "余额"],
             ["", "", "上月结转", "", "", "", "{o}00.00"],
             ["2025-0{m}-03", "记-001", "鱼塘承包费", "经营收入", "100.00", "", "{b}00.00"]]

    def sheet(month: int, *above: list[str]) -> list[list[str]]:  # each month opens where the one before closed
        return [["测试村现金日记账"], *above,
                *[[cell.format(m=month, o=9 + month, b=10 + month) for cell in row] for row in lines]]
    book = {"1月": sheet(1, ["公布日期：2025年2月5日  公示至：2025年2月20日"]),
            "2月": sheet(2, ["公布日期：2025-03-05", "公示截止：2025-03-20"]),
            "3月": sheet(3, ["公示期：2025年4月3日至2025年4月18日"]),
            "4月": sheet(4, ["单位：元"])}
    portal.write("content/testv/2025/finance/2025.xlsx", xlsx_bytes(book))
    checked = portal.check()
    [missing] = checked.problems.errors
    assert missing.location.sheet.name == "4月"
    assert missing.message(catalogue).startswith("工作表“4月”：") and "公开日期" in missing.message(catalogue)
    records = sorted(checked.villages[0].records, key=lambda record: record.id)
    assert [(record.id, record.date.isoformat(), record.posted_until.isoformat()) for record in records] == [
        ("2025-01", "2025-02-05", "2025-02-20"), ("2025-02", "2025-03-05", "2025-03-20"),
        ("2025-03", "2025-04-03", "2025-04-18")]
    assert [len(record.lines) for record in records] == [1, 1, 1]  # the facts row is no line of the ledger


def test_a_sheets_date_that_disagrees_with_the_yaml_is_located(portal, catalogue):
    rows = [["公布日期：2025年2月6日", "公示至：2025年2月20日"],
            ["日期", "凭证字号", "摘要", "科目名称", "借方", "贷方"],
            ["2025-01-03", "记-001", "鱼塘承包费", "经营收入", "100.00", ""]]
    portal.write("content/testv/2025/finance/2025.xlsx", xlsx_bytes({"1月": rows, "2月": [["日期", "摘要"]]}))
    portal.record(2025, "finance", "2025.yml", """\
        opening_balance: 0.00
        2025-01:
          date: 2025-02-05
          posted_until: 2025-02-20
        """)
    problems = [problem for problem in portal.check().problems.errors if problem.key == "sheet_fact_differs"]
    [problem] = problems
    assert (problem.location.line, problem.location.sheet.name) == (1, "1月")
    message = problem.message(catalogue)
    assert "工作表“1月” 第1行" in message and "2025年2月6日" in message and "2025-02-05" in message and "2025.yml" in message
