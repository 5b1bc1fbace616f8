"""Where a build writes before it publishes, so that a build that fails or is killed at any moment
leaves the output exactly as it was.

Everything is published into a copy of the output folder made of hard links (no byte is copied),
which replaces the output folder in one atomic exchange at the very end. (So publishing must
replace files, never write into one it did not create.) The copy starts from the one the previous
build kept, so only what changed since is linked anew; it is made in a process of its own while
the years are built, and that process then builds the township pages while the villages are
published.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterator

from generator.engine import stopping
from generator.engine.workers import forked
from generator.fs.files import exchange, keep, read_kept, sweep, working_folder
from generator.fs.link_copy import Copy, link_copy
from generator.fs.paths import cache_folder

# Linux's folder in memory, for what a build writes only to read it back once (None: the default).
_IN_MEMORY = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
_SCRATCH = "village-portal-scratch-"


class Stage:
    """A build's working folder beside the output, with the staged copy of the output in it."""

    def __init__(self, out: Path, work: Path, aside: Any) -> None:
        self.out, self.work, self._aside = out, work, aside
        self.folder = work / "_out"  # the staged copy: what will be the output
        self._copying = aside.submit(_stage, out, self.folder)

    def aside(self, function: Callable[..., Any], *args: Any) -> Future:
        """`function` run in the process beside the build (after the copy is made)."""
        return self._aside.submit(function, *args)

    def copied(self) -> Path:
        """The staged copy, once it is made."""
        self._copying.result()
        return self.folder

    def publish(self) -> None:
        """The one moment the output folder changes: the staged copy takes its place (a stop
        asked for meanwhile is taken after it)."""
        with stopping.publishing(self.out):
            exchange(self.folder, self.out)
            _keep(self.folder, self.out)


@contextmanager
def staged(out: Path, prefix: str = "build") -> Iterator[Stage]:
    """A `Stage` for the output folder `out`, removed when done."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stopping.starting()
    stopping.track(_IN_MEMORY, _SCRATCH)  # the scratch folders of the processes it forks
    with working(out, prefix) as work, forked(1) as aside:
        yield Stage(out, work, aside)


def working(out: Path, prefix: str) -> ContextManager[Path]:
    """A working folder beside `out`, that a later build sweeps away if this one is killed."""
    stopping.track(out.parent, f".{out.name}-{prefix}-")
    return working_folder(out.parent, f".{out.name}-{prefix}-")


def scratch() -> ContextManager[Path]:
    """A folder for what a build writes only for MkDocs to read once (pages as Markdown): in
    memory where the system has a folder for that. A file made on a slow disk costs more than a
    page's text, and on a file system without a journal, files made there for a minute after
    many were removed are slower still."""
    stopping.track(_IN_MEMORY, _SCRATCH)
    return working_folder(_IN_MEMORY, _SCRATCH)


def sweep_leftovers(out: Path) -> None:
    """What builds (and closings) of `out` that were killed left beside it and in memory."""
    for prefix in (f".{out.name}-build-", f".{out.name}-close-"):
        sweep(out.parent, prefix)
    sweep(_IN_MEMORY, _SCRATCH)


def _stage(out: Path, staged: Path) -> None:
    """`staged`: a copy of `out` made of hard links. It starts from the copy of the output the
    previous build kept (`_keep`), so that only what changed since is linked anew, not the whole
    archive; and with what that copy found the same, only the folders changed since are listed."""
    if not out.is_dir():
        staged.mkdir(parents=True, exist_ok=True)
        return
    try:
        os.rename(_previous(out), staged)
    except OSError:
        pass  # none kept (a first build, one killed, or another build took it): link it all
    record = cache_folder(out) / "copy.pickle"
    keep(record, link_copy(out, staged, read_kept(record, Copy)))  # none kept: every folder is listed


def _keep(old: Path, out: Path) -> None:
    """After the exchange the output as it was is at `old`, hard links to the same files (no
    byte of its own): kept for the next build to start its copy from, instead of removed."""
    previous = _previous(out)
    previous.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(old, previous)
    except OSError:
        pass  # the first output (nothing was exchanged), or another build kept its own: removed


def _previous(out: Path) -> Path:
    return cache_folder(out) / "previous"
