"""Load, model and check every record of the villages: nothing is written (but to the cache of
closed years' records), and every problem is collected with its place, to be reported together."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from generator.archive.published import archive_of, check_closed_years
from generator.domain.check import check_village
from generator.domain.kinds import KINDS
from generator.domain.model import Archive, Checked, Village
from generator.domain.modelling import model_village
from generator.domain.settings import VillageSettings, load_settings
from generator.engine.closed_records import ClosedRecords
from generator.engine.workers import each
from generator.inputs.load import load, villages_in
from generator.inputs.problems import Location, Problems, Severity, relative


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
    raw = load(folder.parent, [settings.id], problems, KINDS, {settings.id: set(kept)}, settings.limits)[settings.id]
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


def shard(content: Path, k: int, n: int, only: list[str] | None = None) -> list[str]:
    """Share K of N (1 <= K <= N) of the villages: sorted ids, every N-th from the K-th. The same
    folders always give the same shares, so N machines build a county between them."""
    ids = sorted(villages_in(content, Problems()))
    return [village for index, village in enumerate(ids) if index % n == k - 1 and (not only or village in only)]
