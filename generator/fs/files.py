"""A snapshot: one village-year's complete site, with a manifest of every file's SHA-256.

The root hash is the SHA-256 of the manifest's file list written as `sha256sum` writes it
(`<hash>  <path>\n`, sorted by path), so anyone can recompute it with ordinary tools:

    cd public/hekou/2025 && sha256sum -c <(python3 -c '...')   # or: village-portal verify

A year folder holds, besides the site, `manifest.json` and a copy of the village's log up to
the entry that published it (`log.jsonl`); neither is in the file list.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator, TypeVar

from generator.domain.chain import LOG_FILE, Changes

MANIFEST_FILE = "manifest.json"
FORMAT = "village-portal-snapshot/1"
_NOT_LISTED = {MANIFEST_FILE, LOG_FILE}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def site_files(site: Path) -> list[str]:
    """Every file of the site, as sorted POSIX paths, except the manifest and the log copy."""
    files = []
    for path in site.rglob("*"):
        if path.is_file() or path.is_symlink():
            relative = path.relative_to(site).as_posix()
            if relative not in _NOT_LISTED:
                files.append(relative)
    return sorted(files)


def digests(site: Path) -> dict[str, str]:
    """Every file of a site (`site_files`) and its SHA-256."""
    return {path: sha256_file(site / path) for path in site_files(site)}


def root_hash(files: dict[str, str]) -> str:
    listing = "".join(f"{digest}  {path}\n" for path, digest in sorted(files.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def short(root: str) -> str:
    """The root hash as people copy it onto paper: its first 16 hex digits in groups of four."""
    return " ".join(root[i:i + 4] for i in range(0, 16, 4))


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


def record_hash(paths: list[Path] | list[str]) -> str:
    """A record's fingerprint: its source files' names and bytes (the YAML and its table)."""
    digest = hashlib.sha256()
    for path in sorted(os.fspath(path) for path in paths):
        with open(path, "rb") as handle:
            digest.update(os.path.basename(path).encode("utf-8") + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


# -- writing files and swapping folders atomically -------------------------------------------


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file (text as UTF-8) beside its place, then rename it there: a reader, or another
    build, never finds it half-written; and a file hard-linked elsewhere is replaced, not changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(temporary, path)


Kept = TypeVar("Kept")


def keep(path: Path, value: object) -> None:
    """Keep what a build found, for the next build to start from (`read_kept`)."""
    write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def read_kept(path: Path, kind: type[Kept]) -> Kept | None:
    """What `keep` kept at `path`, if it is a `kind`; None if nothing is kept there, or what is
    kept is cut short or of another kind: the build then works it out again."""
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except Exception:
        return None
    return value if isinstance(value, kind) else None


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def exchange(new: Path, target: Path) -> None:
    """Put folder `new` at `target` in one step; the old `target` ends up at `new`.

    renameat2(RENAME_EXCHANGE) swaps two paths atomically: a reader, or a publish killed at
    any moment, sees either the old folder or the new one, never neither.
    """
    if not target.exists():
        os.rename(new, target)
        return
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(target))
    # A filesystem without atomic exchange: two renames, the old folder kept until the second.
    aside = new.with_name(new.name + ".old")
    os.rename(target, aside)
    os.rename(new, target)
    os.rename(aside, new)


# A change made this shortly before a time may carry a time stamp (from the file system's coarse
# clock) from after it, or one tick of that clock may hold two changes: what changed this close
# to a time is not trusted to be older.
SETTLED_NS = 2_000_000_000


@dataclass
class CopiedFolder:
    """A folder of a `link_copy`, as the copy found it: the inode and change time of each of its
    two sides (a set: the next copy may run the other way), and its subfolders by name."""

    sides: frozenset[tuple[int, int]]
    folders: dict[str, CopiedFolder]


@dataclass
class Copy:
    """What a `link_copy` made the same, and when it began."""

    began_ns: int
    root: CopiedFolder


def link_copy(source: Path, destination: Path, earlier: Copy | None = None) -> Copy:
    """Make `destination` a copy of folder `source` made of hard links: no byte is read or
    rewritten. What `destination` already holds is reused where it is the very file (inode) at
    the same place, and removed where it is not in `source`; so a copy of an earlier state of
    `source` becomes a copy of this one by linking only what changed. (os.scandir and string
    paths: it runs on every build, over the whole archive, and a folder's entries give inodes
    unasked.)

    With the `earlier` copy between the same two folders (either way), a folder whose two sides
    are the ones it found, with the change times it found, both older than it, is not listed
    again: only its subfolders are looked at. A folder's change time moves whenever an entry is
    added, removed or renamed, and cannot be set back; it is compared for equality, so that a
    clock set back since cannot pass a change off as older."""
    began = time.time_ns()
    trusted_before = earlier.began_ns - SETTLED_NS if earlier else 0
    return Copy(began, _link_folder(str(source), str(destination), earlier.root if earlier else None, trusted_before))


def _link_folder(source: str, destination: str, earlier: CopiedFolder | None, trusted_before: int) -> CopiedFolder:
    try:
        there = os.stat(destination)
    except FileNotFoundError:
        os.makedirs(destination)
        there = os.stat(destination)
    here = os.stat(source)
    sides = frozenset(((here.st_ino, here.st_ctime_ns), (there.st_ino, there.st_ctime_ns)))
    if earlier is not None and earlier.sides == sides and max(here.st_ctime_ns, there.st_ctime_ns) < trusted_before:
        return CopiedFolder(sides, {name: _link_folder(os.path.join(source, name), os.path.join(destination, name),
                                                        folder, trusted_before)
                                     for name, folder in earlier.folders.items()})
    folders = {}
    with os.scandir(destination) as entries:
        present = {entry.name: entry for entry in entries}
    with os.scandir(source) as entries:
        for entry in entries:
            target, found = os.path.join(destination, entry.name), present.pop(entry.name, None)
            if entry.is_dir(follow_symlinks=False):
                if found is not None and not found.is_dir(follow_symlinks=False):
                    os.unlink(target)
                folders[entry.name] = _link_folder(entry.path, target, earlier.folders.get(entry.name) if earlier else None,
                                                   trusted_before)
                continue
            if found is not None:
                if not found.is_dir(follow_symlinks=False) and found.inode() == entry.inode():
                    continue
                _remove(found)
            os.link(entry.path, target)
    for found in present.values():
        _remove(found)
    return CopiedFolder(sides, folders)


def _remove(entry: os.DirEntry[str]) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)


# -- working folders, and what a killed build leaves of them ------------------------------------


@contextmanager
def working_folder(parent: Path | str | None, prefix: str) -> Iterator[Path]:
    """A temporary folder named `<prefix><process id>-…`: removed when done, and by a later
    build (`sweep`) if this process is killed first."""
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-", dir=parent) as folder:
        yield Path(folder)


def sweep(parent: Path | str | None, prefix: str) -> None:
    """Remove the working folders (`working_folder`) of processes that are gone: a build killed
    part way leaves its own; one still running keeps it."""
    folder = Path(parent or tempfile.gettempdir())
    for entry in folder.glob(f"{prefix}*"):
        pid = entry.name[len(prefix):].partition("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    try:  # a killed process not yet reaped is there, a zombie ("Z"), but runs no more
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True
