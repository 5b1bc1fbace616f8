"""`build --jobs N`: village-years built in worker processes give the very same output."""

from __future__ import annotations

from pathlib import Path

from generator.build import build
from tests.conftest import DEMO_AS_OF, ROOT


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file, but the publication log and its page (they hold the moment of publishing)."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != "log.jsonl" and path.parent.name != "changes"}


def test_jobs_build_the_same_portal(tmp_path):
    messages: list[str] = []
    build(ROOT / "content", ROOT / "site_config", tmp_path / "two", as_of=DEMO_AS_OF, jobs=2, progress=messages.append)
    build(ROOT / "content", ROOT / "site_config", tmp_path / "one", as_of=DEMO_AS_OF)
    assert _tree(tmp_path / "two") == _tree(tmp_path / "one")
    assert sum("2025" in message for message in messages) == 2  # each village-year reported once
