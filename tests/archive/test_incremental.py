"""Incremental builds: a village-year published from the same inputs is skipped, one whose
records, settings, "today" or tool changed is rebuilt, and nothing else is."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from generator.engine import years as years_module
from generator.pipeline import check as check_module
from generator.engine import fingerprints as inputs
from generator.pipeline.build import build
from generator.pipeline.close import close
from generator.domain.chain import Chain
from generator.cli import main
from generator.engine.fingerprints import KnownHashes, tool_fingerprint
from generator.inputs.load import load
from generator.archive.manifest import Manifest
from generator.fs.files import record_hash
from generator.archive.verify import verify
from tests.archive.test_snapshots import files_of, notice
from tests.conftest import write_files

BUILDING = re.compile(r"正在生成 (\S+) (\d{4})年")
YEAR_FILE = re.compile(r"^[^/]+/\d{4}/")


def county(tmp_path: Path, config: Path) -> tuple[Path, Path, Path]:
    """测试村 with 2025 and 2026, 溪口村 with 2026."""
    (config / "testw.yml").write_text("name: 溪口村\npopulation: 800\n", encoding="utf-8")
    files = {}
    for village, year in (("testv", 2025), ("testv", 2026), ("testw", 2026)):
        files[f"content/{village}/{year}/party/{year}-03-meeting.yml"] = notice(
            f"{year}年第一季度党员大会召开情况", f"{year}-03-28", "应到党员42名，实到38名。")
    write_files(tmp_path, files)
    return tmp_path / "content", config, tmp_path / "public"


def rebuilt(content: Path, config: Path, out: Path, as_of: date = date(2026, 6, 1), **options) -> set[str]:
    """Build; the village-years it built (not skipped), as '测试村 2026'."""
    messages: list[str] = []
    build(content, config, out, as_of=as_of, progress=messages.append, **options)
    return {" ".join(found.groups()) for found in map(BUILDING.match, messages) if found}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def published(tmp_path: Path, site_config: Path):
    paths = county(tmp_path, site_config)
    assert rebuilt(*paths) == {"测试村 2025", "测试村 2026", "溪口村 2026"}
    return paths


def test_a_rebuild_with_nothing_changed_builds_no_year_and_changes_no_byte(published):
    out = published[2]
    before, files = files_of(out), inodes(out)
    messages: list[str] = []
    build(*published, as_of=date(2026, 6, 1), progress=messages.append)
    assert not any(BUILDING.match(message) for message in messages)
    assert "测试村 2026年没有变化，不用重新生成。" in messages
    assert files_of(out) == before
    # The skipped years were not rewritten: the very same files (hard links of the old output).
    assert {path: inode for path, inode in inodes(out).items() if YEAR_FILE.match(path)} == \
           {path: inode for path, inode in files.items() if YEAR_FILE.match(path)}


def test_a_changed_record_rebuilds_only_its_villages_year(published, monkeypatch):
    content, config, out = published
    close(content, config, out, 2025, ["testv"], as_of=date(2026, 6, 1))
    others = inodes(out / "testw" / "2026")
    record = content / "testv" / "2026" / "party" / "2026-03-meeting.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("38名", "40名"), encoding="utf-8")
    read: list[str] = []
    monkeypatch.setattr(check_module, "load", lambda folder, villages, *rest: (
        read.extend(villages), load(folder, villages, *rest))[1])
    assert rebuilt(*published) == {"测试村 2026"}
    assert read == ["testv"]  # the other village's records were hashed, not read
    assert "40名" in (out / "testv" / "2026" / "party" / "2026-03-meeting" / "index.html").read_text(encoding="utf-8")
    assert inodes(out / "testw" / "2026") == others
    assert Chain.read(out / "testv" / "log.jsonl").entries[-1].changes.changed == ["party/2026-03-meeting"]
    assert verify(out).failures == []


def test_a_record_of_another_open_year_rebuilds_the_villages_open_years(published):
    # A page may show a record of another year (the compliance page's last disclosure, an
    # asset's contract, an inquiry's subject): every open year of the village is rebuilt.
    content = published[0]
    record = content / "testv" / "2025" / "party" / "2025-03-meeting.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("38名", "40名"), encoding="utf-8")
    assert rebuilt(*published) == {"测试村 2025", "测试村 2026"}


@pytest.mark.parametrize("change, expected", [
    ("village_setting", {"测试村 2025", "测试村 2026"}),
    ("township_setting", {"测试村 2025", "测试村 2026", "溪口村 2026"}),
    ("as_of", set()),  # a later day, the same records: quiet (fingerprints.py)
    ("tool", {"测试村 2025", "测试村 2026", "溪口村 2026"}),
])
def test_changed_inputs_rebuild_what_they_shape(published, monkeypatch, change: str, expected: set[str]):
    content, config, out = published
    as_of = date(2026, 6, 1)
    if change == "village_setting":
        with (config / "testv.yml").open("a", encoding="utf-8") as settings:
            settings.write("site_url: https://example.gov.cn/testv/\n")
    elif change == "township_setting":
        defaults = config / "_defaults.yml"  # (a key written twice is refused: change the one there)
        text = defaults.read_text(encoding="utf-8")
        assert "  mobile_end: 4\n" in text
        defaults.write_text(text.replace("  mobile_end: 4\n", "  mobile_end: 3\n"), encoding="utf-8")
    elif change == "as_of":
        as_of = date(2026, 6, 2)
    else:  # a template, a stylesheet, a message, the code: all are in the tool's fingerprint
        monkeypatch.setattr(years_module, "tool_fingerprint", lambda: "another version of the tool")
    assert rebuilt(*published, as_of=as_of) == expected
    assert rebuilt(*published, as_of=as_of) == set()  # and then it is up to date
    assert verify(out).failures == []


def test_a_rebuild_into_the_same_pages_adds_nothing_to_the_log(published, monkeypatch):
    out = published[2]
    entries = len(Chain.read(out / "testv" / "log.jsonl").entries)
    monkeypatch.setattr(years_module, "tool_fingerprint", lambda: "a tool that makes the same pages")
    assert len(rebuilt(*published)) == 3
    assert len(Chain.read(out / "testv" / "log.jsonl").entries) == entries
    assert Manifest.read(out / "testv" / "2026").inputs  # remembered, so that the next build skips it
    assert rebuilt(*published) == set()
    assert verify(out).failures == []


def test_force_rebuilds_every_year(published):
    assert rebuilt(*published, force=True) == {"测试村 2025", "测试村 2026", "溪口村 2026"}


def test_the_tools_fingerprint_follows_its_files(tmp_path: Path):
    write_files(tmp_path, {"themes/templates/page.html": "<h1>{{ title }}</h1>", "mkdocs.yml": "site_name: x\n"})
    roots = (tmp_path / "themes", tmp_path / "mkdocs.yml")
    before = tool_fingerprint(roots)
    assert tool_fingerprint(roots) == before
    (tmp_path / "themes" / "templates" / "page.html").write_text("<h2>{{ title }}</h2>", encoding="utf-8")
    assert tool_fingerprint(roots) != before


def test_the_report_counts_the_years_built_not_those_skipped(published, capsys):
    content, config, out = published
    close(content, config, out, 2025, ["testv"], as_of=date(2026, 6, 1))
    record = content / "testv" / "2026" / "party" / "2026-03-meeting.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("38名", "40名"), encoding="utf-8")
    assert main(["build", "--content", str(content), "--config", str(config), "--out", str(out),
                 "--as-of", "2026-06-01"]) == 0
    assert "已生成 1 个村年度网站" in capsys.readouterr().out


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled as soon as they are written (in use, two seconds after)."""
    monkeypatch.setattr(inputs, "SETTLED_NS", 0)


