"""The one way tests build a small portal (in the spirit of Hugo's integration-test builder):
write its files from a dict or a text block, then check it, read a page as the render stage
writes it, or build it.

    portal = Portal(tmp_path)            # site_config/_defaults.yml and the village `testv` (测试村)
    portal.files('''
    -- content/testv/2026/party/meeting.yml --
    title: 关于召开党员大会的通知
    ...
    ''')
    portal.check(as_of=date(2026, 6, 1)).problems
    portal.page("party", "meeting")      # content/…/party/meeting.yml's page, as Markdown for MkDocs
    portal.build(tmp_path / "public", as_of=date(2026, 6, 1))
"""

from __future__ import annotations

import re
import shutil
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.model import Checked
from generator.inputs.problems import Problems
from generator.pipeline.build import build
from generator.pipeline.check import check
from generator.render.pages import render_village_year

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

AS_OF = date(2026, 6, 1)

# A text block of files: each starts with a line `-- <relative path> --`.
_FILE_LINE = re.compile(r"^-- (\S+) --$", re.MULTILINE)


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write a small content/site_config tree for a test: {relative path: text}, as given."""
    for relative, text in files.items():
        _write(root / relative, text.encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def parse_files(block: str) -> dict[str, str]:
    """{relative path: text} from a text block of `-- <path> --` lines, each followed by its file."""
    parts = _FILE_LINE.split(textwrap.dedent(block))
    assert not parts[0].strip(), f"text before the first `-- path --` line: {parts[0]!r}"
    return dict(zip(parts[1::2], (text.lstrip("\n") for text in parts[2::2])))


class Portal:
    """A township with the village `testv` (测试村) in a folder, and the files a test writes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.checked: Checked | None = None  # the last check, which `page` renders
        self._docs: dict[int, Path] = {}  # the years of the last check rendered, by year
        self.write("site_config/_defaults.yml", DEFAULTS)
        self.write("site_config/testv.yml", VILLAGE)
        (root / "content" / "testv").mkdir(parents=True, exist_ok=True)

    # -- writing --------------------------------------------------------------------------------

    def write(self, relative: str, text: str | bytes, encoding: str = "utf-8") -> str:
        """Write a file (text dedented, in `encoding`; bytes as they are); returns `relative`."""
        data = text if isinstance(text, bytes) else textwrap.dedent(text).encode(encoding)
        _write(self.root / relative, data)
        self.checked = None
        return relative

    def files(self, files: dict[str, str] | str) -> None:
        """Write many files: {relative path: text}, or a text block of `-- <path> --` lines."""
        for relative, text in (parse_files(files) if isinstance(files, str) else files).items():
            self.write(relative, text)

    def record(self, year: int | str, section: str, name: str, text: str) -> str:
        return self.write(f"content/testv/{year}/{section}/{name}", text)

    def village(self, text: str) -> str:
        """The settings of `testv` (site_config/testv.yml) instead of the default ones."""
        return self.write("site_config/testv.yml", text)

    def rules(self, section: str, text: str = "") -> str:
        """The township's settings with `rules.<section>` (a section the defaults do not name)."""
        rules = f"  {section}:\n" + textwrap.indent(textwrap.dedent(text), "    ") if text else ""
        return self.write("site_config/_defaults.yml", DEFAULTS + rules)

    # -- reading it back ------------------------------------------------------------------------

    def check(self, as_of: date = AS_OF, frequency: bool = False) -> Checked:
        """load → model → check. Without `frequency`, the other rules' verdicts only: these
        few-record villages publish too seldom for the disclosure-frequency rule, which has its
        own tests (tests/kinds/test_compliance.py)."""
        checked = check(self.root / "content", self.root / "site_config", as_of=as_of)
        if not frequency:
            checked.problems = Problems(p for p in checked.problems if not p.key.startswith("disclosure_"))
            for village in checked.villages:
                village.findings = [p for p in village.findings if not p.key.startswith("disclosure_")]
        self.checked, self._docs = checked, {}
        return checked

    def page(self, section: str, page: str = "section", year: int | None = None) -> str:
        """A page of `testv` as the render stage writes it (Markdown with raw HTML, for MkDocs):
        the section's page, or a record's by its id; of the last check (or a new one), in
        `year` or the latest year with records."""
        checked = self.checked or self.check()
        village = checked.villages[0]
        year = year or village.years[0]
        if year not in self._docs:
            docs = self.root / "docs" / str(year)
            shutil.rmtree(docs, ignore_errors=True)
            render_village_year(village.village_year(year), docs, village.catalogue)
            self._docs[year] = docs
        name = "index" if page == "section" else page
        return (self._docs[year] / section / f"{name}.md").read_text(encoding="utf-8")

    def build(self, out: Path, **options: Any) -> Checked:
        """The whole build (generator.pipeline.build) into `out`; `options` are BuildOptions."""
        return build(self.root / "content", self.root / "site_config", out, **options)
