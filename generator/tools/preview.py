"""`serve --watch`: a clerk's edit on screen at once.

Publishing a big village-year takes seconds. So, when only records changed, the pages of the
records edited are first rendered on their own, each in the shell the last build laid out its
folder with (kept for this: pages.RecordPages), and served in place of the published pages until
the build that follows has published them. The rules run over the whole village first, so a
preview page shows what the published one will (its findings, the days left on the board), and
it is scanned for full personal numbers like every page. Anything else waits for the build: a
change to the settings, a record with an error, a new folder, a closed year, lists of records.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.site.audit import scan_page
from generator.pipeline.check import check
from generator.site.record_pages import content_of, in_shell
from generator.fs.paths import cache_folder
from generator.render.pages import YearPages
from generator.site.mkdocs import Shell


def shells_folder(out: Path) -> Path:
    """Where `serve --watch` keeps the shells of the years it builds: with what other builds
    keep, beside the output folder, never in it (it is published)."""
    return cache_folder(out.resolve()) / "shells"


@dataclass
class Preview:
    content: Path
    config: Path
    out: Path
    as_of: date | None = None
    pages: dict[str, bytes] = field(default_factory=dict)  # by address under the output folder

    def show(self, changed: list[Path]) -> bool:
        """Render the pages of the records among `changed` (every file that changed); True when
        every changed file was a record's, and each of their pages is ready to be served."""
        content = self.content.resolve()
        edited: dict[str, list[tuple[int, str, str]]] = {}  # village → (year, section, record id)
        for path in map(Path.resolve, changed):
            parts = path.relative_to(content).parts if path.is_relative_to(content) else ()
            if len(parts) != 4 or not parts[1].isdigit():
                return False  # settings, or not a record's file: the build shows it
            edited.setdefault(parts[0], []).append((int(parts[1]), parts[2], Path(parts[3]).stem))
        checked = check(self.content, self.config, sorted(edited), as_of=self.as_of, out=self.out)
        if checked.problems.errors:
            return False
        pages = {}
        with tempfile.TemporaryDirectory(prefix=".preview-") as tables:  # its tables are not served
            for village in checked.villages:
                for year, section_name, record_id in edited[village.id]:
                    page = self._page(village, year, section_name, record_id, Path(tables))
                    if page is None:
                        return False
                    pages[f"{village.id}/{year}/{section_name}/{record_id}/index.html"] = page
        self.pages.update(pages)
        return True

    def _page(self, village, year: int, section_name: str, record_id: str, tables: Path) -> bytes | None:
        shell = Shell.load(shells_folder(self.out) / village.id / str(year) / f"{section_name}.json")
        if shell is None or village.archive.closed(year):
            return None
        year_pages = YearPages(village.village_year(year), village.catalogue)
        for section, record in year_pages.records:
            if section.name == section_name and record.id == record_id:
                page = year_pages.record(section, record, tables)
                html = in_shell(page, shell, content_of(page))
                return None if scan_page(html) else html.encode("utf-8")
        return None  # removed, or renamed: the build shows it

    def page(self, address: str) -> bytes | None:
        return self.pages.get(address)

    def clear(self) -> None:
        self.pages.clear()

