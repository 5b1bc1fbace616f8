"""Starting points: `village-portal new` writes a commented skeleton, `template` an .xlsx, for every
kind there is (the kinds are read from generator.domain.kinds.KINDS, so a new kind is tested too)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Location, Problems
from generator.inputs.readers import read_xlsx, read_yaml
from generator.domain.kinds import KINDS
from generator.tools.fields import NESTED, NESTED_LIST, TABLE, describe, table_headers
from generator.tools.scaffold import ScaffoldError, new_record, skeleton, write_template
from generator.tools.examples import example
from tests.conftest import ROOT

YEAR = 2025
SECTIONS = list(KINDS)
# The kinds whose table lists people or households (a 序号 column in their template).
PEOPLE = [section for section, kind in KINDS.items() if {"person", "household"} & set(kind.table_columns.values())]


def required_paths(docs, prefix: str = "") -> list[str]:
    """Dotted keys of every required field, nested ones under required parents too."""
    paths = []
    for doc in docs:
        if doc.kind == TABLE or not doc.required:
            continue
        paths.append(prefix + doc.key)
        if doc.kind == NESTED:
            paths += required_paths(doc.children, f"{prefix}{doc.key}.")
        if doc.kind == NESTED_LIST:
            paths += required_paths(doc.children, f"{prefix}{doc.key}.0.")
    return paths


def has_path(data: Any, dotted: str) -> bool:
    for part in dotted.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return False
    return True


def fill(skeleton_data: Any, example_data: Any) -> Any:
    """The skeleton with the example's values; keys the example leaves out are deleted."""
    if isinstance(skeleton_data, dict):
        return {key: fill(value, example_data[key]) for key, value in skeleton_data.items()
                if isinstance(example_data, dict) and key in example_data}
    if isinstance(skeleton_data, list):
        items = example_data if isinstance(example_data, list) else []
        return [fill(skeleton_data[0] if skeleton_data else None, item) for item in items]
    return example_data if skeleton_data in (None, "") else skeleton_data


@pytest.mark.parametrize("section", SECTIONS)
def test_new_writes_a_commented_skeleton_naming_every_required_field(tmp_path: Path, section: str):
    kind = KINDS[section]
    path = new_record(kind, tmp_path / "content", "testv", YEAR, f"{YEAR}-new-{section}")
    assert path == tmp_path / "content" / "testv" / str(YEAR) / section / f"{YEAR}-new-{section}.yml"
    text = path.read_text(encoding="utf-8")
    problems = Problems()
    document = read_yaml(path, Location(path.name), problems)
    assert document is not None and len(problems) == 0, [p.key for p in problems]
    for dotted in required_paths(describe(kind, Catalogue(), kind.table_field)):
        assert has_path(document.data, dotted), f"{section}: {dotted} missing from the skeleton"
    # Every field is explained in Chinese: its label, required or not, and what to write.
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    keys = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "-"))]
    assert len(comments) >= len(keys)
    assert "必填" in text and "标题" in text or "公开日期" in text
    assert all(value in (None, "", [None], [], {}) or isinstance(value, dict | list) for value in document.data.values())


