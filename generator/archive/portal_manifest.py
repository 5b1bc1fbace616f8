"""The manifests above the year snapshots, so that every published file is under one root:

    public/manifest.json                 the portal: its own files (township page, 404, assets,
                                         the public key) and each village's manifest.json
    public/manifest.json.minisig         that manifest signed with the township's key
    public/<village>/manifest.json       the village: index, latest/, versions.json, feed,
                                         village.json, changes/, closed/, its log and the log's
                                         signature, and each snapshot's manifest.json and log copy
    public/<village>/<year>/manifest.json   the snapshot: its files (manifest.py)

A Merkle tree made of ordinary file hashes: the portal manifest holds the SHA-256 of each
village's manifest, which holds that of each year's manifest, which holds those of the year's
files. Each manifest's root is the SHA-256 of its listing as `sha256sum` writes it, and it is
written in one canonical form, so a byte changed anywhere changes a hash that is checked.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.archive.manifest import MANIFEST_FILE, files_under, root_hash
from generator.archive.signing import PUBLIC_KEY_FILE, SIGNATURE_SUFFIX, SigningKey, public_key_text
from generator.domain.chain import LOG_FILE, Chain
from generator.fs.files import sha256_file, write_atomic

PORTAL_FORMAT = "village-portal-portal/1"
VILLAGE_FORMAT = "village-portal-village/1"
# The top of an export (published.export): one village, only the years exported.
EXPORT_FORMAT = "village-portal-export/1"
SIGNATURE_FILE = MANIFEST_FILE + SIGNATURE_SUFFIX
LOG_SIGNATURE = LOG_FILE + SIGNATURE_SUFFIX
# What a snapshot folder gives its village's manifest: the rest is under the snapshot's own.
_SNAPSHOT_PARTS = (MANIFEST_FILE, LOG_FILE)
_SNAPSHOT = re.compile(r"^\d{4}(-r\d+)?$")  # a year, or an earlier revision of a corrected one (published.py)


@dataclass
class Level:
    """The manifest of the portal or of a village."""
    format: str
    files: dict[str, str]
    root: str
    public_key: str = ""  # the portal's: the key its manifest and every log are signed with ("": unsigned)

    @classmethod
    def of(cls, folder: Path, paths: list[str], format: str, public_key: str = "") -> Level:
        files = {path: sha256_file(folder / path) for path in paths}
        return cls(format, files, root_hash(files), public_key)

    @classmethod
    def parse(cls, text: str, format: str) -> Level:
        """The manifest in `text`, which must be in its canonical form (ValueError: why not)."""
        data = json.loads(text)
        if not isinstance(data, dict) or set(data) != {"format", "files", "root", "public_key"}:
            raise ValueError("not a manifest")
        files = data["files"]
        if data["format"] != format or not isinstance(files, dict) or not isinstance(data["root"], str) \
                or not isinstance(data["public_key"], str):
            raise ValueError("not a manifest of this kind")
        for path, digest in files.items():
            if not isinstance(digest, str) or not safe_path(path):
                raise ValueError(f"bad entry {path!r}")
        level = cls(**data)
        if level.text() != text:
            raise ValueError("not in canonical form")
        return level

    def text(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def safe_path(path: object) -> bool:
    """A relative path inside the folder (a manifest can't send a check outside it)."""
    return isinstance(path, str) and bool(path) and not path.startswith("/") and \
        all(part not in ("", ".", "..") for part in path.split("/"))


def is_snapshot(name: str) -> bool:
    return bool(_SNAPSHOT.match(name))


def village_listing(village_dir: Path) -> list[str]:
    """A village's own files, and the manifest and log copy of each snapshot folder."""
    found = []
    for path in village_dir.iterdir():
        if path.is_dir() and not path.is_symlink() and is_snapshot(path.name):
            found += [f"{path.name}/{part}" for part in _SNAPSHOT_PARTS if (path / part).is_file()]
        elif path.name != MANIFEST_FILE or path.is_dir():
            found += _files(village_dir, path)
    return sorted(found)


def portal_listing(out: Path, villages: set[str]) -> list[str]:
    """The portal's own files (not its villages'), and each village's manifest."""
    found = []
    for path in out.iterdir():
        if path.name in villages and path.is_dir() and not path.is_symlink():
            found.append(f"{path.name}/{MANIFEST_FILE}")
        elif path.name not in (MANIFEST_FILE, SIGNATURE_FILE) or path.is_dir():
            found += _files(out, path)
    return sorted(found)


def _files(top: Path, path: Path) -> list[str]:
    """`path` (a file) or every file under it (a folder), relative to `top`."""
    if path.is_dir() and not path.is_symlink():
        return files_under(path, f"{path.relative_to(top).as_posix()}/")
    return [path.relative_to(top).as_posix()]


def villages_in(out: Path) -> list[str]:
    """The village folders of a built portal: those with a log or a summary."""
    return sorted(path.name for path in out.iterdir() if path.is_dir()
                  and ((path / LOG_FILE).is_file() or (path / "village.json").is_file()))


def seal(out: Path, key: SigningKey | None, touched: set[str] | None = None) -> list[Path]:
    """Write the manifests of the villages (those `touched`, and any not sealed for this key) and
    of the portal, with their signatures; a file already as it should be is left as it is, so a
    rebuild that changed nothing writes nothing. Returns the files written."""
    written: list[Path] = []

    def put(path: Path, data: str | bytes) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if not path.is_file() or path.read_bytes() != raw:
            write_atomic(path, raw)
            written.append(path)

    def drop(path: Path) -> None:
        if path.is_file():
            path.unlink()
            written.append(path)

    villages = villages_in(out)
    for village in villages:
        village_dir = out / village
        before = len(written)
        log = village_dir / LOG_FILE
        if key is None:
            drop(village_dir / LOG_SIGNATURE)
        elif log.is_file():
            chain = Chain.read(log)
            put(village_dir / LOG_SIGNATURE,
                key.sign(log.read_bytes(), f"village-portal {village} log #{len(chain.entries)} {chain.head}"))
        if touched is None or village in touched or len(written) > before or not (village_dir / MANIFEST_FILE).is_file():
            put(village_dir / MANIFEST_FILE, Level.of(village_dir, village_listing(village_dir), VILLAGE_FORMAT).text())
    if key is None:
        drop(out / PUBLIC_KEY_FILE)
        drop(out / SIGNATURE_FILE)
    else:
        put(out / PUBLIC_KEY_FILE, public_key_text(key.public))
    portal = Level.of(out, portal_listing(out, set(villages)), PORTAL_FORMAT, key.public if key else "")
    put(out / MANIFEST_FILE, portal.text())
    if key is not None:
        put(out / SIGNATURE_FILE, key.sign(portal.text().encode("utf-8"), f"village-portal portal root {portal.root}"))
    return written


def export_manifests(village: str, files: dict[str, bytes]) -> dict[str, bytes]:
    """The portal and village manifests of an export, which holds one village's log (and its
    signature) and one year (`files`: path in the archive → bytes), so that `verify` checks the
    unpacked archive as it checks a portal. Unsigned at the top: the log's own signature,
    checked with minisign, says who published it."""
    digests = {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    own = {path.split("/", 1)[1]: digest for path, digest in digests.items()
           if path.startswith(f"{village}/") and (path.count("/") == 1 or path.split("/", 2)[2] in _SNAPSHOT_PARTS)}
    village_text = Level(VILLAGE_FORMAT, own, root_hash(own)).text().encode("utf-8")
    # The portal's own: the page that leads to the year (published.standing_alone).
    portal_files = {path: digest for path, digest in digests.items() if "/" not in path}
    portal_files[f"{village}/{MANIFEST_FILE}"] = hashlib.sha256(village_text).hexdigest()
    portal_text = Level(EXPORT_FORMAT, portal_files, root_hash(portal_files)).text().encode("utf-8")
    return {MANIFEST_FILE: portal_text, f"{village}/{MANIFEST_FILE}": village_text}
