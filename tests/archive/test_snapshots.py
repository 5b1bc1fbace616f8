"""Yearly snapshots: published once, closed, corrected only openly, and verifiable by anyone."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from datetime import date
from pathlib import Path

import pytest

from generator.pipeline.build import build
from generator.pipeline.close import close
from generator.domain.chain import Chain
from generator.inputs.problems import InputError
from generator.archive.manifest import Manifest
from generator.archive.verify import verify
from tests.conftest import ROOT, write_files

AS_OF = date(2025, 6, 1)


def notice(title: str, day: str, body: str) -> str:
    return (f"title: {title}\ndate: {day}\nposted_until: {day[:4]}-12-31\ncategory: 三会一课\n"
            f"issuer: 中共测试村支部委员会\nbody: |\n  {body}\n")


def village(tmp_path: Path, years=(2025,)) -> tuple[Path, Path, Path]:
    files = {}
    for year in years:
        files[f"content/testv/{year}/party/{year}-03-meeting.yml"] = notice(
            f"{year}年第一季度党员大会召开情况", f"{year}-03-28", "应到党员42名，实到38名，会议审议了道路硬化方案。")
        files[f"content/testv/{year}/affairs/{year}-04-roads.yml"] = notice(
            f"{year}年村道维修计划公示", f"{year}-04-02", "计划维修村道三条，总投资8.6万元。").replace("三会一课", "项目建设")
    write_files(tmp_path, files)
    return tmp_path / "content", tmp_path / "site_config", tmp_path / "public"


@pytest.fixture
def published(tmp_path: Path, site_config: Path):
    content, config, out = village(tmp_path)
    build(content, config, out, as_of=AS_OF)
    return content, config, out


def log(out: Path) -> Chain:
    return Chain.read(out / "testv" / "log.jsonl")


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_snapshot_lists_every_file_with_its_hash_and_a_root_hash(published):
    _, _, out = published
    site = out / "testv" / "2025"
    manifest = Manifest.read(site)
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()} - {"manifest.json", "log.jsonl"}
    assert set(manifest.files) == on_disk
    for path, digest in manifest.files.items():
        assert hashlib.sha256((site / path).read_bytes()).hexdigest() == digest
    listing = "".join(f"{manifest.files[p]}  {p}\n" for p in sorted(manifest.files))
    assert manifest.root == hashlib.sha256(listing.encode()).hexdigest()  # what sha256sum would give
    assert log(out).entries[-1].root == manifest.root


def test_verify_passes_on_what_was_published(published):
    report = verify(published[2])
    assert report.failures == [] and report.snapshots == 1 and report.files > 20


@pytest.mark.parametrize("damage", ["change", "remove", "add", "edit_log", "reorder_log"])
def test_verify_names_any_change_to_the_archive(published, damage: str):
    out = published[2]
    site = out / "testv" / "2025"
    page = site / "party" / "2025-03-meeting" / "index.html"
    if damage == "change":
        page.write_text(page.read_text(encoding="utf-8").replace("38名", "39名"), encoding="utf-8")
    elif damage == "remove":
        page.unlink()
    elif damage == "add":
        (site / "party" / "extra.html").write_text("<p>后来加的</p>", encoding="utf-8")
    else:
        # A second entry, so there is an order to break: a record changed (a later day alone
        # rebuilds nothing).
        content = published[0]
        record = content / "testv" / "2025" / "party" / "2025-03-meeting.yml"
        record.write_text(record.read_text(encoding="utf-8").replace("38名", "39名"), encoding="utf-8")
        build(*published, as_of=date(2025, 6, 2))
        for path in [out / "testv" / "log.jsonl", *out.glob("testv/*/log.jsonl")]:
            lines = path.read_text(encoding="utf-8").splitlines()
            if damage == "edit_log":
                lines[0] = lines[0].replace('"year":2025', '"year":2024')
            else:
                lines.reverse()
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = verify(out)
    assert report.failures, f"verify missed: {damage}"
    if damage in ("change", "remove"):
        assert any(f.path.endswith("party/2025-03-meeting/index.html") for f in report.failures)
    result = subprocess.run([sys.executable, "-m", "generator", "verify", "--out", str(out)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1


def test_a_rebuild_of_the_same_records_publishes_nothing_new(published):
    content, config, out = published
    before = files_of(out / "testv")
    build(content, config, out, as_of=AS_OF)
    assert files_of(out / "testv") == before
    assert len(log(out).entries) == 1


def test_the_log_says_which_records_changed(published):
    content, config, out = published
    path = content / "testv" / "2025" / "party" / "2025-03-meeting.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("38名", "40名"), encoding="utf-8")
    (content / "testv" / "2025" / "affairs" / "2025-04-roads.yml").unlink()
    build(content, config, out, as_of=AS_OF)
    entry = log(out).entries[-1]
    assert entry.changes.changed == ["party/2025-03-meeting"]
    assert entry.changes.removed == ["affairs/2025-04-roads"]
    assert entry.prev == log(out).entries[-2].hash
    changes_page = (out / "testv" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "party/2025-03-meeting" in changes_page and "修改 1 条记录" in changes_page
    assert verify(out).failures == []


def test_same_records_same_bytes(tmp_path: Path, site_config: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748736000")
    content, config, _ = village(tmp_path)
    build(content, config, tmp_path / "one", as_of=AS_OF)
    build(content, config, tmp_path / "two", as_of=AS_OF)
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_a_closed_year_is_never_rebuilt(tmp_path: Path, site_config: Path):
    content, config, out = village(tmp_path, years=(2025, 2026))
    build(content, config, out, as_of=AS_OF)
    close(content, config, out, 2025, as_of=AS_OF)
    closed = out / "testv" / "2025"
    notice = out / "testv" / "closed" / "2025" / "index.html"
    # Every file of the closed year, and its closing notice, is the very same file (inode) with
    # the same bytes and time.
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in [*closed.rglob("*"), notice] if p.is_file()}
    open_year = content / "testv" / "2026" / "party" / "2026-03-meeting.yml"
    open_year.write_text(open_year.read_text(encoding="utf-8").replace("38名", "41名"), encoding="utf-8")
    build(content, config, out, as_of=date(2026, 6, 1))
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in [*closed.rglob("*"), notice] if p.is_file()} == before
    assert notice in before
    assert [e.action for e in log(out).entries][-2:] == ["close", "publish"]
    assert log(out).entries[-1].year == 2026


def test_closing_prints_a_notice_with_the_root_hash(published):
    content, config, out = published
    closed = close(content, config, out, 2025, as_of=AS_OF)
    assert [v.id for v in closed] == ["testv"]
    root = Manifest.read(out / "testv" / "2025").root
    html = (out / "testv" / "closed" / "2025" / "index.html").read_text(encoding="utf-8")
    assert root in html
    assert " ".join(root[i:i + 4] for i in range(0, 16, 4)) in html  # the short form, for paper
    assert "<svg" in html  # the QR code
    assert log(out).entries[-1].action == "close"
    assert verify(out).failures == []


def test_a_closed_year_changes_only_with_a_correction_notice(published):
    content, config, out = published
    close(content, config, out, 2025, as_of=AS_OF)
    before = files_of(out)
    record = content / "testv" / "2025" / "party" / "2025-03-meeting.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("38名", "40名"), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        build(content, config, out, as_of=AS_OF)
    assert [p.key for p in refused.value.problems.errors] == ["closed_year_changed"]
    assert refused.value.problems.errors[0].location.path.endswith("2025-03-meeting.yml")
    assert files_of(out) == before

    write_files(content / "testv" / "2025", {"corrections/2025-06-attendance.yml": (
        "title: 关于党员大会实到人数的更正说明\ndate: 2025-06-01\nissuer: 中共测试村支部委员会\n"
        "reason: 经核对签到表，实到40名，原公示38名有误。\n"
        "changes:\n  - record: party/2025-03-meeting\n    what: 实到人数由38名更正为40名\n")})
    build(content, config, out, as_of=AS_OF)
    entry = log(out).entries[-1]
    assert (entry.action, entry.revision, entry.correction) == ("publish", 2, "corrections/2025-06-attendance")
    assert "40名" in (out / "testv" / "2025" / "party" / "2025-03-meeting" / "index.html").read_text(encoding="utf-8")
    earlier = out / "testv" / "2025-r1" / "party" / "2025-03-meeting" / "index.html"
    assert "38名" in earlier.read_text(encoding="utf-8")  # the earlier revision stays reachable
    assert "有过更正" in (out / "testv" / "2025" / "index.html").read_text(encoding="utf-8")
    assert "依据更正说明" in (out / "testv" / "changes" / "index.html").read_text(encoding="utf-8")
    assert verify(out).failures == []


def test_a_correction_must_name_every_changed_record(published):
    content, config, out = published
    close(content, config, out, 2025, as_of=AS_OF)
    for name in ("party/2025-03-meeting.yml", "affairs/2025-04-roads.yml"):
        path = content / "testv" / "2025" / name
        path.write_text(path.read_text(encoding="utf-8") + "  特此补充说明。\n", encoding="utf-8")
    write_files(content / "testv" / "2025", {"corrections/2025-06-fix.yml": (
        "title: 更正说明\ndate: 2025-06-01\nreason: 用词更正。\n"
        "changes:\n  - record: party/2025-03-meeting\n    what: 用词\n")})
    with pytest.raises(InputError) as refused:
        build(content, config, out, as_of=AS_OF)
    problems = refused.value.problems.errors
    assert [(p.key, p.params["record"]) for p in problems] == [("correction_incomplete", "affairs/2025-04-roads")]


def test_export_is_one_reproducible_file_that_verifies(published, tmp_path: Path, monkeypatch):
    out = published[2]
    from generator.archive.published import export

    first = export(out, "testv", 2025, tmp_path / "a.tar.gz")
    second = export(out, "testv", 2025, tmp_path / "b.tar.gz")
    assert first.read_bytes() == second.read_bytes()
    unpacked = tmp_path / "unpacked"
    with tarfile.open(first) as tar:
        names = tar.getnames()
        tar.extractall(unpacked, filter="data")
    assert "testv/2025/manifest.json" in names and "testv/log.jsonl" in names
    assert verify(unpacked).failures == []


def test_versions_json_lists_published_years(tmp_path: Path, site_config: Path):
    content, config, out = village(tmp_path, years=(2025, 2026))
    build(content, config, out, as_of=AS_OF)
    versions = json.loads((out / "testv" / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["2026", "2025"]
