"""Fixtures for the unit tests: a small content/ + site_config/ tree in a temporary folder."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from generator.inputs.problems import Problems
from generator.domain.model import Checked
from generator.pipeline.check import check
from generator.inputs.messages import Catalogue

DEFAULTS = """\
township:
  name: 石桥镇
  county: 云溪县
rules:
  party:
    posting_days: 7
  affairs:
    posting_days: 7
  finance:
    posting_days: 15
"""

VILLAGE = "name: 测试村\npopulation: 1200\nhouseholds: 300\n"


class Portal:
    """A village `testv` with the files a test writes; `check()` runs load → model → check."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.write("site_config/_defaults.yml", DEFAULTS)
        self.write("site_config/testv.yml", VILLAGE)
        (root / "content" / "testv").mkdir(parents=True)

    def write(self, relative: str, text: str | bytes, encoding: str = "utf-8") -> str:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(textwrap.dedent(text).encode(encoding))
        return relative

    def record(self, year: int | str, section: str, name: str, text: str) -> str:
        return self.write(f"content/testv/{year}/{section}/{name}", text)

    def check(self, as_of: date = date(2026, 6, 1)) -> Checked:
        """The other rules' verdicts. These few-record villages publish too seldom for the
        disclosure-frequency rule, which has its own tests (tests/kinds/test_compliance.py)."""
        checked = check(self.root / "content", self.root / "site_config", as_of=as_of)
        checked.problems = Problems(p for p in checked.problems if not p.key.startswith("disclosure_"))
        for village in checked.villages:
            village.findings = [p for p in village.findings if not p.key.startswith("disclosure_")]
        return checked


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Portal:
    # Problems name files relative to the working folder, as a clerk would type them.
    monkeypatch.chdir(tmp_path)
    return Portal(tmp_path)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue()
