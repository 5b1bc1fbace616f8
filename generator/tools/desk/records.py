"""What the desk finds: the villages, their years, each section's records newest first with their
state on the board (公示中, days left, findings), all read and checked as `check` reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.archive.published import archive_of
from generator.domain.kinds import KINDS
from generator.domain.model import Checked
from generator.inputs.load import YEAR
from generator.inputs.messages import Catalogue
from generator.inputs.problems import Problem, Problems, Severity
from generator.inputs.load import villages_in
from generator.pipeline.check import check


@dataclass
class Found:
    """One record as a line of the list."""

    record_id: str
    section: str
    title: str
    day: date | None
    state: str  # posting | over | none
    days_left: int | None
    errors: int = 0
    findings: int = 0
    book: str | None = None  # the workbook it is a sheet of (its stem: 2026, 2026-dibao), if it is one


@dataclass
class Desk:
    content: Path
    config: Path
    out: Path
    as_of: date | None = None
    catalogue: Catalogue = field(default_factory=Catalogue)

    def villages(self) -> list[tuple[str, str, list[int]]]:
        """(id, name, years newest first) of every village."""
        found = []
        checked = self.check()
        names = {village.id: village.settings.name for village in checked.villages}
        for village_id in villages_in(self.content, Problems()):
            folder = self.content / village_id
            years = sorted((int(path.name) for path in folder.iterdir() if path.is_dir() and YEAR.match(path.name)),
                           reverse=True)
            found.append((village_id, names.get(village_id, village_id), years))
        return found

    def check(self, village: str | None = None) -> Checked:
        """Every record read and checked with its village's others, as `check` does (with the
        published folder, so that changes to closed years are caught too)."""
        return check(self.content, self.config, [village] if village else None, as_of=self.as_of, out=self.out)

    def today(self, checked: Checked) -> date:
        for village in checked.villages:
            if village.settings.as_of:
                return village.settings.as_of
        return self.as_of or date.today()

    def closed(self, village: str, year: int) -> bool:
        return archive_of(self.out.resolve(), village).closed(year)

    def year(self, village: str, year: int) -> tuple[str, dict[str, list[Found]], Checked]:
        """The village's name and its year's records by section (in the kinds' order), newest first."""
        checked = self.check(village)
        name = village
        sections: dict[str, list[Found]] = {section: [] for section in KINDS}
        today = self.today(checked)
        for checked_village in checked.villages:
            name = checked_village.settings.name
            for record in checked_village.records:
                if record.year != year or record.section not in sections:
                    continue
                book = book_of(record)
                if book is None:
                    mine = problems_of(checked.problems, self.content, village, year, record.section, record.id)
                else:
                    mine = sheet_problems(checked.problems, record)
                sections[record.section].append(_found(record, record.heading(self.catalogue), today, mine, book))
        # A record that could not be read (an error in it) is listed still: it is the one to fix.
        for section, records in sections.items():
            folder = self.content / village / str(year) / section
            # A workbook's YAML (its sheets' facts) is no record of its own.
            listed = {found.record_id for found in records} | {found.book for found in records} | {str(year)}
            for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
                if path.stem in listed or path.name.startswith(".") or path.suffix not in (".yml", ".yaml"):
                    continue
                mine = problems_of(checked.problems, self.content, village, year, section, path.stem)
                records.append(Found(path.stem, section, path.stem, None, "none", None,
                                     sum(p.severity is Severity.ERROR for p in mine),
                                     sum(p.severity is Severity.FINDING for p in mine)))
        for records in sections.values():
            records.sort(key=lambda found: (found.day or date.min, found.record_id), reverse=True)
        return name, sections, checked


def book_of(record: Any) -> str | None:
    """The stem of the workbook a record is a sheet of; None for a record of its own files."""
    source = record.source
    where = source.table_location or source.location
    stem = Path(where.path).stem
    return stem if stem != record.id and Path(where.path).suffix.lower() == ".xlsx" else None


def sheet_problems(problems: Problems, record: Any) -> list[Problem]:
    """The problems of one sheet's record: located on its sheet, or at its lines of the YAML beside."""
    source = record.source
    sheet = source.table_location.sheet.name if source.table_location and source.table_location.sheet else None
    book = Path((source.table_location or source.location).path)
    lines = set(source.document.lines.values())
    mine = []
    for problem in problems:
        where = problem.location
        if Path(where.path) == book and (sheet is None or (where.sheet is not None and where.sheet.name == sheet)):
            mine.append(problem)
        elif where.path == source.location.path != str(book) and where.line in lines:
            mine.append(problem)
    return mine


def book_problems(problems: Problems, content: Path, book: Any) -> list[Problem]:
    """Every problem located in a workbook or the YAML beside it."""
    folder = book.folder.resolve()
    mine = []
    for problem in problems:
        path = Path(problem.location.path)
        path = (path if path.is_absolute() else Path.cwd() / path).resolve()
        if path.parent == folder and path.stem == book.stem:
            mine.append(problem)
    return mine


def _found(record: Any, title: str, today: date, problems: list[Problem], book: str | None = None) -> Found:
    day = getattr(record, "date", None)
    until = getattr(record, "posted_until", None)
    state, left = "none", None
    if isinstance(until, date) and isinstance(day, date):
        if day <= today <= until:
            state, left = "posting", (until - today).days
        elif today > until:
            state = "over"
    return Found(record.id, record.section, title or record.id, day if isinstance(day, date) else None, state, left,
                 sum(p.severity is Severity.ERROR for p in problems),
                 sum(p.severity is Severity.FINDING for p in problems), book)


def problems_of(problems: Problems, content: Path, village: str, year: int, section: str,
                record_id: str) -> list[Problem]:
    """The problems located in one record's files (its YAML and its table)."""
    folder = (content / village / str(year) / section).resolve()
    mine = []
    for problem in problems:
        path = Path(problem.location.path)
        path = (path if path.is_absolute() else Path.cwd() / path).resolve()
        if path.parent == folder and path.stem == record_id:
            mine.append(problem)
    return mine


def address_of(problem: Problem, content: Path) -> str | None:
    """The desk's form of the record a problem is in, if it is in a record's files."""
    path = Path(problem.location.path)
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    root = content.resolve()
    if not path.is_relative_to(root):
        return None
    parts = path.relative_to(root).parts
    if len(parts) == 5:  # a photo or scan in a record's own folder (inputs/attachments.py): the record's
        parts = (*parts[:3], parts[3] + ".yml")
    if len(parts) != 4 or not YEAR.match(parts[1]) or parts[2] not in KINDS:
        return None
    stem = Path(parts[3]).stem
    if stem == parts[1] and getattr(KINDS[parts[2]], "yearly_workbook", False):  # the year's workbook, or its facts
        return f"/b/{parts[0]}/{parts[1]}/{parts[2]}/{stem}"
    return f"/r/{parts[0]}/{parts[1]}/{parts[2]}/{stem}"
