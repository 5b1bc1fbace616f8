"""The types that travel between the stages of a build: a village and its checked records, one
village-year as its pages are made from it, what a year's build leaves to publish, and what the
township page knows of each village. They belong to no stage."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.domain import board, compliance
from generator.domain.chain import Chain
from generator.domain.kinds import KINDS, CheckContext, Record
from generator.domain.settings import VillageSettings
from generator.inputs.messages import Catalogue, cn_date
from generator.inputs.problems import Problem, Problems

if TYPE_CHECKING:
    from generator.domain.compliance import DisclosureStatus


# -- a village ---------------------------------------------------------------------------------


@dataclass
class Archive:
    """One village's published state: its folder in the output and its log (archive/published.py
    reads it)."""

    village_dir: Path
    chain: Chain = field(default_factory=Chain)

    def closed(self, year: int) -> bool:
        return self.chain.closing(year) is not None


@dataclass
class ClosedYear:
    """A closed year whose records changed, and the correction notices that allow it."""

    year: int
    corrections: list[Record]  # correction notices (Record.is_correction)

    @property
    def notice(self) -> Record:
        """The notice the year's log entry names: the one issued last."""
        return max(self.corrections, key=lambda record: (record.date, record.id))


@dataclass
class Village:
    """One village's settings, its checked records, what the rules found, what is published."""

    settings: VillageSettings
    records: list[Record]
    findings: list[Problem] = field(default_factory=list)
    language: str = "zh"
    archive: Archive = field(default_factory=lambda: Archive(Path()))
    corrected: dict[int, ClosedYear] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.settings.id

    @property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.language, self.settings.messages)

    @property
    def years(self) -> list[int]:
        return sorted({record.year for record in self.records}, reverse=True)

    @property
    def years_to_build(self) -> list[int]:
        """Open years, and closed years whose change a correction notice allows; a closed year
        is otherwise never read from the archive nor rewritten."""
        return [year for year in self.years if not self.archive.closed(year) or year in self.corrected]

    def village_year(self, year: int) -> VillageYear:
        records = [record for record in self.records if record.year == year]
        paths = {record.source.location.path for record in records}
        paths |= {record.source.table_location.path for record in records if record.source.table_location}
        findings = [finding for finding in self.findings if finding.location.path in paths]
        return VillageYear(self.settings, year, self.years, records, findings, self.records)

    def summary(self) -> VillageSummary:
        """For the township page: the newest update, and each disclosure's status on the newest
        year's reference day (`as_of`, or the last day of a year that is over)."""
        latest = max((record.date for record in self.records), default=None)
        day = compliance.reference_day(self.years[0], self.settings.today()) if self.years else self.settings.today()
        statuses = [CategoryStatus.of(status) for status in compliance.statuses(self.records, self.settings, day)]
        catalogue = self.catalogue
        return VillageSummary(self.id, self.settings.name, self.years, latest.isoformat() if latest else None,
                              len(self.records), day.isoformat(), statuses,
                              board.findings(self.records, self.findings, catalogue),
                              board.posted(self.records, self.settings.today(), catalogue),
                              board.rates(self.records, self.findings, self.settings, day),
                              {f"{record.year}/{record.source.key}": record.heading(catalogue) for record in self.records})

    def feed_entries(self) -> list[FeedEntry]:
        """Every record as the village's feed would list it."""
        catalogue = self.catalogue
        return [FeedEntry(record.year, record.url, record.heading(catalogue),
                       catalogue.text("feed.summary", section=catalogue.text(f"sections.{record.section}.title"),
                                      date=cn_date(record.date, catalogue), summary=record.summary()),
                       record.date)
                for record in self.records]


@dataclass(frozen=True)
class BuildWarning:
    """What a clerk should know about a build that is neither an error nor a finding (e.g. no
    site_url, so no QR code on the printed notices): printed as 注意：…; the build goes on."""

    key: str  # under `warning.` in the message catalogue
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, catalogue: Catalogue) -> str:
        return catalogue.text("warning.label") + catalogue.text(f"warning.{self.key}", **self.params)


@dataclass
class Checked:
    villages: list[Village]
    problems: Problems
    warnings: list[BuildWarning] = field(default_factory=list)
    unchanged: list[VillageSettings] = field(default_factory=list)  # villages not read: up to date
    built: list[tuple[str, int]] = field(default_factory=list)  # village-years built now


# -- a village-year, as its pages are made --------------------------------------------------


@dataclass
class Section:
    """A section page: one kind's records of the year, newest first."""

    name: str
    title: str
    records: list[Record]

    @property
    def latest(self) -> date | None:
        return self.records[0].date if self.records else None


