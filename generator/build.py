"""The whole build, top to bottom: load → model → check → render → site → index → publish.

Nothing is written until every record has passed its checks; then every village-year is built
in a working folder beside the output, and only when all are built are they swapped in.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from generator.check import check_village
from generator.index import index_site
from generator.load import load, villages_in
from generator.messages import Catalogue
from generator.model import model_village
from generator.problems import InputError, Location, Problem, Problems, relative
from generator.publish import VillageSummary, publish_township, publish_village, published_villages
from generator.records import Record
from generator.render import VillageYear, environment, render_township, render_village_year
from generator.settings import VillageSettings, load_settings
from generator.site import build_site

Progress = Callable[[str], None]


@dataclass
class Village:
    """One village's settings, its checked records, and what the rules found."""

    settings: VillageSettings
    records: list[Record]
    findings: list[Problem] = field(default_factory=list)
    language: str = "zh"

    @property
    def catalogue(self) -> Catalogue:
        return Catalogue(self.language, self.settings.messages)

    @property
    def years(self) -> list[int]:
        return sorted({record.year for record in self.records}, reverse=True)

    def village_year(self, year: int) -> VillageYear:
        records = [record for record in self.records if record.year == year]
        paths = {record.source.location.path for record in records}
        paths |= {record.source.table_location.path for record in records if record.source.table_location}
        findings = [finding for finding in self.findings if finding.location.path in paths]
        return VillageYear(self.settings, year, self.years, records, findings, self.records)

    def summary(self) -> VillageSummary:
        latest = max((record.date for record in self.records), default=None)
        return VillageSummary(self.settings.id, self.settings.name, self.years,
                              latest.isoformat() if latest else None, len(self.records))


@dataclass
class Checked:
    villages: list[Village]
    problems: Problems


def check(content: Path, config: Path, only: list[str] | None = None, language: str = "zh",
          as_of: date | None = None) -> Checked:
    """Load, model and check every record; nothing is written. `as_of` overrides the settings'."""
    problems = Problems()
    ids = villages_in(content, problems)
    for wanted in only or []:
        if wanted not in ids:
            problems.add(Location(relative(content / wanted)), "village_not_found", village=wanted)
    ids = [village for village in ids if not only or village in only]
    settings = load_settings(config, ids, problems)
    if as_of is not None:
        settings = {key: value.model_copy(update={"as_of": as_of}) for key, value in settings.items()}
    raw = load(content, list(settings), problems)
    villages = []
    for village_id, village_settings in settings.items():
        records = model_village(raw[village_id], village_settings, problems)
        findings = check_village(records, village_settings)
        problems.extend(findings)
        villages.append(Village(village_settings, records, [f for f in findings if f.severity == "finding"], language))
    return Checked(villages, problems)


def build(content: Path, config: Path, out: Path, only: list[str] | None = None,
          progress: Progress = lambda message: None, as_of: date | None = None) -> Checked:
    checked = check(content, config, only, as_of=as_of)
    if checked.problems.errors:
        raise InputError(checked.problems)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out.name}-build-", dir=out.parent) as work_dir:
        work = Path(work_dir)
        built = {
            village.settings.id: {
                year: build_village_year(village, year, work / village.settings.id / str(year), progress)
                for year in village.years
            }
            for village in checked.villages
        }
        township = _build_township(checked.villages, out, work / "_township")
        # Only now, with every site built, does anything in `out` change.
        for village in checked.villages:
            catalogue = village.catalogue
            publish_village(out, village.summary(), built[village.settings.id], environment(catalogue),
                            lambda year: catalogue.text("site.year", year=year), work / village.settings.id)
        if township is not None:
            publish_township(out, township)
    return checked


def build_village_year(village: Village, year: int, work: Path, progress: Progress) -> Path:
    """One village-year, from its records to a finished site folder: render → site → index."""
    catalogue = village.catalogue
    village_year = village.village_year(year)
    progress(catalogue.text("report.building", village=village.settings.name, year=year,
                            count=len(village_year.records)))
    docs, site = work / "docs", work / "site"
    nav = render_village_year(village_year, docs, catalogue)
    build_site(docs, site, site_name=catalogue.text("site.village_year", village=village.settings.name, year=year),
               nav=nav, catalogue=catalogue, overrides=village.settings.mkdocs, site_url=_site_url(village, year))
    index_site(site)
    return site


def _site_url(village: Village, year: int) -> str | None:
    base = village.settings.site_url
    return f"{base.rstrip('/')}/{village.settings.id}/{year}/" if base else None


def _build_township(villages: list[Village], out: Path, work: Path) -> Path | None:
    """The township page lists every village: those built now and those already published."""
    if not villages:
        return None
    settings = villages[0].settings
    catalogue = villages[0].catalogue
    summaries = {summary.id: summary for summary in published_villages(out)}
    summaries.update({village.settings.id: village.summary() for village in villages})
    docs = work / "docs"
    title = render_township(settings.township, sorted(summaries.values(), key=lambda s: s.id), docs, catalogue)
    build_site(docs, work / "site", site_name=title, nav=None, catalogue=catalogue,
               overrides=settings.mkdocs, versioned=False, search=False)
    return work / "site"