@pytest.fixture
def reads(monkeypatch) -> list[list[str]]:
    """The record files hashed (read) from now on."""
    read: list[list[str]] = []
    monkeypatch.setattr(inputs, "record_hash", lambda paths: read.append(sorted(paths)) or record_hash(paths))
    return read


def test_unchanged_record_files_are_not_read_again_a_touched_one_is_and_rebuilds_nothing(published, settled,
                                                                                        reads: list[list[str]]):
    rebuilt(*published)  # the files' hashes are kept, now that they are settled
    reads.clear()
    assert rebuilt(*published) == set()
    assert reads == []
    record = published[0] / "testv" / "2026" / "party" / "2026-03-meeting.yml"
    record.touch()
    assert rebuilt(*published) == set()  # the same bytes
    assert reads == [[str(record)]]


def test_record_files_hashed_in_other_processes_are_kept_as_those_hashed_here(published, settled,
                                                                            reads: list[list[str]]):
    """With --jobs, villages' files are hashed in processes of their own: what those keep, the
    next build finds, and an edit is seen there as here."""
    rebuilt(*published, jobs=2)
    reads.clear()
    assert rebuilt(*published) == set()
    assert reads == []
    record = published[0] / "testv" / "2026" / "party" / "2026-03-meeting.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("38名", "39名"), encoding="utf-8")
    assert rebuilt(*published, jobs=2) == {"测试村 2025", "测试村 2026"}  # 2025 looks across years


def test_an_edit_that_keeps_the_files_size_and_time_is_rebuilt(published, settled):
    content, config, out = published
    close(content, config, out, 2025, ["testv"], as_of=date(2026, 6, 1))
    rebuilt(*published)
    record = content / "testv" / "2026" / "party" / "2026-03-meeting.yml"
    before = record.stat()
    record.write_text(record.read_text(encoding="utf-8").replace("38名", "39名"), encoding="utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))  # as some copying tools leave it
    assert (record.stat().st_size, record.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert rebuilt(*published) == {"测试村 2026"}
    assert "39名" in (out / "testv" / "2026" / "party" / "2026-03-meeting" / "index.html").read_text(encoding="utf-8")


def test_a_file_written_just_now_is_read_again_next_time(tmp_path: Path, reads: list[list[str]]):
    # Its times could not tell a second change made within the same tick of the file system's clock.
    record = tmp_path / "2026-03-meeting.yml"
    record.write_text("title: 党员大会\n", encoding="utf-8")
    for _ in range(2):
        hashes = KnownHashes(tmp_path / "hashes.pickle")
        assert hashes.of([str(record)]) == record_hash([str(record)])
        hashes.save()
    assert reads == [[str(record)], [str(record)]]
