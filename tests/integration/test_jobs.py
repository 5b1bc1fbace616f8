"""`build --jobs N`: village-years built in worker processes give the very same output."""

from __future__ import annotations

from pathlib import Path

from generator.engine.years import YearToBuild, _schedule
from generator.pipeline.build import build
from generator.pipeline.check import check
from tests.conftest import DEMO_AS_OF, ROOT


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file, but the publication log, its page and the manifests above the years that hash
    it (they hold the moment of publishing)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != "log.jsonl" and path.parent.name != "changes"
            and not (path.name == "manifest.json" and len(path.relative_to(folder).parts) <= 2)}


def test_jobs_build_the_same_portal(tmp_path):
    messages: list[str] = []
    build(ROOT / "content", ROOT / "site_config", tmp_path / "two", as_of=DEMO_AS_OF, jobs=2, progress=messages.append)
    build(ROOT / "content", ROOT / "site_config", tmp_path / "one", as_of=DEMO_AS_OF)
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")
    assert sum("2025" in message for message in messages) == 2  # each village-year reported once


def test_largest_years_go_first_and_the_last_share_their_pages():
    """The workers take the largest village-years first; the last ones, built as the other
    workers run out of years, share their record pages: the last among all the processes, the
    one before among half as many."""
    villages = check(ROOT / "content", ROOT / "site_config", as_of=DEMO_AS_OF).villages
    tasks = [YearToBuild(village, year, "", None) for village in villages for year in village.years]
    sizes = sorted((task.size for task in tasks), reverse=True)
    assert len(sizes) > 3 and len(set(sizes)) > 2  # the demo's village-years differ in size

    schedule = _schedule(tasks, jobs=4)
    assert [task.size for task, _ in schedule] == sizes
    assert [workers for _, workers in schedule] == [1] * (len(tasks) - 2) + [2, 4]
    assert [workers for _, workers in _schedule(tasks, jobs=2)] == [1] * (len(tasks) - 1) + [2]
