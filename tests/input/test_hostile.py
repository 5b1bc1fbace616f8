"""Hostile inputs against a published portal: each stops `village-portal build` with a located
Chinese error, within 10 s and 500 MB (the build runs under those limits, set with `resource`),
and the output published before is byte for byte as it was."""

from __future__ import annotations

import hashlib
import io
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Callable

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 10
MEMORY = 500 * 1024 * 1024
NOTICE = "title: 低保名单公示\ndate: 2025-03-12\nposted_until: 2025-03-19\ncategory: 低保救助\nbody: 名单如下。\n"
AFFAIRS = "content/testv/2025/affairs"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))


def _build(root: Path, limited: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "--content", "content", "--config",
                           "site_config", "--out", "public"], cwd=root, capture_output=True, text=True,
                          timeout=SECONDS if limited else 300, preexec_fn=_limited if limited else None,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _tree(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small portal, built once: every case starts from a copy of it."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "site_config", root / "site_config")
    (root / "site_config" / "testv.yml").write_text("name: 测试村\npopulation: 1200\nhouseholds: 300\n", encoding="utf-8")
    (root / AFFAIRS).mkdir(parents=True)
    (root / AFFAIRS / "2025-03-dibao.yml").write_text(NOTICE, encoding="utf-8")
    (root / AFFAIRS / "2025-03-dibao.csv").write_text("姓名,金额\n张三,300\n", encoding="utf-8")
    done = _build(root, limited=False)
    assert done.returncode == 0, done.stderr
    return root


# -- the hostile files -----------------------------------------------------------------------------

def _link_environ(root: Path) -> None:
    (root / AFFAIRS / "sl.yml").write_text(NOTICE, encoding="utf-8")
    (root / AFFAIRS / "sl.csv").symlink_to("/proc/self/environ")


def _link_os_release(root: Path) -> None:
    (root / AFFAIRS / "os.yml").symlink_to("/etc/os-release")


def _link_section(root: Path) -> None:
    outside = root / "elsewhere"
    outside.mkdir()
    (outside / "x.yml").write_text(NOTICE.replace("低保救助", "党员发展"), encoding="utf-8")
    (root / "content/testv/2025/party").symlink_to(outside)


def _link_loop(root: Path) -> None:
    (root / AFFAIRS / "loop.yml").symlink_to("loop.yml")


def _fifo(name: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / name
        if path.suffix == ".csv":
            path.with_suffix(".yml").write_text(NOTICE, encoding="utf-8")
        if path.exists():
            path.unlink()
        os.mkfifo(path)
    return make


def _aliases(root: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{level}: &a{level} [{','.join([f'*a{level - 1}'] * 9)}]" for level in range(1, 10)]
    (root / AFFAIRS / "bomb.yml").write_text(NOTICE + "\n".join(lines) + "\n", encoding="utf-8")


def _xlsx_bomb(root: Path) -> None:
    """A valid workbook whose shared string unpacks to 1 GB (about 1 MB on disk)."""
    book = Workbook()
    book.active.append(["姓名", "金额"])
    book.active.append(["张三", 300])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(plain)
    with zipfile.ZipFile(root / AFFAIRS / "2025-03-dibao.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        with target.open("xl/padding.xml", "w", force_zip64=True) as padding:
            block = b"a" * (1024 * 1024)
            for _ in range(1024):
                padding.write(block)
    (root / AFFAIRS / "2025-03-dibao.csv").unlink()


def _with_sheet(root: Path, rows: Callable[[Callable[[bytes], None]], None]) -> None:
    """A valid workbook (as record 2025-03-dibao's table) whose sheet's rows `rows` writes."""
    book = Workbook()
    book.active.append(["姓名", "金额"])
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(plain)
    sheet = source.read("xl/worksheets/sheet1.xml")
    head, _, tail = sheet.partition(b"</sheetData>")
    with zipfile.ZipFile(root / AFFAIRS / "2025-03-dibao.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != "xl/worksheets/sheet1.xml":
                target.writestr(name, source.read(name))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(head)
            rows(out.write)
            out.write(b"</sheetData>" + tail)
    (root / AFFAIRS / "2025-03-dibao.csv").unlink()


def _xlsx_rows(root: Path) -> None:
    """17 million empty rows: a few hundred KB on disk, 100 MB unpacked."""
    def rows(write: Callable[[bytes], None]) -> None:
        block = b"<row/>" * 100_000
        for _ in range(170):
            write(block)
    _with_sheet(root, rows)


def _xlsx_far_row(root: Path) -> None:
    """One cell in row 17,000,000: tiny, and a reader that fills the gap reads 17 million rows."""
    _with_sheet(root, lambda write: write(b'<row r="17000000"><c r="A17000000" t="inlineStr"><is><t>x</t></is></c></row>'))


def _large_body(root: Path) -> None:
    (root / AFFAIRS / "big.yml").write_text(NOTICE.replace("名单如下。", "很长的正文。" * 900_000), encoding="utf-8")


def _long_text(root: Path) -> None:
    (root / AFFAIRS / "long.yml").write_text(NOTICE.replace("名单如下。", "长" * 250_000), encoding="utf-8")


def _control(root: Path) -> None:
    (root / AFFAIRS / "ctl.yml").write_text(NOTICE.replace("body: 名单如下。", 'body: "名单\\x0b\\x1b\\x00如下"'),
                                            encoding="utf-8")


def _nonchar(root: Path) -> None:
    (root / AFFAIRS / "nc.yml").write_text(NOTICE.replace("body: 名单如下。", 'body: "名单\\uFFFE如下"'), encoding="utf-8")


def _hook(root: Path) -> None:
    hook = root / "x.py"
    hook.write_text(f"open({str(root / 'ran')!r}, 'w').write('ran')\n", encoding="utf-8")
    with (root / "site_config/testv.yml").open("a", encoding="utf-8") as handle:
        handle.write(f"mkdocs:\n  hooks:\n    - {hook}\n")


def _format(template: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        with (root / "site_config/testv.yml").open("a", encoding="utf-8") as handle:
            handle.write(f"messages:\n  site:\n    home: '{template}'\n")
    return write


def _site_url(root: Path) -> None:
    with (root / "site_config/testv.yml").open("a", encoding="utf-8") as handle:
        handle.write("site_url: cwgk.example.cn\n")


def _duplicate(root: Path) -> None:
    (root / AFFAIRS / "dup.yml").write_text(NOTICE + "title: 另一个标题\n", encoding="utf-8")


def _merged(root: Path) -> None:
    book = Workbook()
    # A 组别 merged over its households is read into each row (issue 26); a merged amount is ambiguous.
    book.active.append(["姓名", "补助金额"])
    book.active.append(["张三", 300])
    book.active.append(["李四", None])
    book.active.merge_cells("B2:B3")
    book.save(root / AFFAIRS / "2025-03-dibao.xlsx")
    (root / AFFAIRS / "2025-03-dibao.csv").unlink()


def _hidden_sheet(root: Path) -> None:
    book = Workbook()
    book.active.title = "名单"
    book.active.append(["姓名", "金额"])
    book.active.append(["张三", 300])
    hidden = book.create_sheet("2025-03-dibao", 0)
    hidden.append(["姓名", "金额"])
    hidden.append(["王五", 999])
    hidden.sheet_state = "hidden"
    book.save(root / AFFAIRS / "2025-03-dibao.xlsx")
    (root / AFFAIRS / "2025-03-dibao.csv").unlink()


def _hidden_record(root: Path) -> None:
    (root / AFFAIRS / "..evil.yml").write_text(NOTICE, encoding="utf-8")


CASES = {
    # name: (make it, where the error is, words the Chinese error has)
    "symlink to /proc/self/environ": (_link_environ, f"{AFFAIRS}/sl.csv", "链接"),
    "symlink to /etc/os-release": (_link_os_release, f"{AFFAIRS}/os.yml", "链接"),
    "section folder linked outside": (_link_section, "content/testv/2025/party", "链接"),
    "symlink loop": (_link_loop, f"{AFFAIRS}/loop.yml", "循环"),
    "FIFO as a table": (_fifo(f"{AFFAIRS}/f.csv"), f"{AFFAIRS}/f.csv", "不是普通文件"),
    "FIFO as a record": (_fifo(f"{AFFAIRS}/f.yml"), f"{AFFAIRS}/f.yml", "不是普通文件"),
    "FIFO as the settings": (_fifo("site_config/testv.yml"), "site_config/testv.yml", "不是普通文件"),
    "YAML aliases, 9 levels": (_aliases, f"{AFFAIRS}/bomb.yml:7", "引用"),
    "xlsx unpacking to 1 GB": (_xlsx_bomb, f"{AFFAIRS}/2025-03-dibao.xlsx", "解压后"),
    "xlsx of 17 million rows": (_xlsx_rows, f"{AFFAIRS}/2025-03-dibao.xlsx", "行"),
    "xlsx with a cell in row 17,000,000": (_xlsx_far_row, f"{AFFAIRS}/2025-03-dibao.xlsx", "行"),
    "5 MB notice body": (_large_body, f"{AFFAIRS}/big.yml", "太大"),
    "250,000-character body": (_long_text, f"{AFFAIRS}/long.yml:5", "上限"),
    "control characters": (_control, f"{AFFAIRS}/ctl.yml:5", "U+000B"),
    "non-character U+FFFE": (_nonchar, f"{AFFAIRS}/nc.yml:5", "U+FFFE"),
    "duplicate key": (_duplicate, f"{AFFAIRS}/dup.yml:6", "写了两次"),
    "merged cells": (_merged, f"{AFFAIRS}/2025-03-dibao.xlsx:2", "合并"),
    "hidden sheet named like the record": (_hidden_sheet, f"{AFFAIRS}/2025-03-dibao.xlsx", "隐藏"),
    "hidden record file": (_hidden_record, f"{AFFAIRS}/..evil.yml", "隐藏"),
    "settings hook": (_hook, "site_config/testv.yml:5", "mkdocs.hooks"),
    "format string {village.__class__}": (_format("{village.__class__}"), "site_config/testv.yml:6", "花括号"),
    "format string {": (_format("{"), "site_config/testv.yml:6", "花括号"),
    "format string {0}": (_format("{0}"), "site_config/testv.yml:6", "花括号"),
    "format string {a.b}": (_format("{a.b}"), "site_config/testv.yml:6", "花括号"),
    "site_url without a scheme": (_site_url, "site_config/testv.yml:4", "网址"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_input_is_a_located_chinese_error_and_nothing_changes(published: Path, tmp_path: Path, case: str):
    make, where, words = CASES[case]
    root = tmp_path / "portal"
    shutil.copytree(published, root, symlinks=True)
    before = _tree(root / "public")
    make(root)
    started = time.monotonic()
    done = _build(root)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"{case}: {seconds:.1f} s, peak {peak / 1024 / 1024:.0f} MB")  # shown with pytest -s
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    lines = [line for line in done.stderr.splitlines() if line.startswith(where + ":")]
    assert lines and "错误" in lines[0] and words in lines[0], done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "程序内部出错" not in done.stderr
    # No Python's own English in what the clerk reads.
    assert not any(words in done.stderr for words in ("Error", "exceeded", "field limit", "recursion", "<class"))
    assert seconds < SECONDS
    assert _tree(root / "public") == before  # byte for byte as it was
    assert not (root / "ran").exists()  # the hook never ran
