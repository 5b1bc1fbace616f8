"""Clerks' spreadsheets: Excel workbooks (.xlsx) and CSV in what Excel saves on Chinese Windows.

Workbooks are written here with openpyxl, as Excel would save them: dates in date cells, amounts
as numbers (or as text, when the clerk typed "1,200.50元"), long numbers as text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from generator.inputs.problems import Location, Problems
from generator.inputs.readers import TABLE_READERS, read_csv, read_xlsx
from tests.unit._support import resident_id

LEDGER_YML = """\
period: 2025-01
date: 2025-02-05
posted_until: 2025-02-19
opening_balance: 1000.00
closing_balance: {closing}
"""
HEADERS = ["日期", "凭证号", "摘要", "科目", "收入", "支出"]


def workbook(*rows: list, title: str = "Sheet1", extra_sheets: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        book.create_sheet(name).append(["别的表", "不读"])
    from io import BytesIO

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(tmp_path: Path, raw: bytes, name: str = "2025-01.xlsx"):
    path = tmp_path / name
    path.write_bytes(raw)
    problems = Problems()
    return read_xlsx(path, Location(f"content/v/2025/finance/{name}"), problems), problems


def test_xlsx_is_a_table_reader():
    assert TABLE_READERS[".xlsx"] is read_xlsx and TABLE_READERS[".csv"] is read_csv


def test_xlsx_cells_become_the_text_a_clerk_typed(tmp_path: Path):
    table, problems = read(tmp_path, workbook(
        HEADERS,
        [date(2025, 1, 3), "记-001", "鱼塘承包费", "经营收入", 4800, None],
        [datetime(2025, 1, 9), "记-002", "办公用品", "管理费用", None, 312.5],
        ["2025/1/10", "记-003", "电费", "管理费用", None, "1,200.50元"],
        [datetime(2025, 1, 11, 9, 30), 4, "带时间的日期", "管理费用", None, 0.1],
    ))
    assert len(problems) == 0 and table is not None
    assert table.columns == HEADERS
    assert [row.line for row in table.rows] == [2, 3, 4, 5]  # Excel's row numbers
    assert [row.cells["日期"] for row in table.rows] == ["2025-01-03", "2025-01-09", "2025/1/10", "2025-01-11 09:30"]
    assert [row.cells["收入"] for row in table.rows] == ["4800", "", "", ""]
    assert [row.cells["支出"] for row in table.rows] == ["", "312.5", "1,200.50元", "0.1"]
    assert table.rows[3].cells["凭证号"] == "4"


def test_xlsx_ledger_checks_like_csv_with_exact_amounts(portal):
    portal.record(2025, "finance", "2025-01.yml", LEDGER_YML.format(closing="5487.50"))
    portal.write("content/testv/2025/finance/2025-01.xlsx", workbook(
        HEADERS,
        [date(2025, 1, 3), "记-001", "鱼塘承包费", "经营收入", 4800, None],
        [date(2025, 1, 9), "记-002", "办公用品", "管理费用", None, 312.5],
    ))
    checked = portal.check()
    assert checked.problems.errors == []
    [ledger] = checked.villages[0].records
    assert [line.amount for line in ledger.lines] == [Decimal("4800.00"), Decimal("-312.50")]
    assert [str(line.amount) for line in ledger.lines] == ["4800.00", "-312.50"]


def test_bad_cell_names_the_row_and_the_cell(portal, catalogue, english):
    portal.record(2025, "finance", "2025-01.yml", LEDGER_YML.format(closing="1000.00"))
    portal.write("content/testv/2025/finance/2025-01.xlsx", workbook(
        ["河口村2025年1月收支明细"],  # a title above the headers, as clerks' sheets have
        HEADERS,
        [date(2025, 1, 3), "记-001", "鱼塘承包费", "经营收入", "一千", None],
    ))
    [problem] = portal.check().problems.errors
    assert (problem.location.path, problem.location.line, problem.location.column, problem.location.cell) == (
        "content/testv/2025/finance/2025-01.xlsx", 3, "收入", "E3")
    message = problem.render(catalogue)
    assert message.startswith("content/testv/2025/finance/2025-01.xlsx:3: 错误：第3行 E列（收入）：")
    assert "一千" in message and "12300.50" in message  # what is wrong, and what would be right
    assert problem.as_json(catalogue)["cell"] == "E3"
    assert "row 3, column E (收入)" in problem.render(english)


def test_float_noise_that_would_move_money_is_an_error_not_rounded(portal, catalogue):
    portal.record(2025, "finance", "2025-01.yml", LEDGER_YML.format(closing="1012.35"))
    # 12.345 is stored; Excel would show 12.35 with two decimals. Rounding would be a guess.
    portal.write("content/testv/2025/finance/2025-01.xlsx", workbook(
        HEADERS, [date(2025, 1, 3), "记-001", "利息", "其他收入", 12.345, None]))
    [problem] = portal.check().problems.errors
    assert (problem.key, problem.location.cell) == ("amount_dot_or_thousands", "E2")
    # What a formula (=0.1+0.2) leaves in the file Excel saves: the float, to 17 digits.
    raw = patch_cell(workbook(HEADERS, [date(2025, 1, 3), "记-001", "利息", "其他收入", 1, None]),
                     b'<c r="E2" t="n"><v>1</v></c>', b'<c r="E2"><f>0.1+0.2</f><v>0.30000000000000004</v></c>')
    portal.write("content/testv/2025/finance/2025-01.xlsx", raw)
    [problem] = portal.check().problems.errors
    assert (problem.key, problem.location.cell) == ("amount_cents", "E2")
    assert "0.30000000000000004" in problem.message(catalogue) and "ROUND" in problem.message(catalogue)


def patch_cell(raw: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook with one cell's XML replaced, for what openpyxl cannot write but Excel does."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in data, data
                data = data.replace(old, new)
            target.writestr(item, data)
    return out.getvalue()


def test_excel_error_values_and_long_numbers_are_located(tmp_path: Path, catalogue):
    table, problems = read(tmp_path, workbook(
        ["姓名", "身份证号", "金额"],
        ["张三", 430524196503127611, "=1/0"],  # the ID typed into a number cell; a formula never computed
    ))
    assert table is None
    found = {(problem.key, problem.location.cell) for problem in problems}
    assert found == {("xlsx_long_number", "B2"), ("xlsx_formula_without_value", "C2")}
    assert all("第2行" in problem.message(catalogue) for problem in problems)


def test_error_cell_as_excel_saves_it(tmp_path: Path):
    raw = patch_cell(workbook(["姓名", "金额"], ["张三", 1]),
                     b'<c r="B2" t="n"><v>1</v></c>', b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    table, problems = read(tmp_path, raw)
    assert table is None
    [problem] = problems
    assert (problem.key, problem.location.cell, problem.params["value"]) == ("xlsx_error_cell", "B2", "#DIV/0!")


def test_the_sheet_named_like_the_record_else_the_first(tmp_path: Path):
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["这一页是说明"])
    ledger = book.create_sheet("2025-01")
    ledger.append(["姓名", "金额"])
    ledger.append(["张三", 5])
    path = tmp_path / "2025-01.xlsx"
    book.save(path)
    problems = Problems()
    table = read_xlsx(path, Location("2025-01.xlsx"), problems)
    assert table is not None and table.rows[0].cells == {"姓名": "张三", "金额": "5"}
    assert table.location.sheet.name == "2025-01"  # several sheets: problems name the sheet
    # No sheet named like the record: the first one.
    table, problems = read(tmp_path, workbook(["姓名"], ["李四"], title="名单", extra_sheets=("备注",)), "other.xlsx")
    assert table is not None and table.rows[0].cells == {"姓名": "李四"}


def test_a_problem_on_a_named_sheet_says_which_sheet(tmp_path: Path, catalogue):
    table, problems = read(tmp_path, workbook(["姓名", "姓名"], ["a", "b"], title="名单", extra_sheets=("备注",)))
    [problem] = problems
    assert problem.key == "table_duplicate_header"
    assert problem.message(catalogue).startswith("工作表“名单” 第1行")


def test_damaged_or_foreign_files_are_problems_not_crashes(tmp_path: Path):
    for raw in (b"", b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0 old .xls", workbook(["a"])[:300]):
        table, problems = read(tmp_path, raw)
        assert table is None
        assert [problem.key for problem in problems] == ["xlsx_unreadable"]


def test_long_numbers_kept_as_text_are_masked_in_lists(portal):
    number = resident_id("43052119800101123")
    portal.record(2025, "affairs", "2025-q1-dibao.yml", NOTICE)
    portal.write("content/testv/2025/affairs/2025-q1-dibao.xlsx",
                 workbook(["户主姓名", "身份证号", "联系电话"], ["王建国", number, 13807391234]))
    checked = portal.check()
    assert checked.problems.errors == []
    [record] = checked.villages[0].records
    assert record.table.rows == [["王建国", number[:2] + "*" * 13 + number[-3:], "138****1234"]]


NOTICE = """\
title: 2025年第一季度低保名单公示
date: 2025-03-01
posted_until: 2025-03-10
category: 低保救助
"""


# -- CSV as Excel saves it -----------------------------------------------------------------------

def test_gbk_csv_from_excel_on_chinese_windows(portal):
    portal.record(2025, "affairs", "2025-q1-dibao.yml", NOTICE)
    portal.write("content/testv/2025/affairs/2025-q1-dibao.csv",
                 "户主姓名,组别,保障人数,月保障金额(元)\r\n王建国,河口一组,2,860.00\r\n", encoding="gbk")
    checked = portal.check()
    assert checked.problems.errors == []
    [record] = checked.villages[0].records
    assert record.table.columns == ["户主姓名", "组别", "保障人数", "月保障金额(元)"]
    assert record.table.rows == [["王建国", "河口一组", "2", "860.00"]]


def test_gbk_csv_with_a_european_amount_names_line_and_column(portal, catalogue):
    portal.record(2025, "finance", "2025-01.yml", LEDGER_YML.format(closing="2234.50"))
    portal.write("content/testv/2025/finance/2025-01.csv",
                 ",".join(HEADERS) + '\r\n2025-01-03,记-001,承包费,经营收入,"1.234,50",\r\n', encoding="gbk")
    [problem] = portal.check().problems.errors
    assert (problem.location.line, problem.location.column, problem.key) == (2, "收入", "amount_separators")
    assert "1234.50" in problem.render(catalogue)


def test_a_record_with_both_csv_and_xlsx_is_an_error(portal):
    portal.record(2025, "finance", "2025-01.yml", LEDGER_YML.format(closing="1000.00"))
    portal.write("content/testv/2025/finance/2025-01.csv", ",".join(HEADERS) + "\n")
    portal.write("content/testv/2025/finance/2025-01.xlsx", workbook(HEADERS))
    [problem] = portal.check().problems.errors
    assert problem.key == "table_twice"
    assert problem.params["files"] == "2025-01.csv、2025-01.xlsx"


def test_old_excel_files_are_asked_to_be_saved_as_xlsx(portal, catalogue):
    portal.record(2025, "finance", "2025-01.yml", LEDGER_YML.format(closing="1000.00"))
    portal.write("content/testv/2025/finance/2025-01.xls", b"\xd0\xcf\x11\xe0")
    [problem] = portal.check().problems.errors
    assert problem.key == "table_format_unsupported"
    assert ".xlsx" in problem.message(catalogue)


def test_upper_case_suffix_is_read(portal):
    portal.record(2025, "finance", "2025-01.yml", LEDGER_YML.format(closing="1100.00"))
    portal.write("content/testv/2025/finance/2025-01.XLSX",
                 workbook(HEADERS, [date(2025, 1, 3), "记-001", "承包费", "经营收入", 100, None]))
    checked = portal.check()
    assert checked.problems.errors == []
    assert len(checked.villages[0].records[0].lines) == 1


@pytest.mark.parametrize("csv_text", ["姓名,金额,,\n张三,1,,\n", "姓名,金额\n张三,1\n"])
def test_trailing_blank_header_cells_are_not_a_column(tmp_path: Path, csv_text: str):
    path = tmp_path / "t.csv"
    path.write_text(csv_text, encoding="utf-8")
    problems = Problems()
    table = read_csv(path, Location("t.csv"), problems)
    assert table is not None and table.columns == ["姓名", "金额"] and len(problems) == 0


def test_a_blank_header_over_a_first_row_of_words_is_still_a_blank_header(tmp_path: Path):
    # Issue 26 reads a two-row header (金额 over 收入/支出); a header with a blank over a row of
    # data is not one, and stays the error it was.
    table, problems = read(tmp_path, workbook(["姓名", None, "组别"], ["张三", "男", "一组"], ["李四", "女", "二组"]))
    assert table is None and [problem.key for problem in problems] == ["table_blank_header"]
