"""What is already published: each village's log and snapshots in the output folder.

The output folder is the archive. A year, once closed, is never rebuilt: a later change to its
records is refused unless a correction notice (更正说明) names every record that changed.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import tarfile
from pathlib import Path

from jinja2 import Environment

from generator.domain.chain import LOG_FILE, Chain, longest
from generator.inputs.messages import Catalogue
from generator.inputs.problems import Location, Problems
from generator.domain.kinds import Record
from generator.archive.manifest import Manifest
from generator.archive.portal_manifest import LOG_SIGNATURE, export_manifests
from generator.archive.publish import FEED, VILLAGE_SUMMARY
from generator.render.pages import environment
from generator.domain.model import Archive, ClosedYear

YEAR_FOLDER = re.compile(r"^(\d{4})$")
REVISION_FOLDER = re.compile(r"^(\d{4})-r(\d+)$")


def read_chain(village_dir: Path) -> Chain:
    """The village's log: its own copy and the copies in its year folders, which must agree.

    After a publish killed between swapping a year in and updating the village's copy, the
    year's copy is one entry longer: it is the one that counts.
    """
    copies = [Chain.read(village_dir / LOG_FILE)]
    copies += [Chain.read(path) for path in sorted(village_dir.glob(f"*/{LOG_FILE}"))]
    return longest(copies)


def archive_of(out: Path, village: str) -> Archive:
    """A village's published state in the output folder `out` (none yet: an empty log)."""
    village_dir = out / village
    return Archive(village_dir, read_chain(village_dir) if village_dir.is_dir() else Chain())


def manifest_of(archive: Archive, year: int) -> Manifest | None:
    """The manifest of a year as published, if it is."""
    return Manifest.read(archive.village_dir / str(year))


def check_closed_years(records: list[Record], archive: Archive, problems: Problems) -> dict[int, ClosedYear]:
    """Closed years whose records changed: allowed (returned) when correction notices cover
    every change, otherwise an error on each changed record."""
    allowed: dict[int, ClosedYear] = {}
    by_year: dict[int, list[Record]] = {}
    for record in records:
        by_year.setdefault(record.year, []).append(record)
    for year in archive.chain.closed_years():
        manifest = manifest_of(archive, year)
        year_records = by_year.get(year, [])
        if manifest is None or not year_records:
            continue  # content of an archived year may be removed from content/: the archive keeps it
        current = {record.source.key: record.source.fingerprint for record in year_records}
        old = manifest.records
        changed = {key for key in current.keys() | old.keys() if current.get(key) != old.get(key)}
        if not changed:
            continue
        corrections = [r for r in year_records if r.is_correction and r.source.key not in old]
        covered = set().union(*(correction.corrected for correction in corrections)) if corrections else set()
        uncovered = sorted(changed - covered - {c.source.key for c in corrections})
        for key in uncovered:
            record = next((r for r in year_records if r.source.key == key), None)
            location = record.source.location if record else Location(str(archive.village_dir / str(year)))
            problems.add(location, "closed_year_changed" if not corrections else "correction_incomplete",
                         year=year, record=key)
        if not uncovered:
            allowed[year] = ClosedYear(year, corrections)
    return allowed


def export(out: Path, village: str, year: int, destination: Path, env: Environment | None = None) -> Path:
    """One archive file for the county archives: the year's snapshot, its manifest and the log.

    The archive is reproducible: entries sorted, owners and times fixed (SOURCE_DATE_EPOCH or 0).
    With the log's signature, and manifests above the year's, so that it verifies on its own; and
    it opens on its own: what the year's pages link to above it is there (standing_alone).
    """
    village_dir = out / village
    site = village_dir / str(year)
    if not (site / "manifest.json").exists():
        raise FileNotFoundError(f"{site}: no published snapshot")
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    members = [(f"{village}/{name}", village_dir / name) for name in (LOG_FILE, LOG_SIGNATURE, FEED)
               if (village_dir / name).is_file()]
    members += [(f"{village}/{year}/{path.relative_to(site).as_posix()}", path)
                for path in sorted(site.rglob("*")) if path.is_file()]
    contents = {name: path.read_bytes() for name, path in members}
    contents.update(standing_alone(village_dir, year, env or environment(Catalogue())))
    contents.update(export_manifests(village, contents))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(contents.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), mtime, 0o644
            tar.addfile(info, io.BytesIO(data))
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(gzip.compress(buffer.getvalue(), mtime=mtime))
    return destination


def standing_alone(village_dir: Path, year: int, env: Environment) -> dict[str, bytes]:
    """The files above the year its pages link to, made for an archive that holds only this year
    (the year's own bytes stay as signed): the township's page and the village's address lead to
    the year, and the version selector lists it alone. The feed is taken as published."""
    village = village_dir.name
    try:
        name = json.loads((village_dir / VILLAGE_SUMMARY).read_text(encoding="utf-8"))["name"]
        listed = json.loads((village_dir / "versions.json").read_text(encoding="utf-8"))
        title = next(v["title"] for v in listed if v["version"] == str(year))
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        name, title = village, str(year)
    own = [{"version": str(year), "title": title, "aliases": ["latest"]}]
    redirect = env.get_template("redirect.html").render  # as publish.py writes a village's address
    return {
        "index.html": redirect(target=f"{village}/{year}/", title=name).encode("utf-8"),
        f"{village}/index.html": redirect(target=f"{year}/", title=name).encode("utf-8"),
        f"{village}/versions.json": (json.dumps(own, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    }
