"""Readers: the clerk's YAML and CSV files become plain data that remembers its lines.

A reader never raises on bad input: it reports a problem at the file and line a clerk can open.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.inputs.problems import Location, Problems
from generator.inputs.readers import Document, Table, read_csv, read_yaml


def _yaml(tmp_path: Path, text: str | bytes) -> tuple[Document | None, Problems]:
    path = tmp_path / "2025-03-dibao.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    problems = Problems()
    return read_yaml(path, Location("content/v/2025/affairs/2025-03-dibao.yml"), problems), problems


def _csv(tmp_path: Path, raw: bytes) -> tuple[Table | None, Problems]:
    path = tmp_path / "2025-03-dibao.csv"
    path.write_bytes(raw)
    problems = Problems()
    return read_csv(path, Location("content/v/2025/affairs/2025-03-dibao.csv"), problems), problems


def _only(problems: Problems) -> tuple[str, int | None, str]:
    assert len(problems) == 1, [(str(p.location), p.key) for p in problems]
    problem = next(iter(problems))
    return problem.location.path, problem.location.line, problem.key


# -- YAML syntax errors: the file and the line the clerk has to fix ------------------------------

@pytest.mark.parametrize(("text", "line"), [
    pytest.param("title: 低保名单\ndate 2025-03-01\ncategory: 低保救助\n", 2, id="missing-colon"),
    pytest.param("title: 低保名单\ncategory: 低保救助\nissuer 村委会\n", 3, id="missing-colon-on-last-line"),
    pytest.param("title: 低保名单\n\n\ndate 2025-03-01\n\nbody: x\n", 4, id="missing-colon-after-blank-lines"),
    pytest.param("township:\n  name: 石桥镇\n  county 云溪县\n  x: 1\n", 3, id="missing-colon-nested"),
    pytest.param("title: 低保名单\n  date: 2025-03-01\n", 2, id="indented-too-far"),
    pytest.param("township:\n  name: 石桥镇\n county: 云溪县\n", 3, id="indented-too-little"),
    pytest.param("title: 低保名单\n\tdate: 2025-03-01\n", 2, id="tab-indent"),
    pytest.param("title: 低保名单\nbody:\n\t- 第一条\n", 3, id="tab-in-list"),
    pytest.param("title: 低保: 名单\n", 1, id="second-colon-in-value"),
])
def test_yaml_syntax_error_is_a_problem_at_the_right_line(tmp_path: Path, text: str, line: int, catalogue):
    document, problems = _yaml(tmp_path, text)
    assert document is None
    path, found_line, key = _only(problems)
    assert (path, found_line, key) == ("content/v/2025/affairs/2025-03-dibao.yml", line, "yaml_syntax")
    # The clerk reads a sentence in Chinese, with the parser's detail in it.
    message = next(iter(problems)).render(catalogue)
    assert message.startswith(f"content/v/2025/affairs/2025-03-dibao.yml:{line}: ")
    assert "文件格式有误" in message


def test_yaml_list_instead_of_mapping_is_a_problem(tmp_path: Path):
    document, problems = _yaml(tmp_path, "- 张三\n- 李四\n")
    assert document is None
    assert _only(problems)[1:] == (1, "yaml_not_mapping")


def test_empty_yaml_file_is_an_empty_record_not_a_crash(tmp_path: Path):
    document, problems = _yaml(tmp_path, "")
    assert document is not None and document.data == {}
    assert len(problems) == 0


def test_python_tags_are_refused_not_executed(tmp_path: Path):
    document, problems = _yaml(tmp_path, "title: !!python/object/apply:os.system ['echo hi']\n")
    assert document is None
    assert _only(problems)[2] == "yaml_syntax"


# -- amounts are exact decimals ------------------------------------------------------------------

def test_amounts_are_read_as_exact_decimals(tmp_path: Path):
    document, problems = _yaml(tmp_path, "a: 0.1\nb: 0.2\nopening_balance: 512806.40\nc: 1_000.05\n")
    assert len(problems) == 0 and document is not None
    data = document.data
    assert all(isinstance(data[key], Decimal) for key in ("a", "b", "opening_balance", "c"))
    assert data["a"] + data["b"] == Decimal("0.3")
    assert data["opening_balance"] == Decimal("512806.40")
    assert str(data["opening_balance"]) == "512806.40"  # the cents the clerk wrote stay
    assert data["c"] == Decimal("1000.05")


def test_whole_numbers_stay_integers(tmp_path: Path):
    document, _ = _yaml(tmp_path, "households: 300\n")
    assert document is not None and document.data["households"] == 300


def test_infinite_amount_stays_a_value_for_validation_to_refuse(tmp_path: Path):
    # readers._decimal says: ".inf and .nan stay floats; validation rejects them as amounts".
    document, problems = _yaml(tmp_path, "title: x\nopening_balance: .inf\n")
    assert len(problems) == 0
    assert document is not None and document.data["opening_balance"] == float("inf")


# -- dates ---------------------------------------------------------------------------------------

def test_real_dates_are_dates(tmp_path: Path):
    document, _ = _yaml(tmp_path, "date: 2025-03-01\nposted_until: 2025-3-10\n")
    assert document is not None
    assert document.data["date"] == date(2025, 3, 1)
    # Not a YAML date (one-digit month); the model's date parser reads it later.
    assert document.data["posted_until"] == "2025-3-10"


@pytest.mark.parametrize("impossible", ["2025-13-01", "2025-02-29", "2025-04-31"])
def test_impossible_date_stays_text_for_the_model_to_name(tmp_path: Path, impossible: str):
    document, problems = _yaml(tmp_path, f"title: x\ndate: {impossible}\n")
    assert len(problems) == 0
    assert document is not None and document.data["date"] == impossible
    assert document.line_of("date") == 2


# -- where each key is -----------------------------------------------------------------------

def test_document_knows_the_line_of_every_key(tmp_path: Path):
    text = "title: 值班表\nbody: |\n  第一行\n  第二行\nlines:\n  - date: 2025-01-03\n    voucher: 记-001\n  - date: 2025-01-04\n    voucher: 记-002\n"
    document, _ = _yaml(tmp_path, text)
    assert document is not None
    assert document.line_of("title") == 1
    assert document.line_of("body") == 2
    assert document.line_of("lines.1") == 8
    assert document.line_of("lines.1.voucher") == 9
    # A key the file does not have is located at its nearest known parent, else the file's top.
    assert document.line_of("lines.1.income") == 8
    assert document.line_of("posted_until") == 1


# -- encodings -------------------------------------------------------------------------------

CSV_TEXT = "姓名,身份证号,金额\n张三,430521********1234,300.00\n李四,430521********5678,450.50\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_reads_the_same_in_every_encoding_excel_saves(tmp_path: Path, encoding: str):
    table, problems = _csv(tmp_path, CSV_TEXT.encode(encoding))
    assert len(problems) == 0 and table is not None
    assert table.columns == ["姓名", "身份证号", "金额"]  # no BOM glued to the first header
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, {"姓名": "张三", "身份证号": "430521********1234", "金额": "300.00"}),
        (3, {"姓名": "李四", "身份证号": "430521********5678", "金额": "450.50"}),
    ]


def test_yaml_in_gbk_reads_like_utf8(tmp_path: Path):
    document, problems = _yaml(tmp_path, "title: 河口村低保名单\ncategory: 低保救助\n".encode("gb18030"))
    assert len(problems) == 0 and document is not None
    assert document.data == {"title": "河口村低保名单", "category": "低保救助"}


def test_undecodable_file_is_an_encoding_problem(tmp_path: Path):
    table, problems = _csv(tmp_path, b"\xff\xfe\xff\xfe,\xff\n")
    assert table is None
    assert _only(problems) == ("content/v/2025/affairs/2025-03-dibao.csv", None, "encoding")


# -- tables --------------------------------------------------------------------------------------

def test_row_with_more_cells_than_headers_is_located(tmp_path: Path):
    table, problems = _csv(tmp_path, "姓名,金额\n张三,300\n李四,450,多写了一格\n".encode())
    assert table is None
    path, line, key = _only(problems)
    assert (line, key) == (3, "table_extra_cells")
    assert next(iter(problems)).params == {"expected": 2, "found": 3}


def test_trailing_empty_cells_are_not_extra(tmp_path: Path):
    # Excel writes "张三,300,," when a column beyond the headers was once touched.
    table, problems = _csv(tmp_path, "姓名,金额\n张三,300,,\n李四\n".encode())
    assert len(problems) == 0 and table is not None
    assert [row.cells for row in table.rows] == [{"姓名": "张三", "金额": "300"}, {"姓名": "李四", "金额": ""}]


def test_duplicate_header_is_located_on_the_header_line(tmp_path: Path):
    table, problems = _csv(tmp_path, "\n姓名,金额,姓名\n张三,300,李四\n".encode())
    assert table is None
    assert _only(problems)[1:] == (2, "table_duplicate_header")
    assert next(iter(problems)).params == {"column": "姓名"}


def test_blank_header_is_located_on_the_header_line(tmp_path: Path):
    table, problems = _csv(tmp_path, "姓名, ,金额\n张三,x,300\n".encode())
    assert table is None
    assert _only(problems)[1:] == (1, "table_blank_header")


def test_empty_table_is_a_problem(tmp_path: Path):
    for raw in (b"", b"\n\n", b" , ,\n,,\n"):
        table, problems = _csv(tmp_path, raw)
        assert table is None
        assert _only(problems)[1:] == (1, "table_empty")


def test_blank_rows_are_skipped_and_later_rows_keep_their_line_numbers(tmp_path: Path):
    raw = "\r\n姓名,金额\r\n张三,300\r\n\r\n ,  \r\n李四,450\r\n,,\r\n王五,100\r\n".encode()
    table, problems = _csv(tmp_path, raw)
    assert len(problems) == 0 and table is not None
    assert [(row.line, row.cells["姓名"]) for row in table.rows] == [(3, "张三"), (6, "李四"), (8, "王五")]


def test_cells_and_headers_are_trimmed(tmp_path: Path):
    table, _ = _csv(tmp_path, " 姓名 , 金额\n 张三 ,  300 \n".encode())
    assert table is not None
    assert table.columns == ["姓名", "金额"]
    assert table.rows[0].cells == {"姓名": "张三", "金额": "300"}


def test_cell_with_a_line_break_keeps_the_rows_after_it_on_their_lines(tmp_path: Path):
    table, problems = _csv(tmp_path, '姓名,备注\n张三,"第一行\n第二行"\n李四,无\n'.encode())
    assert len(problems) == 0 and table is not None
    assert table.rows[0].cells["备注"] == "第一行\n第二行"
    assert table.rows[1].line == 4


def test_row_with_a_line_break_in_a_cell_is_located_where_it_starts(tmp_path: Path):
    table, problems = _csv(tmp_path, '姓名,备注\n张三,"第一行\n第二行"\n李四,无\n'.encode())
    assert table is not None
    assert table.rows[0].line == 2


def test_unclosed_quote_is_a_problem_not_lost_rows(tmp_path: Path):
    table, problems = _csv(tmp_path, '姓名,金额\n"张三,300\n李四,450\n王五,100\n'.encode())
    assert len(problems) > 0 or (table is not None and len(table.rows) == 3)


@pytest.mark.parametrize("raw", [
    pytest.param(b"title: \xe4\xbd\x8e\xe4\xbf\x9d\x0b\xe5\x90\x8d\xe5\x8d\x95\n", id="vertical-tab-from-word"),
    pytest.param(b"title: a\x07b\n", id="bell"),
    pytest.param(b"title: a\x00b\n", id="nul"),
    pytest.param("title: test\n".encode("utf-16-le"), id="utf-16-without-bom"),
])
def test_yaml_with_control_characters_is_a_problem_not_a_crash(tmp_path: Path, raw: bytes):
    document, problems = _yaml(tmp_path, raw)
    assert document is None
    assert _only(problems)[0] == "content/v/2025/affairs/2025-03-dibao.yml"


@pytest.mark.parametrize("raw", [
    pytest.param(b"a,b\x00\n1,2\n", id="nul"),
    pytest.param("a,b\n1,2\n".encode("utf-16-le"), id="utf-16-without-bom"),
    pytest.param(b"a,b\r1,2\r", id="old-mac-line-ends"),
])
def test_csv_with_odd_bytes_never_raises(tmp_path: Path, raw: bytes):
    table, problems = _csv(tmp_path, raw)
    assert table is not None or len(problems) > 0


@pytest.mark.parametrize("text", [
    pytest.param("date: !!timestamp 三月一日\n", id="bad-explicit-timestamp"),
    pytest.param("ok: !!bool 是\n", id="bad-explicit-bool"),
    pytest.param("n: !!int ''\n", id="empty-explicit-int"),
    pytest.param("a: &a [*a]\n", id="self-referencing-alias"),
])
def test_yaml_explicit_tags_and_alias_loops_are_problems_not_crashes(tmp_path: Path, text: str):
    document, problems = _yaml(tmp_path, text)
    assert document is None and len(problems) == 1
