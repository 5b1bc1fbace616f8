"""The records of closed years, kept modelled beside the output folder so that a build does not
read, model and check them again.

A closed year is never rebuilt, but later years look back at it: an asset ledger's lease signed
years ago, the last disclosure before the open year, the village's feed and its line on the
township page. As long as a closed year's record files are the ones its manifest lists, its
records are those checked when it was published; a build then only hashes the files (to notice
a change: a correction, or an error to report) and takes the records from here, as modelled then.

    <out parent>/.<out name>.cache/records/<village>/<year>.pickle

The record files' hashes are kept there too, so that unchanged files are not read again
(inputs.KnownHashes):

    <out parent>/.<out name>.cache/hashes/<village>.pickle

Each file starts with the key it was made for (the year's record fingerprints, the village's
folder as locations name it, its settings but "today", the tool): a file for another key, or
one that cannot be read, is ignored and the year read from `content/` as before. The folder is
not published, and is as trusted as the output folder beside it (its files are unpickled).
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

from generator.archive.published import manifest_of
from generator.domain.model import Archive
from generator.engine.fingerprints import KnownHashes
from generator.domain.kinds import KINDS
from generator.inputs.load import record_files
from generator.fs.paths import cache_folder
from generator.inputs.problems import relative
from generator.domain.kinds import Record
from generator.domain.settings import VillageSettings
from generator.fs.files import write_atomic
from generator.engine.workers import each


class ClosedRecords:
    """The cache of one output folder, and the record files of the villages a build looks at."""

    def __init__(self, out: Path, tool: str) -> None:
        self.folder = cache_folder(out) / "records"  # beside the previous output and the shells
        self.tool = tool
        self._files: dict[Path, dict[int, dict[str, str]] | None] = {}
        self._pending: dict[tuple[str, int], bytes] = {}

    def __getstate__(self) -> dict:
        # What a process checking a village needs (it reads the cache), not every village's hashes.
        return {"folder": self.folder, "tool": self.tool, "_files": {}, "_pending": {}}

    def record_files(self, village_folder: Path) -> dict[int, dict[str, str]] | None:
        """load.record_files, hashed once per build (the skip test and the cache both need them)."""
        if village_folder not in self._files:
            known = KnownHashes(self.folder.parent / "hashes" / f"{village_folder.name}.pickle")
            self._files[village_folder] = record_files(village_folder, KINDS, known.of)
            known.save()
        return self._files[village_folder]

    def look_at(self, village_folders: list[Path], jobs: int) -> None:
        """The record files of many villages, hashed in `jobs` processes at once: on a first
        build that is most of what is done before anything is checked, reading from the disk."""
        folders = [folder for folder in village_folders if folder not in self._files]
        for folder, files in zip(folders, each(ClosedRecords.record_files, [(self, folder) for folder in folders], jobs)):
            self._files[folder] = files

    def unchanged_years(self, settings: VillageSettings, village_folder: Path, archive: Archive) -> dict[int, str]:
        """The closed years whose record files are those published, each with its cache key."""
        files = self.record_files(village_folder)
        if files is None:
            return {}  # not only records: reading them says what is wrong
        found = {}
        for year, records in files.items():
            manifest = manifest_of(archive, year) if archive.closed(year) else None
            if manifest is not None and manifest.records == records:
                found[year] = self._key(settings, village_folder, year, records)
        return found

    def _key(self, settings: VillageSettings, village_folder: Path, year: int, records: dict[str, str]) -> str:
        # What the modelled records depend on: the files, where locations say they are, the
        # settings (masking, rules) and the tool; not "today", as rules do not run on them here.
        return hashlib.sha256(json.dumps({
            "tool": self.tool, "folder": relative(village_folder), "year": year, "records": records,
            "settings": settings.model_dump(mode="json", by_alias=True, exclude={"as_of"}),
        }, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def _path(self, village: str, year: int) -> Path:
        return self.folder / village / f"{year}.pickle"

    def read(self, village: str, year: int, key: str) -> list[Record] | None:
        try:
            with self._path(village, year).open("rb") as handle:
                if handle.readline().rstrip(b"\n") != key.encode("ascii"):
                    return None  # made from other files, settings or another version of the tool
                records = pickle.load(handle)
        except Exception:  # missing, cut short or unreadable: the year is read from content/ instead
            return None
        if not isinstance(records, list) or not all(isinstance(r, Record) and r.year == year for r in records):
            return None
        return records

    @staticmethod
    def entry(key: str, records: list[Record]) -> bytes:
        """A year's records as modelled, before any rule ran (rules set what pages show), as
        `read` reads them: made where they were modelled."""
        return key.encode("ascii") + b"\n" + pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)

    def keep(self, village: str, year: int, entry: bytes) -> None:
        """Written by `commit`, once every record has passed the checks."""
        self._pending[(village, year)] = entry

    def commit(self) -> None:
        for (village, year), entry in self._pending.items():
            write_atomic(self._path(village, year), entry)
        self._pending.clear()
