"""Archive size does not slow publishing: a closed year whose record files are those published is
taken from the cache of its modelled records and the previous output's hard-link copy, not read,
modelled and linked again; and what a villager sees is what it was when every year was read."""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from benchmarks.common import synth
from generator.pipeline import check as check_module
from generator.fs import link_copy as snapshot
from generator.pipeline.build import build
from generator.pipeline.close import close
from generator.inputs.load import load
from generator.fs.paths import cache_folder
from generator.inputs.problems import InputError
from generator.fs.link_copy import link_copy
from generator.archive.verify import verify
from tests.archive.test_incremental import inodes
from tests.archive.test_snapshots import files_of

AS_OF = date(2026, 12, 31)
LEDGER = Path("content/v001/2026/assets/2026-ledger.csv")
IDLE = "HK-04,河口二组集体粮仓,建筑物,河口二组,180,平方米,36000.00,闲置,,,"
LEASED = "HK-04,河口二组集体粮仓,建筑物,河口二组,180,平方米,36000.00,出租,张三,{contract},1000.00"


@pytest.fixture
def archived(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One village, 2025 closed and 2026 open (the synthetic records of every kind)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798675200")  # the log's times: the same in every copy
    root = tmp_path / "one"
    synth().generate(root, villages=1, years=2, records=40, seed=3)
    build(*paths(root), as_of=AS_OF)
    close(*paths(root), 2025, as_of=AS_OF)
    return root


def paths(root: Path) -> tuple[Path, Path, Path]:
    return root / "content", root / "site_config", root / "public"


def edit_open_year(root: Path) -> None:
    """This year's asset ledger leases a granary under a contract of the closed year, and this
    year's notices (affairs) are withdrawn, so that the feed's 50 newest reach into 2025."""
    ledger = root / LEDGER
    text = ledger.read_text(encoding="utf-8")
    assert IDLE in text
    ledger.write_text(text.replace(IDLE, LEASED.format(contract=old_contract(root))), encoding="utf-8")
    for folder in ("affairs", "inquiries", "finance"):
        shutil.rmtree(root / "content" / "v001" / "2026" / folder)


def old_contract(root: Path) -> str:
    return sorted((root / "content" / "v001" / "2025" / "contracts").glob("*.yml"))[0].stem


def years_read(monkeypatch: pytest.MonkeyPatch) -> list[set[int]]:
    """The years skipped by each load (the others are read)."""
    skipped: list[set[int]] = []

    def watched(folder, villages, problems, kinds, skip=None, *rest):
        skipped.append(set((skip or {}).get("v001", set())))
        return load(folder, villages, problems, kinds, skip, *rest)

    monkeypatch.setattr(check_module, "load", watched)
    return skipped


def test_a_closed_year_from_the_cache_gives_the_very_output_of_reading_it(archived: Path, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    read_again = tmp_path / "read"
    shutil.copytree(archived, read_again)
    shutil.rmtree(cache_folder(paths(read_again)[2]), ignore_errors=True)
    skipped = years_read(monkeypatch)

    build(*paths(archived), as_of=AS_OF, force=True)  # keeps 2025's records (the first build after closing)
    edit_open_year(archived)
    build(*paths(archived), as_of=AS_OF)  # 2025 from the cache
    edit_open_year(read_again)
    build(*paths(read_again), as_of=AS_OF)  # 2025 read from content/, no cache

    assert skipped == [set(), {2025}, set()]
    out = paths(archived)[2]
    assert files_of(out) == files_of(paths(read_again)[2])
    # What pages show of the closed year is there: the lease's contract, last year's notices in the
    # feed, and the township's statuses, which look at the last disclosures.
    ledger = (out / "v001" / "2026" / "assets" / "2026-ledger" / "index.html").read_text(encoding="utf-8")
    assert f"../../../2025/contracts/{old_contract(archived)}/" in ledger
    feed = (out / "v001" / "feed.xml").read_text(encoding="utf-8")
    assert "/2025/" in feed and "/2026/" in feed
    summary = json.loads((out / "v001" / "village.json").read_text(encoding="utf-8"))
    assert summary["years"] == [2026, 2025] and {s["category"] for s in summary["statuses"]} == {
        "party", "affairs", "finance"}
    assert verify(out).failures == []


def test_a_change_to_a_cached_closed_year_is_still_refused(archived: Path, monkeypatch: pytest.MonkeyPatch):
    build(*paths(archived), as_of=AS_OF, force=True)
    notice = sorted((archived / "content" / "v001" / "2025" / "party").glob("*.yml"))[0]
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1), encoding="utf-8")
    skipped = years_read(monkeypatch)
    before = files_of(paths(archived)[2])
    with pytest.raises(InputError) as refused:
        build(*paths(archived), as_of=AS_OF)
    assert [(p.key, p.params["record"]) for p in refused.value.problems.errors] == [
        ("closed_year_changed", f"party/{notice.stem}")]
    assert skipped == [set()]  # the changed year is read, as a correction would be
    assert files_of(paths(archived)[2]) == before


