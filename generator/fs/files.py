"""Files as a build reads and writes them: hashed, written whole or not at all, folders swapped
in one step, working folders that a killed build leaves behind swept away."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import os
import pickle
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TypeVar


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def short(root: str) -> str:
    """The root hash as people copy it onto paper: its first 16 hex digits in groups of four."""
    return " ".join(root[i:i + 4] for i in range(0, 16, 4))


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


# -- working folders, and what a killed build leaves of them ------------------------------------


@contextmanager
def working_folder(parent: Path | str | None, prefix: str) -> Iterator[Path]:
    """A temporary folder named `<prefix><process id>-…`: removed when done, and by a later
    build (`sweep`) if this process is killed first."""
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-", dir=parent) as folder:
        yield Path(folder)


def sweep(parent: Path | str | None, prefix: str, also: int | None = None) -> None:
    """Remove the working folders (`working_folder`) of processes that are gone: a build killed
    part way leaves its own; one still running keeps it. Those of process `also` go too (a
    stopped build's own)."""
    folder = Path(parent or tempfile.gettempdir())
    for entry in folder.glob(f"{prefix}*"):
        pid = entry.name[len(prefix):].partition("-")[0]
        if pid.isdigit() and (int(pid) == also or not _running(int(pid))):
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
