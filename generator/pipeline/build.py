"""The whole build, top to bottom: check → build the years (render → site → index → audit) →
publish → township → the last look → the exchange.

Nothing is written until every record has passed its checks; then every village-year is built in
a working folder beside the output, the publication is planned (manifests, log entries, township
pages) and carried out in a staged copy of the output folder, every file publishing wrote is
scanned for full personal numbers, and only then does the copy replace the output folder, in one
atomic exchange (engine/staging.py): a build that fails, or is killed, changes nothing. A
village-year published from the inputs it has now is skipped (engine/years.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

from generator.archive.portal_manifest import seal
from generator.archive.published import archive_of
from generator.archive.publish import VillagePlan, commit_portal, commit_village, plan_village, published_villages
from generator.archive.signing import SigningKey, load_key
from generator.domain.model import BuildWarning, BuiltYear, Checked, Village
from generator.domain.settings import Printing, VillageSettings
from generator.engine.staging import Stage, staged, sweep_leftovers
from generator.engine.workers import each
from generator.engine.years import UpToDate, build_years, held, holding
from generator.inputs.messages import Catalogue
from generator.inputs.problems import InputError, relative
from generator.pipeline.check import check
from generator.pipeline.township import build_portal
from generator.pipeline.year import build_village_year
from generator.render.pages import environment
from generator.site.audit import audit_files
from generator.site.audit import problems_of as leak_problems

Progress = Callable[[str], None]
# Files the last look at a publication reads in a process of its own, at the least: fewer are
# read sooner than a process starts.
_AUDIT_SHARE = 1000


@dataclass(frozen=True)
class BuildOptions:
    only: list[str] | None = None  # these villages, not all
    as_of: date | None = None  # the day the rules take as today, over the settings'
    pdf: bool = False  # the printed bulletins as PDFs too (as `print.pdf` in the settings)
    years: list[int] | None = None  # only these years are built and published
    jobs: int = 1  # village-years built in that many processes at once
    force: bool = False  # build years that are up to date too
    shells: Path | None = None  # where each year built keeps its record pages' shells (tools/preview.py)
    key: Path | None = None  # the township's secret signing key (archive/signing.py); None: unsigned


def build(content: Path, config: Path, out: Path, *, progress: Progress = lambda message: None,
          **options: Any) -> Checked:
    """Build and publish the villages of `content` into `out`; `options` are `BuildOptions`."""
    opts, out = BuildOptions(**options), out.resolve()
    key = load_key(opts.key, out) if opts.key else None  # a key that can't be used stops the build before it starts
    sweep_leftovers(out)
    up_to_date = UpToDate(content, out, lambda settings: _printing(settings, opts.pdf), opts.years, opts.force)
    checked = check(content, config, opts.only, as_of=opts.as_of, out=out, unchanged=up_to_date.village,
                    closed=up_to_date.closed, jobs=opts.jobs)
    if checked.problems.errors:
        raise InputError(checked.problems)
    for settings in checked.unchanged:
        for year in up_to_date.current[settings.id]:
            _report_current(progress, Catalogue("zh", settings.messages), settings, year)
    for village in checked.villages:
        village.settings = _printing(village.settings, opts.pdf)
    current = {year for found in up_to_date.current.values() for year in found}
    checked.warnings.extend(_warnings(checked.villages, checked.unchanged, opts.years, current))
    if not checked.villages:
        return checked  # every village-year is published as it would be built now
    with staged(out) as stage, holding(checked.villages):
        tasks = up_to_date.to_build(checked.villages, opts.shells, lambda village, year: _report_current(
            progress, village.catalogue, village.settings, year))
        built = build_years(tasks, build_village_year, stage.work, out, progress, opts.jobs)
        checked.built = [(village, year) for village, years in built.items() for year in sorted(years)]
        written = _publish(stage, checked.villages, built, progress, opts.jobs, key)
        _last_look(stage, written, opts.jobs, [record for village in checked.villages for record in village.records])
        stage.publish()
    return checked


def _publish(stage: Stage, villages: list[Village], built: dict[str, dict[int, BuiltYear]], progress: Progress,
             jobs: int, key: SigningKey | None = None) -> list[Path]:
    """Every village's built years put into the staged copy with their manifests, logs and feeds,
    and the township pages (built beside them), all sealed under the portal's manifest (signed
    with `key`); returns the files written."""
    staged_out = stage.copied()
    for village in villages:
        village.archive = archive_of(staged_out, village.id)
    plans = [plan_village(village.summary(), built.get(village.id, {}), village.archive) for village in villages]
    first = villages[0]
    portal = stage.aside(build_portal, first.settings, first.catalogue, plans, published_villages(staged_out),
                         stage.work / "_portal", key.public if key else "")
    progress(first.catalogue.text("report.publishing"))
    # Each village's folder is its own: they are published side by side.
    written = [path for paths in each(_commit_held, [(plan,) for plan in plans], jobs) for path in paths]
    written += commit_portal(staged_out, portal.result())
    return written + seal(staged_out, key, {village.id for village in villages})


def _commit_held(plan: VillagePlan) -> list[Path]:
    """A village published as planned, with the feed of its records made where it is published."""
    village = held(plan.summary.id)
    catalogue = village.catalogue
    return commit_village(replace(plan, notices=village.feed_entries()), environment(catalogue),
                          lambda year: catalogue.text("site.year", year=year))


def _last_look(stage: Stage, written: list[Path], jobs: int, records: list[Any] = ()) -> None:
    """No full personal number in anything publishing wrote (each leak named by the record of
    `records` it came from). (A year's site files were scanned as it was built, and are moved,
    not rewritten.)"""
    shares = max(1, min(jobs, len(written) // _AUDIT_SHARE))
    leaks = [leak for found in each(audit_files, [(stage.folder, written[k::shares], relative(stage.out))
                                                  for k in range(shares)], shares) for leak in found]
    if leaks:
        raise InputError(leak_problems(leaks, records))


def _warnings(villages: list[Village], unchanged: list[VillageSettings], years: list[int] | None,
              current: set[int]) -> list[BuildWarning]:
    """`unchanged`: the villages up to date, which are not read (their `current` years are
    published as they would be built now, without QR codes too when they have no site_url)."""
    found = []
    building = [village.settings for village in villages
                if any(years is None or year in years for year in village.years_to_build)]
    for settings in sorted(building + unchanged, key=lambda settings: settings.id):
        if not settings.site_url:
            found.append(BuildWarning("no_site_url", {"village": settings.name, "village_id": settings.id}))
    for year in years or []:
        if year not in current and not any(year in village.years_to_build for village in villages):
            found.append(BuildWarning("year_not_found", {"year": year}))
    return found


def _report_current(progress: Progress, catalogue: Catalogue, settings: VillageSettings, year: int) -> None:
    progress(catalogue.text("report.up_to_date", village=settings.name, year=year))


def _printing(settings: VillageSettings, pdf: bool) -> VillageSettings:
    """`build --pdf` prints the bulletins as `print.pdf` in the settings would."""
    return settings.model_copy(update={"printing": Printing(pdf=True)}) if pdf else settings
