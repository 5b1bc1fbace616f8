"""A snapshot: one village-year's complete site, with a manifest of every file's SHA-256.

The root hash is the SHA-256 of the manifest's file list written as `sha256sum` writes it
(`<hash>  <path>\n`, sorted by path), so anyone can recompute it with ordinary tools:

    cd public/hekou/2025 && sha256sum -c <(python3 -c '...')   # or: village-portal verify

A year folder holds, besides the site, `manifest.json` and a copy of the village's log up to
the entry that published it (`log.jsonl`); neither is in the file list.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.domain.chain import LOG_FILE, Changes
from generator.fs.files import sha256_file

MANIFEST_FILE = "manifest.json"
FORMAT = "village-portal-snapshot/1"
_NOT_LISTED = {MANIFEST_FILE, LOG_FILE}


def site_files(site: Path) -> list[str]:
    """Every file of the site, as sorted POSIX paths, except the manifest and the log copy."""
    return sorted(path for path in files_under(site) if path not in _NOT_LISTED)


def files_under(top: Path, prefix: str = "") -> list[str]:
    """Every file under `top` (a link counts as a file, never followed), as POSIX paths relative
    to it (after `prefix`). os.walk: `verify` lists the whole archive, a pathlib glob is slower."""
    found = []
    for folder, folders, files in os.walk(top):
        relative = os.path.relpath(folder, top).replace(os.sep, "/")
        base = prefix if relative == "." else f"{prefix}{relative}/"
        found += [base + name for name in files]
        found += [base + name for name in folders if os.path.islink(os.path.join(folder, name))]
    return found


def digests(site: Path) -> dict[str, str]:
    """Every file of a site (`site_files`) and its SHA-256."""
    return {path: sha256_file(site / path) for path in site_files(site)}


def root_hash(files: dict[str, str]) -> str:
    listing = "".join(f"{digest}  {path}\n" for path, digest in sorted(files.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


@dataclass
class Manifest:
    village: str
    year: int
    revision: int
    files: dict[str, str]
    records: dict[str, str] = field(default_factory=dict)  # section/id -> hash of its source files
    root: str = ""
    format: str = FORMAT
    inputs: str = ""  # fingerprint of everything the pages were made from (generator/engine/fingerprints.py)

    @classmethod
    def of_files(cls, files: dict[str, str], village: str, year: int, revision: int, records: dict[str, str],
                 inputs: str = "") -> Manifest:
        """The manifest of a site whose files have these digests (`digests`)."""
        return cls(village, year, revision, files, dict(sorted(records.items())), root_hash(files), inputs=inputs)

    @classmethod
    def read(cls, site: Path) -> Manifest | None:
        path = site / MANIFEST_FILE
        if not path.exists():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def text(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def write(self, site: Path) -> None:
        (site / MANIFEST_FILE).write_text(self.text(), encoding="utf-8")

    def changes_since(self, before: Manifest | None) -> Changes:
        old = before.records if before else {}
        return Changes(
            added=sorted(set(self.records) - set(old)),
            changed=sorted(key for key in self.records.keys() & old.keys() if self.records[key] != old[key]),
            removed=sorted(set(old) - set(self.records)),
        )