@pytest.mark.parametrize("section", SECTIONS)
def test_a_filled_skeleton_and_template_pass_check(portal, section: str):
    kind = KINDS[section]
    record_id = f"{YEAR}-example"
    path = new_record(kind, portal.root / "content", "testv", YEAR, record_id)
    found = example(kind, YEAR)
    data = fill(yaml.safe_load(path.read_text(encoding="utf-8")), found.data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if kind.table_field:
        write_template(kind, path.with_suffix(".xlsx"), year=YEAR)
    checked = portal.check(as_of=date(YEAR, 12, 31))
    errors = [(str(p.location), p.key) for p in checked.problems.errors]
    # Every kind's example passes its rules (where the model's types are not enough, the kind
    # gives values in `Record.examples`): `new`, the docs' kinds reference and the desk show it.
    assert found.errors == []
    assert errors == []
    assert [record.id for record in checked.villages[0].records] == [record_id]


@pytest.mark.parametrize("section", SECTIONS)
def test_template_has_the_headers_and_an_example_row_or_says_there_is_no_table(tmp_path: Path, section: str):
    kind = KINDS[section]
    out = tmp_path / "t.xlsx"
    if not kind.table_field:
        with pytest.raises(ScaffoldError) as refused:
            write_template(kind, out)
        assert refused.value.key == "template_no_table"
        assert not out.exists()
        return
    write_template(kind, out)
    book = load_workbook(out)
    sheet = book.worksheets[0]
    # The clerk's layout (issue 26): the table's title alone on the first row, the header under it.
    assert sheet["A1"].value.startswith("某某村2") and all(cell.value is None for cell in sheet[1][1:])
    headers = [cell.value for cell in sheet[2]]
    if kind.table_columns:
        declared = [header for header, _ in table_headers(kind)]
        assert headers == (["序号", *declared] if section in PEOPLE else declared)
    # A ledger's template is laid out as a cash journal: 上月结转, the example line, 本月合计 (issue 26).
    rows = 4 if kind.template_columns else 2
    assert sheet.max_row == rows + 1 and any(cell.value is not None for cell in sheet[3])
    problems = Problems()
    table = read_xlsx(out, Location("t.xlsx"), problems)
    assert table is not None and len(problems) == 0 and len(table.rows) == rows - 1
    with pytest.raises(ScaffoldError) as refused:  # never over a file
        write_template(kind, out)
    assert refused.value.key == "template_exists"


@pytest.mark.parametrize("section", PEOPLE)
def test_a_lists_template_is_numbered_and_reads_back_as_its_example(portal, section: str):
    """Title row, 序号 column, header, the example person: the reader takes the example's person
    and nothing of the layout (no 序号 field, no title as a row)."""
    kind = KINDS[section]
    record_id = f"{YEAR}-list"
    path = new_record(kind, portal.root / "content", "testv", YEAR, record_id)
    path.write_text(yaml.safe_dump(fill(yaml.safe_load(path.read_text(encoding="utf-8")), example(kind, YEAR).data),
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    sheet = load_workbook(write_template(kind, path.with_suffix(".xlsx"), year=YEAR)).worksheets[0]
    headers = [cell.value for cell in sheet[2]]
    assert (headers[0], sheet["A3"].value) == ("序号", 1)
    named = next(index for index, header in enumerate(headers) if kind.table_columns.get(header) in ("person", "household"))
    person = sheet.cell(row=3, column=named + 1).value
    checked = portal.check(as_of=date(YEAR, 12, 31))
    assert checked.problems.errors == []
    [record] = checked.villages[0].records
    [row] = getattr(record, kind.table_field)
    assert person in row.model_dump().values() and 1 not in row.model_dump().values()


def test_new_never_overwrites_and_numbers_default_ids(tmp_path: Path):
    kind = KINDS["party"]
    first = new_record(kind, tmp_path, "testv", YEAR, today=date(YEAR, 3, 1))
    second = new_record(kind, tmp_path, "testv", YEAR, today=date(YEAR, 3, 1))
    assert (first.name, second.name) == (f"{YEAR}-03-01.yml", f"{YEAR}-03-01-2.yml")
    first.write_text("title: 已经写好的记录\n", encoding="utf-8")
    with pytest.raises(ScaffoldError) as refused:
        new_record(kind, tmp_path, "testv", YEAR, f"{YEAR}-03-01")
    assert refused.value.key == "new_exists"
    assert first.read_text(encoding="utf-8") == "title: 已经写好的记录\n"


def test_choices_found_by_the_rules_are_in_the_comments():
    text = skeleton(KINDS["affairs"], "x", YEAR)
    assert "只能写：" in text and "低保救助" in text  # the categories of the section
    finance = skeleton(KINDS["finance"], "x", YEAR)
    assert "会计期间" in finance and "2025-Q1" in finance and "金额" in finance
    assert "x.xlsx" in finance  # the lines go in the table beside it


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_the_commands(tmp_path: Path):
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config")
    result = run("new", "finance", "--village", "hekou", "--year", "2025", "--id", "2025-13", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "content/hekou/2025/finance/2025-13.yml" in result.stdout and "template finance" in result.stdout
    again = run("new", "财务公开", "--village", "hekou", "--year", "2025", "--id", "2025-13", cwd=tmp_path)
    assert again.returncode == 1 and "已经存在" in again.stderr
    assert run("new", "nonsense", "--village", "hekou", cwd=tmp_path).stderr.startswith("不认识的栏目")
    assert run("new", "party", "--village", "hekou", "--id", "Bad_Id", cwd=tmp_path).returncode == 1
    made = run("template", "finance", "--out", "ledger.xlsx", cwd=tmp_path)
    assert made.returncode == 0 and (tmp_path / "ledger.xlsx").exists()
    none = run("template", "contracts", "--lang", "en", cwd=tmp_path)
    assert none.returncode == 1 and "no table" in none.stderr
    assert "Traceback" not in result.stderr + again.stderr + made.stderr + none.stderr