@pytest.mark.parametrize("damage", ["garbage", "cut short", "another key", "not records"])
def test_a_damaged_or_stale_cache_is_read_past(archived: Path, monkeypatch: pytest.MonkeyPatch, damage: str):
    out = paths(archived)[2]
    build(*paths(archived), as_of=AS_OF, force=True)
    cached = cache_folder(out) / "records" / "v001" / "2025.pickle"
    data = cached.read_bytes()
    key, _, pickled = data.partition(b"\n")
    cached.write_bytes({"garbage": b"\x00\xff not a pickle at all",
                        "cut short": data[:len(data) // 2],
                        "another key": b"0" * len(key) + b"\n" + pickled,
                        "not records": key + b"\n" + b"\x80\x04K\x07."}[damage])  # the pickle of 7
    skipped = years_read(monkeypatch)
    edit_open_year(archived)
    build(*paths(archived), as_of=AS_OF)
    assert skipped == [set()]  # read from content/ instead
    assert cached.read_bytes() == data  # and kept again
    assert old_contract(archived) in (out / "v001" / "2026" / "assets" / "index.html").read_text(encoding="utf-8")
    assert verify(out).failures == []


def test_a_copy_made_from_an_earlier_copy_is_exact(tmp_path: Path):
    """Staging starts from the copy the previous build kept: whatever differs is mended."""
    source, copy = tmp_path / "out", tmp_path / "copy"
    for name, text in {"kept.html": "k", "replaced.html": "new", "a/now-a-folder/x.html": "x", "b": "now a file"}.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    link_copy(source, copy)
    os.unlink(copy / "replaced.html")
    (copy / "replaced.html").write_text("old", encoding="utf-8")
    shutil.rmtree(copy / "a" / "now-a-folder")
    (copy / "a" / "now-a-folder").write_text("was a file", encoding="utf-8")
    os.unlink(copy / "b")
    (copy / "b" / "c").mkdir(parents=True)
    (copy / "gone" / "deep").mkdir(parents=True)
    (copy / "gone" / "deep" / "x.html").write_text("removed since", encoding="utf-8")

    link_copy(source, copy)

    assert files_of(copy) == files_of(source)
    assert sorted(p.relative_to(copy).as_posix() for p in copy.rglob("*")) == \
        sorted(p.relative_to(source).as_posix() for p in source.rglob("*"))
    assert inodes(copy) == inodes(source)


@pytest.fixture
def settled_soon(monkeypatch: pytest.MonkeyPatch) -> float:
    """Folders count as left alone 20 ms after their last change, not 2 s: the seconds to wait."""
    monkeypatch.setattr(snapshot, "SETTLED_NS", 20_000_000)
    return 0.05


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders link_copy lists (os.scandir), as they are listed."""
    folders: list[str] = []
    real = os.scandir

    def scandir(path: str):
        folders.append(path)
        return real(path)

    monkeypatch.setattr(snapshot.os, "scandir", scandir)
    return folders


def test_a_copy_lists_only_the_folders_changed_since_the_earlier_copy(tmp_path: Path, settled_soon: float,
                                                                      listed: list[str]):
    """A build's copy of the whole archive looks into the folders that changed since the last one,
    and whatever changed, on either side, is mended."""
    source, copy = tmp_path / "out", tmp_path / "copy"
    for name in ("2025/a/x.html", "2025/b/y.html", "2026/a/x.html", "2026/b/y.html", "top.html"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(name, encoding="utf-8")
    link_copy(source, copy)
    time.sleep(settled_soon)
    earlier = link_copy(source, copy)  # changes nothing: from now on both sides are left alone
    time.sleep(settled_soon)
    del listed[:]
    link_copy(copy, source, earlier)  # as the next build's copy runs: the other way
    assert listed == []

    (source / "2026" / "b" / "z.html").write_text("new", encoding="utf-8")  # published since
    os.unlink(copy / "2025" / "a" / "x.html")  # and each side changed where the other did not
    (copy / "2025" / "a" / "x.html").write_text("stale", encoding="utf-8")
    shutil.rmtree(copy / "2026" / "a")
    (source / "2026" / "a" / "deep").mkdir()
    (source / "2026" / "a" / "deep" / "w.html").write_text("w", encoding="utf-8")
    del listed[:]
    link_copy(source, copy, earlier)
    assert {Path(path).relative_to(tmp_path).as_posix() for path in listed} == {
        f"{side}/{folder}" for side in ("out", "copy") for folder in ("2025/a", "2026", "2026/a", "2026/a/deep", "2026/b")}
    assert inodes(copy) == inodes(source)


def test_a_copy_between_other_folders_lists_them_all(tmp_path: Path, settled_soon: float, listed: list[str]):
    """What an earlier copy found the same says nothing of other folders at the same places."""
    source, copy, other = tmp_path / "out", tmp_path / "copy", tmp_path / "other"
    for folder in (source, other):
        (folder / "2025").mkdir(parents=True)
        (folder / "2025" / "x.html").write_text(folder.name, encoding="utf-8")
    link_copy(source, copy)
    time.sleep(settled_soon)
    earlier = link_copy(source, copy)
    time.sleep(settled_soon)
    del listed[:]
    link_copy(other, copy, earlier)
    assert len(listed) == 4  # both sides of the root and of 2025
    assert inodes(copy) == inodes(other)


def test_a_clock_set_back_does_not_pass_a_change_off_as_older(tmp_path: Path, settled_soon: float,
                                                              monkeypatch: pytest.MonkeyPatch):
    """A folder changed after a copy, its change time stamped by a clock set back since (as a
    machine's clock can be corrected), is still seen as changed."""
    source, copy = tmp_path / "out", tmp_path / "copy"
    (source / "2026").mkdir(parents=True)
    (source / "2026" / "x.html").write_text("x", encoding="utf-8")
    link_copy(source, copy)
    time.sleep(settled_soon)
    real = time.time_ns
    with monkeypatch.context() as ahead:  # the clock an hour fast when the copy was made
        ahead.setattr(snapshot.time, "time_ns", lambda: real() + 3600 * 10**9)
        earlier = link_copy(source, copy)
    (source / "2026" / "y.html").write_text("published since", encoding="utf-8")
    time.sleep(settled_soon)
    link_copy(source, copy, earlier)
    assert inodes(copy) == inodes(source)


def test_a_build_keeps_the_old_output_to_start_the_next_copy_from(archived: Path):
    out = paths(archived)[2]
    edit_open_year(archived)
    build(*paths(archived), as_of=AS_OF)
    previous = cache_folder(out) / "previous"
    assert previous.is_dir() and not (out.parent / "previous").exists()
    # The closed year there is the very files online (hard links), not a byte copied.
    closed = sorted((out / "v001" / "2025").rglob("*.html"))
    assert closed and all((previous / p.relative_to(out)).stat().st_ino == p.stat().st_ino for p in closed)
    assert not [path for path in out.parent.iterdir() if path.name.startswith(f".{out.name}-")]
