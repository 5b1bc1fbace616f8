"""What a village-year's pages are made from, as one fingerprint: a year whose published
manifest carries the same fingerprint is up to date, and a build skips it.

Content hashes, never timestamps: the records' fingerprints (their files' bytes), the settings
as the build reads them, "today" (pages count the days a notice has left), the years the village
has (the version selector), the findings shown on the year's pages (rules look across years),
the records of the village's other years (a page may show one: the compliance page's last
disclosure, an asset's contract, an inquiry's subject), and the tool itself (its code, theme,
base MkDocs configuration and the versions of the packages that lay out and index the pages).
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any

from generator import __version__
from generator.paths import BASE_MKDOCS_CONFIG, ROOT, THEMES
from generator.problems import Problem
from generator.render import VillageYear

# The tool's own files that shape pages; `generator/` holds the code.
TOOL_FILES = (ROOT / "generator", THEMES, BASE_MKDOCS_CONFIG)
LAYOUT_PACKAGES = ("mkdocs", "mkdocs-material", "pagefind", "Jinja2", "Markdown", "nh3", "segno")


def tool_fingerprint(roots: tuple[Path, ...] = TOOL_FILES) -> str:
    """The tool's version, its files' names and bytes, and its layout packages' versions.
    Read on every build (a few hundred small files): a theme edited between builds counts."""
    digest = hashlib.sha256(f"{__version__}\0".encode())
    for package in LAYOUT_PACKAGES:
        digest.update(f"{package}={version(package)}\0".encode())
    for root in roots:
        files = sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else [root]
        for path in files:
            if path.suffix == ".pyc":
                continue  # compiled copies of the code, written as Python pleases
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def year_fingerprint(village_year: VillageYear, tool: str, language: str) -> str:
    settings = village_year.settings
    owners = {location.path: record.source.key for record in village_year.records
              for location in (record.source.location, record.source.table_location) if location}
    inputs = {
        "tool": tool,
        "language": language,
        # MkDocs stamps the sitemap with it, when set (see build._build_time).
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "settings": settings.model_dump(mode="json", by_alias=True),
        "today": settings.today().isoformat(),
        "years": village_year.years,
        "records": {record.source.key: record.source.fingerprint for record in village_year.records},
        "other_years": sorted([record.year, record.source.key, record.source.fingerprint]
                              for record in village_year.all_records if record.year != village_year.year),
        "findings": [_finding(finding, owners) for finding in village_year.findings],
    }
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _finding(finding: Problem, owners: dict[str, str]) -> list[Any]:
    """A finding as its page shows it: its record and place, never the folder the build ran in."""
    location = finding.location
    return [owners[location.path], Path(location.path).suffix, location.line, location.column, finding.key,
            finding.params]
