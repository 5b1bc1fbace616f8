"""Fuzzing: arbitrary bytes and near-valid records thrown at every loader. Each input ends as
records or as located problems a clerk can read, never as an unhandled exception.

How many inputs were tried is printed at the end of the run ("fuzzing: inputs tried"). The
number per test is its share of 10,000 inputs (the cheap readers get most), times VP_FUZZ_SCALE
(default 1; `make fuzz` runs 20 times as many).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from generator.pipeline.check import check
from generator.inputs.messages import Catalogue
from generator.inputs.problems import Location, Problems
from generator.inputs.readers import Document, Table, read_csv, read_xlsx, read_yaml
from generator.inputs.word import read_word
from generator.domain.kinds import KINDS
from generator.tools.examples import example as example_record
from tests.input.conftest import FUZZ_COUNTS
from tests.word_files import notice_docx

SCALE = float(os.environ.get("VP_FUZZ_SCALE", "1"))


def fuzz(examples: int):
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


CHINESE = Catalogue()
ENGLISH = Catalogue("en")
YEAR = 2025
AS_OF = date(2025, 12, 31)


@pytest.fixture(scope="module")
def scratch() -> Path:
    with tempfile.TemporaryDirectory(prefix="vp-fuzz-") as folder:
        yield Path(folder)


def _read(reader, path: Path, raw: bytes):
    path.write_bytes(raw)
    problems = Problems()
    result = reader(path, Location(path.name), problems)
    assert result is not None or len(problems) > 0  # a value, or problems that say why not
    for problem in problems:
        assert problem.location.path == path.name
        problem.render(CHINESE), problem.render(ENGLISH)  # every problem has words, in both languages
    return result


# -- the readers, on arbitrary bytes ---------------------------------------------------------------

@fuzz(4000)
@given(raw=st.binary(max_size=600))
@example(raw=b"title: a\x07b\n")
@example(raw=b"a: &a [*a]\n")
@example(raw=b"\xef\xbb\xbfa: !!timestamp x\n")
def test_read_yaml_on_arbitrary_bytes(scratch, raw):
    FUZZ_COUNTS["read_yaml: arbitrary bytes"] += 1
    assert isinstance(_read(read_yaml, scratch / "t.yml", raw), Document | None)


@fuzz(3500)
@given(raw=st.binary(max_size=600))
@example(raw=b'a,b\n"1,2\n3,4\n')
def test_read_csv_on_arbitrary_bytes(scratch, raw):
    FUZZ_COUNTS["read_csv: arbitrary bytes"] += 1
    assert isinstance(_read(read_csv, scratch / "t.csv", raw), Table | None)


@fuzz(1500)
@given(raw=st.binary(max_size=600))
def test_read_xlsx_on_arbitrary_bytes(scratch, raw):
    FUZZ_COUNTS["read_xlsx: arbitrary bytes"] += 1
    assert isinstance(_read(read_xlsx, scratch / "t.xlsx", raw), Table | None)


# -- workbooks with whatever a clerk can put in a cell ----------------------------------------------

CELL = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**9, max_value=10**9),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.times(),
    st.text(max_size=30),
    st.sampled_from(["=1/0", "=A1+1", "=SUM(B2:B9)", "1,234.50", "1.234,50", "3/4/2025", "#N/A", "２０２５年３月１日",
                     "13807391234", "430524196503127611"]),
)


def _workbook(rows: list[list[Any]], sheets: list[str]) -> bytes:
    book = Workbook()
    book.active.title = sheets[0]
    for name in sheets[1:]:
        book.create_sheet(name)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                # What Excel itself cannot hold (control characters) a clerk cannot type either.
                value = "".join(char for char in value if char >= " " or char in "\t\n\r")
            if isinstance(value, float) and value != value:
                value = None
            cells.append(value)
        book.active.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SHEET_NAME = st.text(alphabet=st.characters(blacklist_characters="[]:*?/\\'", blacklist_categories=["Cs", "Cc"]),
                     min_size=1, max_size=12).filter(lambda name: name.strip() and name.lower() != "history")


@fuzz(300)
@given(rows=st.lists(st.lists(CELL, max_size=8), max_size=8), sheets=st.lists(SHEET_NAME, min_size=1, max_size=3,
                                                                           unique_by=str.lower))
def test_read_xlsx_on_any_cells(scratch, rows, sheets):
    FUZZ_COUNTS["read_xlsx: workbooks of arbitrary cells"] += 1
    try:
        raw = _workbook(rows, sheets)
    except (ValueError, TypeError):  # openpyxl refuses to write it: nothing a clerk could save
        return
    table = _read(read_xlsx, scratch / "t.xlsx", raw)
    if table is not None:
        assert all(isinstance(cell, str) for row in table.rows for cell in row.cells.values())
        assert [row.line for row in table.rows] == sorted({row.line for row in table.rows})


def _valid_workbook() -> bytes:
    return _workbook([["日期", "凭证号", "摘要", "科目", "收入", "支出"],
                      [date(2025, 1, 3), "记-001", "鱼塘承包费", "经营收入", 4800, None],
                      [date(2025, 1, 9), "记-002", "办公用品", "管理费用", None, 312.5]], ["收支"])


VALID_XLSX = _valid_workbook()


@pytest.mark.filterwarnings("ignore::UserWarning")
@fuzz(600)
@given(data=st.data())
def test_read_xlsx_on_damaged_workbooks(scratch, data):
    """A real workbook with its inner XML damaged: what a broken USB stick or a bad converter gives."""
    FUZZ_COUNTS["read_xlsx: damaged workbooks"] += 1
    _read(read_xlsx, scratch / "t.xlsx", _damaged(VALID_XLSX, data))


def _damaged(package: bytes, data: st.DataObject) -> bytes:
    """An Office file (a zip of XML) with one part damaged, or left out."""
    source = zipfile.ZipFile(io.BytesIO(package))
    names = source.namelist()
    victim = data.draw(st.sampled_from(names))
    content = source.read(victim)
    position = data.draw(st.integers(0, len(content)))
    how = data.draw(st.sampled_from(["insert", "delete", "replace", "truncate", "drop"]))
    noise = data.draw(st.binary(min_size=1, max_size=20) | st.sampled_from(
        [b"<", b">", b"&", b"<c r=\"A1\" t=\"e\"><v>#REF!</v></c>", b"<v>1e400</v>", b"t=\"d\"", b"\"", b"<row>"]))
    if how == "insert":
        content = content[:position] + noise + content[position:]
    elif how == "delete":
        content = content[:position] + content[position + len(noise):]
    elif how == "replace":
        content = content[:position] + noise + content[position + len(noise):]
    elif how == "truncate":
        content = content[:position]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            if name == victim and how == "drop":
                continue
            target.writestr(name, content if name == victim else source.read(name))
    return out.getvalue()


def _valid_docx() -> bytes:
    """A Word notice with a heading, bold, a list, a table and a picture; its styles cut to the
    two it uses (python-docx's template carries 800 KB of them, most of a read's time)."""
    with tempfile.TemporaryDirectory(prefix="vp-fuzz-") as folder:
        made = io.BytesIO(notice_docx(Path(folder) / "valid.docx", "通知", [
            ("p", "各位村民："), ("bold", ("补贴", "按时", "发放。")), ("numbers", ["核实", "公示"]),
            ("table", [["姓名", "金额"], ["张三", "300"]]), ("image", (8, 6, "公示栏"))]).read_bytes())
    styles = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w='
              b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              b'<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
              b'<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/></w:style></w:styles>')
    source, out = zipfile.ZipFile(made), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != "word/stylesWithEffects.xml":
                target.writestr(name, styles if name == "word/styles.xml" else source.read(name))
    return out.getvalue()


VALID_DOCX = _valid_docx()


@fuzz(200)
@given(data=st.data())
def test_read_word_on_damaged_documents(scratch, data):
    """A real Word notice with its inner XML damaged: a body, or located problems, never an exception."""
    FUZZ_COUNTS["read_word: damaged documents"] += 1
    _read(read_word, scratch / "t.docx", _damaged(VALID_DOCX, data))


# -- near-valid records, through load → model → check -----------------------------------------------

def _seeds() -> list[tuple[str, dict[str, Any], list[dict[str, str]] | None]]:
    """A valid record of every kind (the examples `village-portal new` finds), to be damaged."""
    seeds = []
    for section, kind in KINDS.items():
        found = example_record(kind, YEAR)
        seeds.append((section, found.data, found.rows))
    return seeds


SEEDS = _seeds()
ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
    st.dates(), st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5),
                                                                           max_size=2),
    st.sampled_from(["", "2025-13-01", "3/4/2025", "1.234,50", "12.345", "1.2万", "-0", "NaN", ".inf", "2025-Q5",
                     "13807391234", "<script>alert(1)</script>", "合同", "经营收入", "\u0000", "\ufeff", "　",
                     1e26, -1e300, 10**40, "9" * 60]),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, item in items:
        path = prefix + (key,)
        found.append(path)
        found += _paths(item, path)
    return found


def _apply(data: Any, path: tuple[Any, ...], value: Any, remove: bool) -> None:
    for part in path[:-1]:
        data = data[part]
    if remove:
        del data[path[-1]]
    else:
        data[path[-1]] = value


def _yaml_text(data: dict[str, Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(key): plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, (Decimal, date, time)) and not isinstance(value, datetime):
            return str(value)
        return value
    return yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False)


@fuzz(200)
@given(data=st.data())
def test_near_valid_records_end_as_records_or_located_problems(scratch, data):
    FUZZ_COUNTS["check: near-valid records of every kind"] += 1
    section, seed, rows = data.draw(st.sampled_from(SEEDS), label="kind")
    record = yaml.safe_load(_yaml_text(seed))
    rows = [dict(row) for row in rows] if rows is not None else None
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        paths = _paths(record)
        what = data.draw(st.sampled_from(["drop", "set", "add", "row"] if rows else ["drop", "set", "add"]))
        if what == "drop" and paths:
            _apply(record, data.draw(st.sampled_from(paths)), None, remove=True)
        elif what == "set" and paths:
            _apply(record, data.draw(st.sampled_from(paths)), data.draw(ANY_VALUE), remove=False)
        elif what == "add":
            record[data.draw(st.text(min_size=1, max_size=8))] = data.draw(ANY_VALUE)
        elif what == "row" and rows:
            row = rows[0]
            header = data.draw(st.sampled_from(list(row)))
            change = data.draw(st.sampled_from(["cell", "drop_column", "extra", "duplicate_row"]))
            if change == "cell":
                row[header] = str(data.draw(ANY_VALUE))
            elif change == "drop_column":
                for each in rows:
                    each.pop(header, None)
            elif change == "extra":
                row[data.draw(st.text(min_size=1, max_size=6))] = data.draw(st.text(max_size=10))
            else:
                rows.append(dict(row))
    text = _yaml_text(record) if isinstance(record, dict) else "x"
    raw = text.encode("utf-8")
    if data.draw(st.booleans(), label="damage bytes"):
        position = data.draw(st.integers(0, len(raw)))
        raw = raw[:position] + data.draw(st.binary(min_size=1, max_size=8)) + raw[position:]
    encoding = data.draw(st.sampled_from(["utf-8", "gb18030", "utf-16"]), label="encoding")
    if encoding != "utf-8":
        raw = raw.decode("utf-8", errors="replace").encode(encoding, errors="replace")

    root = scratch / "portal"
    shutil.rmtree(root, ignore_errors=True)
    folder = root / "content" / "testv" / str(YEAR) / section
    folder.mkdir(parents=True)
    (root / "site_config").mkdir()
    (root / "site_config" / "testv.yml").write_text("name: 测试村\ntownship:\n  name: 石桥镇\n", encoding="utf-8")
    (folder / "2025-fuzz.yml").write_bytes(raw)
    written = {"content/testv/2025/" + section + "/2025-fuzz.yml"}
    if rows is not None:
        headers = list(dict.fromkeys(header for row in rows for header in row))
        if data.draw(st.booleans(), label="as xlsx"):
            def typeable(text: str) -> str | None:  # what a clerk can type into a cell
                return "".join(char for char in text if char >= " ") or None

            book = Workbook()
            book.active.append([typeable(header) for header in headers])
            for row in rows:
                book.active.append([typeable(row.get(header, "")) for header in headers])
            book.save(folder / "2025-fuzz.xlsx")
            written.add(f"content/testv/2025/{section}/2025-fuzz.xlsx")
        else:
            lines = [",".join(headers)] + [",".join('"' + row.get(h, "").replace('"', '""') + '"' for h in headers)
                                          for row in rows]
            (folder / "2025-fuzz.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
            written.add(f"content/testv/2025/{section}/2025-fuzz.csv")

    cwd = os.getcwd()
    os.chdir(root)
    try:
        checked = check(Path("content"), Path("site_config"), as_of=AS_OF)
    finally:
        os.chdir(cwd)
    for problem in checked.problems:
        assert problem.location.path, problem
        assert problem.location.path in written or problem.location.path.startswith(("content", "site_config")), problem
        problem.render(CHINESE), problem.render(ENGLISH)
    records = [record for village in checked.villages for record in village.records]
    if not checked.problems.errors:
        assert len(records) == 1  # no error: the record is there
