"""What a village-year's pages are made from, as one fingerprint: a year whose published
manifest carries the same fingerprint is up to date, and a build skips it without reading its
records.

Content hashes, never timestamps: the year's record files (their bytes), the settings as the
build reads them (not "today": see below), the years the village has
(the version selector), the record files of the village's other years (the rules look across
years, and a page may show another year's record: the compliance page's last disclosure, an
asset's contract, an inquiry's subject), and the tool itself (its code, theme, base MkDocs
configuration and the versions of the packages that lay out and index the pages). The same
inputs were checked without error when the year was published, so they still are.

"Today" is left out, so that a rebuild on a later day from the same records is quiet: no page
rewritten, no log entry. A page counts a notice's days left in the reader's browser, from the
dates in it; what the rules find as of a day (an inquiry unanswered past its limit, a disclosure
overdue) is shown as of the day the year was last built, and `build --force` refreshes it
(docs/guide/operator.md: how often).

Hashing every record file of every village on every build is most of what a build that finds
nothing to do does. `KnownHashes` keeps each record's hash with its files' sizes, times and
inodes, as git keeps its index: a record whose files all still have them is not read again.
It is still the bytes that decide: a file saved again (even as it was) has a new change time,
and is read and hashed anew; one touched, or saved unchanged, rebuilds nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from importlib.metadata import requires, version
from pathlib import Path

from generator import __version__
from generator.fs.paths import BASE_MKDOCS_CONFIG, PACKAGE, THEMES
from generator.domain.settings import VillageSettings
from generator.fs.link_copy import SETTLED_NS
from generator.fs.files import keep, read_kept, record_hash

# The tool's own files that shape pages: its code, its theme, its base configuration (named the
# same whether it runs from a checkout or was installed from a wheel).
TOOL_FILES = (PACKAGE, THEMES, BASE_MKDOCS_CONFIG)


def tool_fingerprint(roots: tuple[Path, ...] = TOOL_FILES) -> str:
    """The tool's version, its files' names and bytes, and the versions of the packages it uses
    (MkDocs, Material, Pagefind, the readers …). Read on every build (a few hundred small
    files): a theme edited between builds counts."""
    digest = hashlib.sha256(f"{__version__}\0".encode())
    for requirement in requires("village-portal") or []:
        if "extra ==" not in requirement:  # the test tools shape no page
            package = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]
            digest.update(f"{package}={version(package)}\0".encode())
    for root in roots:
        pattern = "*.py" if root == PACKAGE else "*"  # the code (not compiled copies, nor package data)
        files = sorted(path for path in root.rglob(pattern) if path.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def year_fingerprints(settings: VillageSettings, files: dict[int, dict[str, str]], tool: str) -> dict[int, str]:
    """Each year's fingerprint, from the village's record files (load.record_files): what the
    rules find, and so the findings the pages show, follows from the same inputs."""
    common = {
        "tool": tool,
        # MkDocs stamps the sitemap with it, when set (see build._build_time).
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "settings": settings.model_dump(mode="json", by_alias=True, exclude={"as_of"}),
        "years": sorted(files),
    }
    fingerprints = {}
    for year in files:
        inputs = {**common, "year": year, "records": files[year],
                  "other_years": {str(other): records for other, records in files.items() if other != year}}
        text = json.dumps(inputs, ensure_ascii=False, sort_keys=True)
        fingerprints[year] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return fingerprints


class KnownHashes:
    """The record hashes (snapshot.record_hash) of one village's files, kept in `path` between
    builds with each file's size, modification and change times, inode and device."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # None kept yet, or cut short: every record is hashed.
        self.known: dict[tuple[str, ...], tuple[tuple, str]] = read_kept(path, dict) or {}
        self.now: dict[tuple[str, ...], tuple[tuple, str]] = {}
        # A file changed just now may change again with the same times: its hash is not kept
        # (git calls such entries "racy").
        self.settled = time.time_ns() - SETTLED_NS

    def of(self, paths: list[str]) -> str:
        """The hash of a record's files (as record_hash), read only if they changed."""
        key = tuple(sorted(paths))
        stats = [os.stat(path) for path in key]  # before reading: a change meanwhile is seen next time
        signature = tuple((s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino, s.st_dev) for s in stats)
        kept = self.known.get(key)
        digest = kept[1] if kept is not None and kept[0] == signature else record_hash(list(key))
        if all(s.st_ctime_ns < self.settled and s.st_mtime_ns < self.settled for s in stats):
            self.now[key] = (signature, digest)
        return digest

    def save(self) -> None:
        """Keep the hashes of the records seen now (those of removed records are dropped)."""
        if self.now != self.known:
            keep(self.path, self.now)
