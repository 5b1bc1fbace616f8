"""A copy of a folder made of hard links, that a later copy between the same folders brings up
to date by linking only what changed."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path


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
