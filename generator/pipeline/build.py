"""The whole build, top to bottom: load → model → check → render → site → index → publish.

Nothing is written until every record has passed its checks; then every village-year is built
in a working folder beside the output, the publication is planned (manifests, log entries,
township pages) and carried out in a hard-link copy of the output folder, every file written is
scanned for full personal numbers (audit.py), and only then does the copy replace the output
folder, in one atomic exchange: a build that fails, or is killed, changes nothing.

Builds are incremental: a village-year published from the inputs it has now (generator/engine/fingerprints.py)
is skipped, and a village whose every year to build is up to date is not even read.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Callable, ContextManager, Iterator, NamedTuple

from generator.domain.model import Archive
from generator.archive.published import archive_of, check_closed_years, manifest_of
from generator.domain.chain import CLOSE, Chain
from generator.engine.closed_records import ClosedRecords
from generator.site.audit import audit_files, audit_tree
from generator.site.audit import problems_of as leak_problems
from generator.domain.check import check_village
from generator.site.search_index import Indexing, warm_up
from generator.engine.fingerprints import tool_fingerprint, year_fingerprints
from generator.inputs.load import load, villages_in
from generator.inputs.messages import Catalogue
from generator.domain.modelling import model_village
from generator.fs.paths import cache_folder
from generator.render.pdf import print_bulletins
from generator.inputs.problems import InputError, Location, Problems, Severity, relative
from generator.domain.model import BuiltYear, VillageSummary
from generator.archive.publish import VillagePlan, commit_portal, commit_village, plan_village, published_villages
from generator.domain.kinds import KINDS
from generator.site.record_pages import RecordPages
from generator.domain.model import PortalVillage
from generator.render.pages import YearPages, environment, render_portal
from generator.domain.settings import Printing, VillageSettings, load_settings
from generator.site.mkdocs import build_site
from generator.fs.link_copy import Copy, link_copy
from generator.archive.manifest import digests
from generator.fs.files import exchange, keep, read_kept, sweep, working_folder, write_atomic
from generator.engine.workers import each, forked, share
from generator.domain.model import BuildWarning, Checked, Village

Progress = Callable[[str], None]
# Linux's folder in memory, for what a build writes only to read it back once (None: the default).
_IN_MEMORY = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
_SCRATCH = "village-portal-scratch-"
# Files the last look at a publication reads in a process of its own, at the least: fewer are
# read sooner than a process starts.
_AUDIT_SHARE = 1000


def check(content: Path, config: Path, only: list[str] | None = None, language: str = "zh",
          as_of: date | None = None, out: Path | None = None,
          unchanged: Callable[[VillageSettings, Archive], bool] | None = None,
          closed: ClosedRecords | None = None, jobs: int = 1) -> Checked:
    """Load, model and check every record; nothing is written but to `closed`. `as_of` overrides
    the settings'; with `out`, changes to years closed there are checked too, and the records of
    villages that `unchanged` says are published as they stand are not read. With `closed` (and
    `out`), the records of closed years whose files are those published are taken from that
    cache, as they were modelled when first read (and kept there, if it had none, once all passed
    the checks). Villages are checked in `jobs` processes at once."""
    problems = Problems()
    ids = villages_in(content, problems)
    for wanted in only or []:
        if wanted not in ids:
            problems.add(Location(relative(content / wanted)), "village_not_found", village=wanted)
    ids = [village for village in ids if not only or village in only]
    settings = load_settings(config, ids, problems)
    if as_of is not None:
        settings = {key: value.model_copy(update={"as_of": as_of}) for key, value in settings.items()}
    archives = {village_id: archive_of(out.resolve(), village_id) for village_id in settings} if out else {}
    cache = closed if out is not None else None
    if cache is not None:
        cache.look_at([content / village_id for village_id in settings], jobs)
    skipped = [key for key, value in settings.items() if unchanged is not None and unchanged(value, archives[key])]
    unread = [settings.pop(key) for key in skipped]
    tasks = [(content / village_id, village_settings, archives.get(village_id), cache,
              cache.unchanged_years(village_settings, content / village_id, archives[village_id]) if cache else {},
              language) for village_id, village_settings in settings.items()]
    villages = []
    for village, found, entries in each(_check_village, tasks, jobs):
        problems.extend(found)
        for year, entry in entries.items():
            cache.keep(village.id, year, entry)
        villages.append(village)
    if cache is not None and not problems.errors:
        cache.commit()
    return Checked(villages, problems, unchanged=unread)


def _check_village(folder: Path, settings: VillageSettings, archive: Archive | None, closed: ClosedRecords | None,
                   settled: dict[int, str], language: str) -> tuple[Village, Problems, dict[int, bytes]]:
    """One village checked, what was found, and the entries to keep in `closed` (year → entry)
    for its closed years whose files are as published (`settled`: year → cache key) when the
    cache had none."""
    problems = Problems()
    cached = {year: closed.read(settings.id, year, key) for year, key in settled.items()}
    kept = {year: records for year, records in cached.items() if records is not None}
    raw = load(folder.parent, [settings.id], problems, KINDS, {settings.id: set(kept)})[settings.id]
    records = model_village(raw, settings, problems)
    entries = {year: ClosedRecords.entry(key, [record for record in records if record.year == year])
               for year, key in settled.items() if year not in kept}
    # In the order `load` reads them, as if every year had been read (pages list ties so).
    records = sorted(records + [record for year_records in kept.values() for record in year_records],
                     key=lambda record: record.year)
    found_now = check_village(records, settings, set(settled))
    problems.extend(found_now)
    village = Village(settings, records, [p for p in found_now if p.severity is Severity.FINDING], language)
    if archive is not None:
        village.archive = archive
        village.corrected = check_closed_years(records, archive, problems)
    return village, problems, entries


def build(content: Path, config: Path, out: Path, only: list[str] | None = None,
          progress: Progress = lambda message: None, as_of: date | None = None,
          pdf: bool = False, years: list[int] | None = None, jobs: int = 1, force: bool = False,
          shells: Path | None = None) -> Checked:
    """With `pdf`, the printed bulletins are made as PDFs too (as `print.pdf` in the settings);
    with `years`, only those years are built and published, the others stay as they are; with
    `jobs` above 1, village-years are built in that many processes at once. A year published
    from the same inputs (generator/engine/fingerprints.py) is skipped as up to date, unless `force`. With
    `shells`, each year built keeps its record pages' shells there (preview.py)."""
    out = out.resolve()
    _sweep(out)
    tool = tool_fingerprint()
    closed = ClosedRecords(out, tool)
    fingerprints: dict[str, dict[int, str]] = {}  # village → year → its inputs' fingerprint
    current: dict[str, list[int]] = {}  # villages whose every year to build is up to date: those years

    def up_to_date(settings: VillageSettings, archive: Archive) -> bool:
        files = closed.record_files(content / settings.id)
        if files is None:
            return False  # not only records: reading them says what is wrong
        fingerprints[settings.id] = year_fingerprints(_printing(settings, pdf), files, tool)
        skipped = None if force else _current_years(files, fingerprints[settings.id], archive, years)
        if skipped:
            current[settings.id] = skipped
        return bool(skipped)

    checked = check(content, config, only, as_of=as_of, out=out, unchanged=up_to_date, closed=closed, jobs=jobs)
    if checked.problems.errors:
        raise InputError(checked.problems)
    for settings in checked.unchanged:
        for year in current[settings.id]:
            _report_current(progress, Catalogue("zh", settings.messages), settings, year)
    for village in checked.villages:
        village.settings = _printing(village.settings, pdf)
    checked.warnings.extend(_warnings(checked.villages, checked.unchanged, years,
                                      {year for found in current.values() for year in found}))
    if not checked.villages:
        return checked  # every village-year is published as it would be built now
    out.parent.mkdir(parents=True, exist_ok=True)
    with working_folder(out.parent, f".{out.name}-build-") as work, _forked_with(checked.villages):
        # Everything is published into a copy of the output folder made of hard links (no byte is
        # copied), which replaces the output folder in one atomic exchange at the very end: a
        # build that fails or is killed at any moment leaves the output exactly as it was.
        # (So publishing must replace files, never write into one it did not create.)
        staged = work / "_out"
        # A process of its own for what goes on beside the villages: the copy is made (it walks
        # the whole archive) while the years are built, the township pages while the villages
        # are published.
        with forked(1) as aside:
            copying = aside.submit(_stage, out, staged)
            all_built = _build_years(checked.villages, years, work, out, progress, jobs, fingerprints, force, shells)
            copying.result()
            checked.built = [(village, year) for village, years in all_built.items() for year in sorted(years)]
            for village in checked.villages:
                village.archive = archive_of(staged, village.id)
            plans = [plan_village(village.summary(), all_built[village.id], village.archive)
                     for village in checked.villages]
            first = checked.villages[0]
            portal = aside.submit(build_portal, first.settings, first.catalogue, plans, published_villages(staged),
                                  work / "_portal")
            progress(first.catalogue.text("report.publishing"))
            # Each village's folder is its own: they are published side by side.
            written = [path for paths in each(_commit_forked, [(plan,) for plan in plans], jobs) for path in paths]
            written += commit_portal(staged, portal.result())
        # The last look: no full personal number in anything publishing wrote. (A year's site
        # files were scanned as it was built, and are moved here, not rewritten.)
        shares = max(1, min(jobs, len(written) // _AUDIT_SHARE))
        leaks = [leak for found in each(audit_files, [(staged, written[k::shares], relative(out))
                                                      for k in range(shares)], shares) for leak in found]
        if leaks:
            raise InputError(leak_problems(leaks, [record for village in checked.villages for record in village.records]))
        exchange(staged, out)  # the one moment the output folder changes
        _keep(staged, out)
    return checked


class YearToBuild(NamedTuple):
    village: Village
    year: int
    inputs: str  # the fingerprint of what it is built from (generator/engine/fingerprints.py)
    shells: Path | None  # where its record pages' shells are kept (preview.py)

    @property
    def size(self) -> int:
        return sum(1 for record in self.village.records if record.year == self.year)

    def folder_in(self, root: Path) -> Path:
        """Its folder under `root` (the working folder, the output): village/year."""
        return root / self.village.id / str(self.year)


def _build_years(villages: list[Village], years: list[int] | None, work: Path, out: Path, progress: Progress,
                 jobs: int, fingerprints: dict[str, dict[int, str]], force: bool,
                 shells: Path | None = None) -> dict[str, dict[int, BuiltYear]]:
    """Every village-year to build, each into its own working folder: one after another, or in
    `jobs` worker processes (each gets the village and builds one year; publishing stays here).
    A year published from the inputs it has now (`fingerprints`) is skipped, unless `force`."""
    tasks = []
    for village in villages:
        for year in village.years_to_build:
            if years is not None and year not in years:
                continue
            inputs = fingerprints.get(village.id, {}).get(year, "")
            if not force and _is_current(village.archive, year, inputs):
                _report_current(progress, village.catalogue, village.settings, year)
                continue
            tasks.append(YearToBuild(village, year, inputs, shells / village.id / str(year) if shells else None))
    built: dict[str, dict[int, BuiltYear]] = {village.id: {} for village in villages}
    if jobs <= 1 or len(tasks) <= 1:  # one at a time; one alone shares its record pages among `jobs`
        if tasks:
            warm_up()  # Pagefind reads its dictionary meanwhile
        for task in tasks:
            built[task.village.id][task.year] = build_village_year(
                task.village, task.year, task.folder_in(work), progress, relative(task.folder_in(out)), task.inputs,
                jobs, task.shells)
        return built
    with forked(min(jobs, len(tasks)), initializer=warm_up) as pool:
        schedule = _schedule(tasks, jobs)
        futures = [pool.submit(_build_forked, task.village.id, task.year, task.folder_in(work),
                               relative(task.folder_in(out)), task.inputs, task.shells, workers)
                   for task, workers in schedule]
        for (task, _), future in zip(schedule, futures):
            progress(task.village.catalogue.text("report.building", village=task.village.settings.name,
                                                 year=task.year, count=task.size))
            built[task.village.id][task.year] = future.result()
    return built


def _schedule(tasks: list[YearToBuild], jobs: int) -> list[tuple[YearToBuild, int]]:
    """The village-years in the order `jobs` workers take them, each with the number of
    processes its record pages are shared among. The largest go first, so that those left for
    the end are small; the last ones share theirs as the workers run out of years (a worker
    without one would wait idle for them): the very last among `jobs` processes, the one before
    among half as many, the one before that among a third, and so on."""
    ordered = sorted(tasks, key=lambda task: -task.size)
    return [(task, max(1, jobs // (len(ordered) - index))) for index, task in enumerate(ordered)]


# The villages of the build, for the processes it forks (to build a year, to publish a village)
# to find them as they fork: a village's records are not pickled over a pipe for each of its
# years (a megabyte at 200 records a year).
_VILLAGES: dict[str, Village] = {}


@contextmanager
def _forked_with(villages: list[Village]) -> Iterator[None]:
    global _VILLAGES
    _VILLAGES = {village.id: village for village in villages}
    try:
        yield
    finally:
        _VILLAGES = {}


def _build_forked(village_id: str, year: int, work: Path, published_as: str, inputs: str,
                  kept: Path | None, workers: int) -> BuiltYear:
    return build_village_year(_VILLAGES[village_id], year, work, _quiet, published_as, inputs, workers, kept)


def _commit_forked(plan: VillagePlan) -> list[Path]:
    """A village published as planned, with the feed of its records made where it is published."""
    village = _VILLAGES[plan.summary.id]
    catalogue = village.catalogue
    return commit_village(replace(plan, notices=village.feed_entries()), environment(catalogue),
                          lambda year: catalogue.text("site.year", year=year))


def _is_current(archive: Archive, year: int, inputs: str) -> bool:
    published = manifest_of(archive, year)
    return bool(inputs) and published is not None and published.inputs == inputs


def _current_years(files: dict[int, dict[str, str]], fingerprints: dict[int, str], archive: Archive,
                   years: list[int] | None) -> list[int] | None:
    """The years to build of a village, newest first, if every one is published from the inputs
    it has now and no closed year's records changed (a correction, or an error to report)."""
    found = []
    for year, records in sorted(files.items(), reverse=True):
        if archive.closed(year):
            closed = manifest_of(archive, year)
            if closed is None or closed.records != records:
                return None
        elif years is None or year in years:
            if not _is_current(archive, year, fingerprints[year]):
                return None
            found.append(year)
    return found or None


def _report_current(progress: Progress, catalogue: Catalogue, settings: VillageSettings, year: int) -> None:
    progress(catalogue.text("report.up_to_date", village=settings.name, year=year))


def _printing(settings: VillageSettings, pdf: bool) -> VillageSettings:
    """`build --pdf` prints the bulletins as `print.pdf` in the settings would."""
    return settings.model_copy(update={"printing": Printing(pdf=True)}) if pdf else settings


def _quiet(message: str) -> None:
    """A worker's progress: the main process reports each village-year as it arrives."""


def shard(content: Path, k: int, n: int, only: list[str] | None = None) -> list[str]:
    """Share K of N (1 <= K <= N) of the villages: sorted ids, every N-th from the K-th. The same
    folders always give the same shares, so N machines build a county between them."""
    ids = sorted(villages_in(content, Problems()))
    return [village for index, village in enumerate(ids) if index % n == k - 1 and (not only or village in only)]


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


def _stage(out: Path, staged: Path) -> None:
    """`staged`: a copy of `out` made of hard links. It starts from the copy of the output the
    previous build kept (`_keep`), so that only what changed since is linked anew, not the whole
    archive; and with what that copy found the same, only the folders changed since are listed."""
    if not out.is_dir():
        staged.mkdir(parents=True, exist_ok=True)
        return
    try:
        os.rename(_previous(out), staged)
    except OSError:
        pass  # none kept (a first build, one killed, or another build took it): link it all
    record = cache_folder(out) / "copy.pickle"
    keep(record, link_copy(out, staged, read_kept(record, Copy)))  # none kept: every folder is listed


def _keep(old: Path, out: Path) -> None:
    """After the exchange the output as it was is at `old`, hard links to the same files (no
    byte of its own): kept for the next build to start its copy from, instead of removed."""
    previous = _previous(out)
    previous.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(old, previous)
    except OSError:
        pass  # the first output (nothing was exchanged), or another build kept its own: removed


def _sweep(out: Path) -> None:
    """What builds (and closings) of `out` that were killed left beside it and in memory."""
    for prefix in (f".{out.name}-build-", f".{out.name}-close-"):
        sweep(out.parent, prefix)
    sweep(_IN_MEMORY, _SCRATCH)


def _previous(out: Path) -> Path:
    return cache_folder(out) / "previous"


def build_village_year(village: Village, year: int, work: Path, progress: Progress,
                       published_as: str = "", inputs: str = "", workers: int = 1,
                       keep_shells: Path | None = None) -> BuiltYear:
    """One village-year, from its records to a finished site folder: render → site → index →
    audit (no full personal number in any file; `published_as` names the site's folder in errors).
    `inputs` is the fingerprint of what it is made from, for its manifest; its record pages are
    rendered in `workers` processes, and their shells kept in `keep_shells` (preview.py)."""
    catalogue = village.catalogue
    village_year = village.village_year(year)
    progress(catalogue.text("report.building", village=village.settings.name, year=year,
                            count=len(village_year.records)))
    site = work / "site"
    shown_as = published_as or f"{village.id}/{year}"
    pages = YearPages(village_year, catalogue)
    indexing = Indexing(site)
    with _scratch() as scratch:
        docs = scratch / "docs"
        nav = pages.write_docs(docs)
        # The record pages are written, scanned and given to the index as MkDocs lays out the rest.
        records = RecordPages(pages, site, shown_as, indexing, share(workers) if workers > 1 else None, keep_shells)
        with _build_time(village.settings.today()):
            laid_out = build_site(docs, site, site_name=pages.site_name, nav=nav, catalogue=catalogue,
                                  overrides=village.settings.mkdocs, site_url=_site_url(village, year),
                                  records=records)
            pages.write_catalogue(site, records.datasets)
            if village.settings.printing.pdf:  # the printed bulletins, as files of the year's site
                print_bulletins(site, village_year, progress, catalogue)
    # While Pagefind makes the index: every file not scanned as it was written, and the digests
    # of all; then the index's files.
    indexing.seal()
    leaks = records.leaks + audit_tree(site, shown_as, laid_out.files)
    files = digests(site)
    indexing.finish()
    leaks += audit_tree(site / "pagefind", f"{shown_as}/pagefind")
    if leaks:
        raise InputError(leak_problems(leaks, village_year.records))
    files |= {f"pagefind/{path}": digest for path, digest in digests(site / "pagefind").items()}
    corrections = village.corrected.get(year)
    fingerprints = {record.source.key: record.source.fingerprint for record in village_year.records}
    return BuiltYear(site, dict(sorted(files.items())), fingerprints,
                     corrections.corrections[-1].source.key if corrections else None, inputs)


def _scratch() -> ContextManager[Path]:
    """A folder for what a build writes only for MkDocs to read once (pages as Markdown): in
    memory where the system has a folder for that. A file made on a slow disk costs more than a
    page's text, and on a file system without a journal, files made there for a minute after
    many were removed are slower still."""
    return working_folder(_IN_MEMORY, _SCRATCH)


@contextmanager
def _build_time(day: date) -> Iterator[None]:
    """MkDocs stamps the sitemap with the build time: make it the rules' "today" unless
    SOURCE_DATE_EPOCH says otherwise, so the same records and as_of give the same bytes."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(day, time(), tzinfo=timezone.utc).timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def _site_url(village: Village, year: int) -> str | None:
    base = village.settings.site_url
    return f"{base.rstrip('/')}/{village.id}/{year}/" if base else None


def build_portal(settings: VillageSettings, catalogue: Catalogue, plans: list[VillagePlan],
                 published: list[VillageSummary], work: Path) -> Path:
    """The township page and the history and closing notices of each village built now, as one
    small site, in the township's words and settings (`settings` of one of its villages); every
    village is listed, those built now (`plans`) and those already `published` (whose other
    pages are as they were: their logs have not changed)."""
    portal = {summary.id: PortalVillage(summary, None) for summary in published}
    for plan in plans:
        summary = VillageSummary(**{**plan.summary.__dict__, "years": plan.published_years or plan.summary.years})
        portal[summary.id] = PortalVillage(summary, plan.chain)
    with _scratch() as scratch:
        title = render_portal(settings.township, [portal[key] for key in sorted(portal)], scratch / "docs", catalogue)
        build_site(scratch / "docs", work / "site", site_name=title, nav=None, catalogue=catalogue,
                   overrides=settings.mkdocs, versioned=False, search=False)
    return work / "site"


def close(content: Path, config: Path, out: Path, year: int, only: list[str] | None = None,
          as_of: date | None = None) -> list[Village]:
    """Close a year: from now on builds never rewrite it. The year must be published as its
    records now stand; the log gets a closing entry, the village a closing notice."""
    out = out.resolve()
    _sweep(out)
    checked = check(content, config, only, as_of=as_of, out=out)
    problems = Problems(checked.problems.errors)
    closing: list[tuple[Village, Chain]] = []
    for village in checked.villages:
        manifest = manifest_of(village.archive, year)
        location = Location(relative(content / village.id / str(year)))
        if manifest is None:
            problems.add(location, "close_not_published", year=year)
            continue
        if village.archive.closed(year):
            continue
        current = {r.source.key: r.source.fingerprint for r in village.records if r.year == year}
        if current and current != manifest.records:
            problems.add(location, "close_not_current", year=year)
            continue
        chain = Chain(list(village.archive.chain.entries))
        chain.append(CLOSE, year, manifest.revision, manifest.root)
        closing.append((village, chain))
    if problems.errors:
        raise InputError(problems)
    if not closing:
        return []
    with working_folder(out.parent, f".{out.name}-close-") as work:
        plans = [VillagePlan(village.summary(), village.archive.village_dir, chain) for village, chain in closing]
        first = closing[0][0]
        portal = build_portal(first.settings, first.catalogue, plans, published_villages(out), work / "_portal")
        for village, chain in closing:
            write_atomic(village.archive.village_dir / "log.jsonl", chain.text())
        commit_portal(out, portal)
    return [village for village, _ in closing]
