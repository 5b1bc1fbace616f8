"""`village-portal verify`: prove, with nothing but the published folder, that it is unaltered.

For every village: each copy of the log is a valid hash chain and all copies agree; every year
folder (and earlier revision) holds exactly the files its manifest lists, each with its hash;
its root hash is the one the log recorded for it; a closed year changed only by a correction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.archive.published import REVISION_FOLDER, YEAR_FOLDER
from generator.domain.chain import CLOSE, LOG_FILE, PUBLISH, Chain, ChainError, longest
from generator.archive.manifest import MANIFEST_FILE, Manifest, root_hash, site_files
from generator.fs.files import sha256_file


@dataclass(frozen=True)
class Failure:
    path: str
    key: str  # message key under verify.* in the catalogue
    detail: str = ""


@dataclass
class Report:
    villages: int = 0
    snapshots: int = 0
    files: int = 0
    failures: list[Failure] = field(default_factory=list)

    def fail(self, path: Path | str, key: str, detail: str = "") -> None:
        self.failures.append(Failure(str(path), key, detail))


def verify(out: Path) -> Report:
    report = Report()
    for village_dir in sorted(path for path in out.iterdir() if path.is_dir() and not path.name.startswith(".")):
        if (village_dir / LOG_FILE).exists() or any(village_dir.glob(f"*/{MANIFEST_FILE}")):
            report.villages += 1
            _verify_village(village_dir, report)
    return report


def _verify_village(village_dir: Path, report: Report) -> None:
    copies: list[Chain] = []
    for path in [village_dir / LOG_FILE, *sorted(village_dir.glob(f"*/{LOG_FILE}"))]:
        if not path.exists():
            continue
        try:
            chain = Chain.read(path)
            chain.validate()
            copies.append(chain)
        except ChainError as error:
            report.fail(path, "chain_broken", str(error))
    try:
        chain = longest(copies)
    except ChainError:
        report.fail(village_dir / LOG_FILE, "chain_copies_disagree")
        return
    for folder in sorted(village_dir.iterdir()):
        year_match, revision_match = YEAR_FOLDER.match(folder.name), REVISION_FOLDER.match(folder.name)
        if folder.is_dir() and (year_match or revision_match):
            _verify_snapshot(folder, chain, current=bool(year_match), report=report)
    _verify_closed_years(village_dir, chain, report)


def _verify_snapshot(site: Path, chain: Chain, current: bool, report: Report) -> None:
    report.snapshots += 1
    try:
        manifest = Manifest.read(site)
    except (ValueError, TypeError) as error:
        report.fail(site / MANIFEST_FILE, "manifest_unreadable", str(error))
        return
    if manifest is None:
        report.fail(site / MANIFEST_FILE, "manifest_missing")
        return
    on_disk = set(site_files(site))
    listed = set(manifest.files)
    for path in sorted(listed - on_disk):
        report.fail(site / path, "file_missing")
    for path in sorted(on_disk - listed):
        report.fail(site / path, "file_extra")
    for path in sorted(listed & on_disk):
        report.files += 1
        if sha256_file(site / path) != manifest.files[path]:
            report.fail(site / path, "file_changed")
    if root_hash(manifest.files) != manifest.root:
        report.fail(site / MANIFEST_FILE, "root_mismatch")
    published = [e for e in chain.entries if e.action == PUBLISH and e.year == manifest.year]
    if not any(e.root == manifest.root and e.revision == manifest.revision for e in published):
        report.fail(site / MANIFEST_FILE, "not_in_log", manifest.root)
    elif current and published[-1].root != manifest.root:
        report.fail(site / MANIFEST_FILE, "not_latest", manifest.root)


def _verify_closed_years(village_dir: Path, chain: Chain, report: Report) -> None:
    closed_at = {e.year: e.seq for e in chain.entries if e.action == CLOSE}
    for entry in chain.entries:
        if entry.action == PUBLISH and entry.year in closed_at and entry.seq > closed_at[entry.year]:
            if not entry.correction:
                report.fail(village_dir / LOG_FILE, "closed_changed_without_correction", f"#{entry.seq}")
            elif not (village_dir / f"{entry.year}-r{entry.revision - 1}").is_dir():
                report.fail(village_dir / f"{entry.year}-r{entry.revision - 1}", "revision_missing")
