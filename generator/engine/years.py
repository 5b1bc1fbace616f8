"""Which village-years a build makes, and how they are shared out among processes.

A village-year published from the inputs it has now (fingerprints.py) is skipped, and a village
whose every year to build is up to date is not even read. The others are built one after another,
or in `jobs` forked processes: each finds the villages as the build held them when it forked
(`held`), so a village's records are not pickled over a pipe for each of its years.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Protocol

from generator.archive.published import manifest_of
from generator.domain.model import Archive, BuiltYear, Village
from generator.domain.settings import VillageSettings
from generator.engine.closed_records import ClosedRecords
from generator.engine.fingerprints import tool_fingerprint, year_fingerprints
from generator.engine.workers import forked
from generator.inputs.problems import relative
from generator.site.search_index import warm_up

Progress = Callable[[str], None]


class BuildYear(Protocol):
    """How one village-year is built (pipeline/year.py)."""

    def __call__(self, village: Village, year: int, work: Path, progress: Progress, published_as: str,
                 inputs: str, workers: int, keep_shells: Path | None) -> BuiltYear: ...


class YearToBuild(NamedTuple):
    village: Village
    year: int
    inputs: str  # the fingerprint of what it is built from (fingerprints.py)
    shells: Path | None  # where its record pages' shells are kept (tools/preview.py)

    @property
    def size(self) -> int:
        return sum(1 for record in self.village.records if record.year == self.year)

    def folder_in(self, root: Path) -> Path:
        """Its folder under `root` (the working folder, the output): village/year."""
        return root / self.village.id / str(self.year)


class UpToDate:
    """What of a build's villages and years is published as it would be built now."""

    def __init__(self, content: Path, out: Path, settings_for_inputs: Callable[[VillageSettings], VillageSettings],
                 years: list[int] | None, force: bool) -> None:
        self.content, self.years, self.force = content, years, force
        self._settings = settings_for_inputs
        self.tool = tool_fingerprint()
        self.closed = ClosedRecords(out, self.tool)
        self.fingerprints: dict[str, dict[int, str]] = {}  # village → year → its inputs' fingerprint
        self.current: dict[str, list[int]] = {}  # villages whose every year to build is up to date

    def village(self, settings: VillageSettings, archive: Archive) -> bool:
        """Whether every year of the village to build is up to date (it need not be read)."""
        files = self.closed.record_files(self.content / settings.id)
        if files is None:
            return False  # not only records: reading them says what is wrong
        self.fingerprints[settings.id] = year_fingerprints(self._settings(settings), files, self.tool)
        skipped = None if self.force else self._current_years(files, self.fingerprints[settings.id], archive)
        if skipped:
            self.current[settings.id] = skipped
        return bool(skipped)

    def to_build(self, villages: list[Village], shells: Path | None,
                 report_current: Callable[[Village, int], None]) -> list[YearToBuild]:
        """The village-years to build now; those up to date are reported and left out."""
        tasks = []
        for village in villages:
            for year in village.years_to_build:
                if self.years is not None and year not in self.years:
                    continue
                inputs = self.fingerprints.get(village.id, {}).get(year, "")
                if not self.force and _is_current(village.archive, year, inputs):
                    report_current(village, year)
                    continue
                tasks.append(YearToBuild(village, year, inputs, shells / village.id / str(year) if shells else None))
        return tasks

    def _current_years(self, files: dict[int, dict[str, str]], fingerprints: dict[int, str],
                       archive: Archive) -> list[int] | None:
        """The years to build of a village, newest first, if every one is published from the inputs
        it has now and no closed year's records changed (a correction, or an error to report)."""
        found = []
        for year, records in sorted(files.items(), reverse=True):
            if archive.closed(year):
                closed = manifest_of(archive, year)
                if closed is None or closed.records != records:
                    return None
            elif self.years is None or year in self.years:
                if not _is_current(archive, year, fingerprints[year]):
                    return None
                found.append(year)
        return found or None


def _is_current(archive: Archive, year: int, inputs: str) -> bool:
    published = manifest_of(archive, year)
    return bool(inputs) and published is not None and published.inputs == inputs


def build_years(tasks: list[YearToBuild], build_year: BuildYear, work: Path, out: Path, progress: Progress,
                jobs: int) -> dict[str, dict[int, BuiltYear]]:
    """Every village-year of `tasks`, each into its own working folder under `work`: one after
    another, or in `jobs` worker processes (each builds one year at a time). One alone shares its
    record pages among `jobs` processes."""
    built: dict[str, dict[int, BuiltYear]] = {}
    if jobs <= 1 or len(tasks) <= 1:
        if tasks:
            warm_up()  # Pagefind reads its dictionary meanwhile
        for task in tasks:
            built.setdefault(task.village.id, {})[task.year] = build_year(
                task.village, task.year, task.folder_in(work), progress, relative(task.folder_in(out)), task.inputs,
                jobs, task.shells)
        return built
    with forked(min(jobs, len(tasks)), initializer=warm_up) as pool:
        schedule = _schedule(tasks, jobs)
        futures = [pool.submit(_build_held, build_year, task.village.id, task.year, task.folder_in(work),
                               relative(task.folder_in(out)), task.inputs, task.shells, workers)
                   for task, workers in schedule]
        for (task, _), future in zip(schedule, futures):
            progress(task.village.catalogue.text("report.building", village=task.village.settings.name,
                                                 year=task.year, count=task.size))
            built.setdefault(task.village.id, {})[task.year] = future.result()
    return built


def _schedule(tasks: list[YearToBuild], jobs: int) -> list[tuple[YearToBuild, int]]:
    """The village-years in the order `jobs` workers take them, each with the number of
    processes its record pages are shared among. The largest go first, so that those left for
    the end are small; the last ones share theirs as the workers run out of years (a worker
    without one would wait idle for them): the very last among `jobs` processes, the one before
    among half as many, the one before that among a third, and so on."""
    ordered = sorted(tasks, key=lambda task: -task.size)
    return [(task, max(1, jobs // (len(ordered) - index))) for index, task in enumerate(ordered)]


# The villages of the build, for the processes it forks (to build a year, to publish a village).
_HELD: dict[str, Village] = {}


@contextmanager
def holding(villages: list[Village]) -> Iterator[None]:
    """Processes forked inside the block find the villages as they fork (`held`)."""
    global _HELD
    _HELD = {village.id: village for village in villages}
    try:
        yield
    finally:
        _HELD = {}


def held(village_id: str) -> Village:
    return _HELD[village_id]


def _build_held(build_year: BuildYear, village_id: str, year: int, work: Path, published_as: str, inputs: str,
                kept: Path | None, workers: int) -> BuiltYear:
    return build_year(held(village_id), year, work, _quiet, published_as, inputs, workers, kept)


def _quiet(message: str) -> None:
    """A worker's progress: the main process reports each village-year as it arrives."""
