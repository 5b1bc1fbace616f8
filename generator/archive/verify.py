"""`village-portal verify`: prove, with nothing but the published folder, that it is unaltered.

Both ways, from the one root (portal_manifest.py): every file a manifest lists is there with its
hash, and every file there is listed; the portal's manifest names each village's, which names
each snapshot's. For every village, each copy of the log is a valid hash chain and all copies
agree; every snapshot folder holds the root the log gives it, and every year the log published
has its folder; a closed year changed only by a correction. With a key, the portal manifest and
every village's log are signed by it. Damage of any kind is named with its path: nothing read
here is trusted to be well formed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from generator.archive.manifest import MANIFEST_FILE, Manifest, root_hash, site_files
from generator.archive.portal_manifest import (EXPORT_FORMAT, LOG_SIGNATURE, PORTAL_FORMAT, SIGNATURE_FILE,
                                               VILLAGE_FORMAT, Level, is_snapshot, portal_listing, safe_path, village_listing, villages_in)
from generator.archive.published import YEAR_FOLDER
from generator.archive.signing import PUBLIC_KEY_FILE, check, read_public
from generator.domain.chain import CLOSE, LOG_FILE, PUBLISH, Chain, ChainError, longest
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
    signed_by: str = ""  # the public key the portal is signed with, checked ("": not signed)

    def fail(self, path: Path | str, key: str, detail: str = "") -> None:
        self.failures.append(Failure(str(path), key, detail))


def verify(out: Path, key: str | None = None) -> Report:
    """`key`: the township's public key (base64 or minisign.pub's text), which every signature
    must be made with; without it, the signatures are checked against the key the portal gives."""
    report = Report()
    if not out.is_dir():
        report.fail(out, "out_missing")
        return report
    expected = None
    if key is not None:
        expected = read_public(key)
        if expected is None:
            report.fail(key if len(key) < 200 else "--key", "key_unreadable")
            return report
    export = _is_export(out / MANIFEST_FILE)
    portal = _read_level(out / MANIFEST_FILE, EXPORT_FORMAT if export else PORTAL_FORMAT, report)
    villages = _portal_villages(out, portal)
    if portal is not None:
        _compare(out, portal.files, portal_listing(out, set(villages)), report)
        _check_signatures(out, portal, expected, report)
    elif expected is not None:
        report.fail(out / SIGNATURE_FILE, "not_signed")
    for village in villages:
        village_dir = out / village
        report.villages += 1
        try:
            _verify_village(village_dir, report, portal.public_key if portal else "", export)
        except Exception as error:  # noqa: BLE001 - whatever the damage, it is named with its place
            report.fail(village_dir, "unexpected", f"{type(error).__name__}: {error}")
    return report


def _portal_villages(out: Path, portal: Level | None) -> list[str]:
    """The villages the portal manifest names (one whose folder is gone is named by its missing
    manifest); without a readable portal manifest, the folders that look like villages."""
    if portal is None:
        return villages_in(out)
    named = [path.split("/")[0] for path in portal.files if path.count("/") == 1 and path.endswith("/" + MANIFEST_FILE)]
    return sorted(name for name in named if (out / name).is_dir())


def _is_export(path: Path) -> bool:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("format") == EXPORT_FORMAT
    except (OSError, ValueError, AttributeError):  # unreadable: _read_level names it
        return False


def _read_level(path: Path, format: str, report: Report) -> Level | None:
    if not path.is_file():
        report.fail(path, "level_manifest_missing")
        return None
    try:
        level = Level.parse(path.read_text(encoding="utf-8"), format)
    except (OSError, ValueError, TypeError) as error:  # UnicodeDecodeError and JSON errors are ValueErrors
        report.fail(path, "manifest_unreadable", str(error)[:200])
        return None
    if root_hash(level.files) != level.root:
        report.fail(path, "root_mismatch")
    return level


def _compare(folder: Path, listed: dict[str, str], on_disk: list[str], report: Report) -> None:
    """Both ways: each listed file is there with its hash, each file there is listed."""
    present = set(on_disk)
    for path in sorted(set(listed) - present):
        report.fail(folder / path, "file_missing")
    for path in sorted(present - set(listed)):
        report.fail(folder / path, "file_extra")
    for path in sorted(present & set(listed)):
        report.files += 1
        try:
            changed = sha256_file(folder / path) != listed[path]
        except OSError as error:  # a dangling link, a folder where a file was, no permission
            report.fail(folder / path, "file_unreadable", type(error).__name__)
            continue
        if changed:
            report.fail(folder / path, "file_changed")


def _check_signatures(out: Path, portal: Level, expected: str | None, report: Report) -> None:
    if not portal.public_key:
        if expected is not None:
            report.fail(out / SIGNATURE_FILE, "not_signed")
        return
    if expected is not None and expected != portal.public_key:
        report.fail(out / MANIFEST_FILE, "key_differs", str(out / MANIFEST_FILE))
        return
    published = _read_bytes(out / PUBLIC_KEY_FILE, report, missing="file_missing")
    if published is not None and read_public(published.decode("ascii", "replace")) != portal.public_key:
        report.fail(out / PUBLIC_KEY_FILE, "key_differs", str(out / MANIFEST_FILE))
    if _signed(out / MANIFEST_FILE, out / SIGNATURE_FILE, portal.public_key, report):
        report.signed_by = portal.public_key


def _signed(path: Path, signature_path: Path, public: str, report: Report) -> bool:
    data = _read_bytes(path, report, missing="file_missing")
    signature = _read_bytes(signature_path, report, missing="signature_missing")
    if data is None or signature is None:
        return False
    why = check(public, data, signature)
    if why:  # the signature or the file it signs was changed: both are named
        report.fail(signature_path, why, str(path))
    return why is None


def _read_bytes(path: Path, report: Report, missing: str) -> bytes | None:
    if not path.is_file():
        report.fail(path, missing)
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        report.fail(path, "file_unreadable", type(error).__name__)
        return None


def _read_chain(path: Path, report: Report) -> Chain | None:
    try:
        chain = Chain.read(path)
        chain.validate()
        return chain
    except ChainError as error:
        report.fail(path, "chain_broken", str(error).removeprefix(f"{path}: "))
    except (OSError, ValueError) as error:  # a byte that is not UTF-8: a UnicodeDecodeError
        report.fail(path, "chain_broken", f"{type(error).__name__}: {str(error)[:120]}")
    except Exception as error:  # noqa: BLE001 - a line that is JSON but not an entry
        report.fail(path, "chain_broken", f"{type(error).__name__}: {str(error)[:120]}")
    return None


def _verify_village(village_dir: Path, report: Report, public: str, export: bool = False) -> None:
    """`export`: an export holds some of the years the log names (its manifest lists which)."""
    level = _read_level(village_dir / MANIFEST_FILE, VILLAGE_FORMAT, report)
    if level is not None:
        _compare(village_dir, level.files, village_listing(village_dir), report)
    log = village_dir / LOG_FILE
    if not log.is_file():
        report.fail(log, "file_missing")
    elif public:
        _signed(log, village_dir / LOG_SIGNATURE, public, report)
    copies: list[Chain] = []
    for path in [log, *sorted(village_dir.glob(f"*/{LOG_FILE}"))]:
        if path.is_file():
            chain = _read_chain(path, report)
            if chain is not None:
                copies.append(chain)
    try:
        chain = longest(copies)
    except ChainError:
        report.fail(log, "chain_copies_disagree")
        return
    for folder in sorted(village_dir.iterdir()):
        if folder.is_dir() and is_snapshot(folder.name):
            _verify_snapshot(folder, chain, current=bool(YEAR_FOLDER.match(folder.name)), report=report)
    if not export:
        _verify_log_to_snapshots(village_dir, chain, report)
    _verify_closed_years(village_dir, chain, report)


def _read_manifest(site: Path, report: Report) -> Manifest | None:
    path = site / MANIFEST_FILE
    if not path.is_file():
        report.fail(path, "manifest_missing")
        return None
    try:
        text = path.read_text(encoding="utf-8")
        manifest = Manifest(**json.loads(text))
        if not (isinstance(manifest.files, dict) and all(safe_path(p) and isinstance(d, str)
                                                         for p, d in manifest.files.items())
                and isinstance(manifest.year, int) and isinstance(manifest.revision, int)
                and isinstance(manifest.root, str) and isinstance(manifest.records, dict)):
            raise ValueError("not a snapshot manifest")
        if manifest.text() != text:
            raise ValueError("not in canonical form")
    except (OSError, ValueError, TypeError) as error:
        report.fail(path, "manifest_unreadable", str(error)[:200])
        return None
    return manifest


def _verify_snapshot(site: Path, chain: Chain, current: bool, report: Report) -> None:
    report.snapshots += 1
    manifest = _read_manifest(site, report)
    if manifest is None:
        return
    _compare(site, manifest.files, site_files(site), report)
    if root_hash(manifest.files) != manifest.root:
        report.fail(site / MANIFEST_FILE, "root_mismatch")
    published = [e for e in chain.entries if e.action == PUBLISH and e.year == manifest.year]
    if str(manifest.year) != site.name.split("-")[0]:
        report.fail(site / MANIFEST_FILE, "wrong_folder", str(manifest.year))
    elif not any(e.root == manifest.root and e.revision == manifest.revision for e in published):
        report.fail(site / MANIFEST_FILE, "not_in_log", manifest.root)
    elif current and published[-1].root != manifest.root:
        report.fail(site / MANIFEST_FILE, "not_latest", manifest.root)


def _verify_log_to_snapshots(village_dir: Path, chain: Chain, report: Report) -> None:
    """Every year the log published is online: its folder holds the latest root (checked with the
    folder), and each earlier revision of a corrected year its own folder (checked below)."""
    for year in sorted({e.year for e in chain.entries if e.action == PUBLISH}):
        if not (village_dir / str(year)).is_dir():
            report.fail(village_dir / str(year), "snapshot_missing", str(year))


def _verify_closed_years(village_dir: Path, chain: Chain, report: Report) -> None:
    closed_at = {e.year: e.seq for e in chain.entries if e.action == CLOSE}
    for entry in chain.entries:
        if entry.action == PUBLISH and entry.year in closed_at and entry.seq > closed_at[entry.year]:
            if not entry.correction:
                report.fail(village_dir / LOG_FILE, "closed_changed_without_correction", f"#{entry.seq}")
            elif not (village_dir / f"{entry.year}-r{entry.revision - 1}").is_dir():
                report.fail(village_dir / f"{entry.year}-r{entry.revision - 1}", "revision_missing")