@dataclass
class VillageYear:
    """Everything the pages of one village-year are made from."""

    settings: VillageSettings
    year: int
    years: list[int]  # every year the village has, newest first
    records: list[Record]
    findings: list[Problem] = field(default_factory=list)
    all_records: list[Record] = field(default_factory=list)  # the village's, every year

    @property
    def today(self) -> date:
        return self.settings.today()

    def sections(self, catalogue: Catalogue) -> list[Section]:
        result = []
        for name in KINDS:
            records = sorted((r for r in self.records if r.section == name), key=lambda r: (r.date, r.id), reverse=True)
            if records or KINDS[name].listed_when_empty:
                result.append(Section(name, catalogue.text(f"sections.{name}.title"), records))
        return result

    def context(self) -> CheckContext:
        return CheckContext(self.settings, self.all_records, year=self.year)

    def footer_records(self) -> list[Record]:
        """For each kind shown in every page's footer (`Record.in_footer`: 监督电话 …), its
        latest record by the year's end, this year's or an earlier one's: it stays in force
        until a newer one replaces it."""
        latest: dict[str, Record] = {}
        for record in self.all_records or self.records:
            if KINDS[record.section].in_footer and record.date.year <= self.year:
                held = latest.get(record.section)
                if held is None or (record.date, record.id) > (held.date, held.id):
                    latest[record.section] = record
        return [latest[name] for name in KINDS if name in latest]

    def posted_now(self) -> list[Record]:
        return sorted((r for r in self.records if r.is_posted_on(self.today)), key=lambda r: r.posted_until or r.date)

    @property
    def site_url(self) -> str | None:
        """The year's site's public address (`site_url` + `/<village>/<year>/`); None without site_url."""
        base = self.settings.site_url
        return f"{base.rstrip('/')}/{self.settings.id}/{self.year}/" if base else None

    def permanent_url(self, record: Record) -> str | None:
        """The record's permanent absolute address, for its printed QR code; None without site_url."""
        return f"{self.site_url}{record.url}" if self.site_url else None

    def findings_for(self, record: Record) -> list[Problem]:
        paths = {record.source.location.path}
        if record.source.table_location:
            paths.add(record.source.table_location.path)
        return [finding for finding in self.findings if finding.location.path in paths]


# -- what a year's build leaves, and what the township page knows -------------------------------


@dataclass(frozen=True)
class CategoryStatus:
    """Whether one of the three disclosures is on time, as the township page shows it
    (compliance.DisclosureStatus, kept in village.json)."""

    category: str  # party | affairs | finance
    state: str  # current | due (both on time) | overdue | none (nothing to go by yet)
    last_date: str | None  # ISO date of the latest disclosure
    due: str | None  # ISO date by which the next was, or is, due
    days_overdue: int

    @classmethod
    def of(cls, status: DisclosureStatus) -> CategoryStatus:
        return cls(status.category, status.state, status.last_date.isoformat() if status.last_date else None,
                   status.due.isoformat() if status.due else None, status.days_overdue)

    @property
    def on_time(self) -> bool:
        return self.state in ("current", "due")


@dataclass
class VillageSummary:
    id: str
    name: str
    years: list[int]  # newest first
    latest_date: str | None  # ISO date of the newest disclosure
    records: int
    as_of: str | None = None  # ISO date the statuses are for (the newest year's reference day)
    statuses: list[CategoryStatus] = field(default_factory=list)
    # The township board's lines (domain/board.py); absent from a village.json written before them.
    findings: list[board.BoardFinding] = field(default_factory=list)
    posted: list[board.BoardPosting] = field(default_factory=list)
    rates: list[board.Rate] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # <year>/<section>/<id>: the record's title

    @classmethod
    def read(cls, path: Path) -> VillageSummary:
        data = json.loads(path.read_text(encoding="utf-8"))
        # A village.json written before statuses were kept has none: the page says nothing of them.
        data["statuses"] = [CategoryStatus(**status) for status in data.get("statuses", [])]
        data["findings"] = [board.BoardFinding(**item) for item in data.get("findings", [])]
        data["posted"] = [board.BoardPosting(**item) for item in data.get("posted", [])]
        data["rates"] = [board.Rate(**item) for item in data.get("rates", [])]
        return cls(**data)

    @property
    def open_findings(self) -> int:
        return len(self.findings)

    @property
    def seriousness(self) -> tuple[int, int]:
        """How the board orders villages: the findings' total weight, then their number."""
        return (sum(item.weight for item in self.findings), len(self.findings))


@dataclass(frozen=True)
class FeedEntry:
    """A record as the village's feed lists it."""

    year: int
    path: str  # its address in its year's site: <section>/<id>/
    title: str
    summary: str
    day: date

    @property
    def link(self) -> str:
        """Its address from the village's folder, where the feed is."""
        return f"{self.year}/{self.path}"

    @property
    def updated(self) -> str:
        # The day it went up on the board, at midnight China time: a date, not the build's clock.
        return f"{self.day.isoformat()}T00:00:00+08:00"


@dataclass
class BuiltYear:
    """A village-year's site, built in the working folder, its files' digests (taken where it was
    built: in a worker process, with `--jobs`), and its records' fingerprints."""

    site: Path
    files: dict[str, str]
    records: dict[str, str]
    correction: str | None = None  # for a closed year: the correction notice that allows the change
    inputs: str = ""  # what its pages were made from (generator/engine/fingerprints.py)
    correction_date: str | None = None  # the day that notice was issued (ISO)


@dataclass
class PortalVillage:
    """What the township-level pages show of one village: its summary and its log."""

    summary: VillageSummary
    chain: Chain | None  # None: its history and closing notices need not be written again
