"""How a command ends on SIGINT (Ctrl+C) and SIGTERM: at once, quietly, changing nothing.

Only the main process decides. Its handler stops every process the command started (forked
workers and theirs, Pagefind, Chromium) and raises `Stopped`, which unwinds the command as an
error would: working folders are removed on the way, and `ended` removes what is left of them,
says one line and gives the exit code, 128 + the signal's number. The terminal sends Ctrl+C to
every process of the group: forked workers ignore SIGINT (`in_worker`), so none of them prints
a traceback or ends half way of its own accord. The final exchange of a publication is never
cut (`publishing`): a stop that comes meanwhile is taken as soon as it is done, and said to
have come after publishing. Whatever still holds the command up is cut short by a watchdog.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, NoReturn

SIGNALS = (signal.SIGINT, signal.SIGTERM)
# From the signal to the end of the command, at most (the clerk is told "at once").
_GRACE_SECONDS = 3.5
# How long processes that were sent SIGKILL are waited for, at most.
_KILL_WAIT_SECONDS = 2.0


class Stopped(BaseException):
    """A stop asked for by a signal. Not an Exception: no `except Exception` takes it for an error."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def code(self) -> int:
        return 128 + self.signum


class _State:
    def __init__(self, language: str = "zh") -> None:
        self.main = os.getpid()  # the process that handles stops; forked ones inherit this
        self.language = language
        self.asked: int | None = None  # the signal, once one came
        self.held = 0  # inside `publishing`
        self.published: Path | None = None  # where the last publication of this command went
        self.tracked: set[tuple[str | None, str]] = set()  # (parent, prefix) of working folders
        self.raised = False  # Stopped is on its way up the main thread
        self.ended = False
        self.closing = False
        self.unraisable_before: Callable[[Any], None] = sys.unraisablehook
        self.lock = threading.Lock()


_state = _State()


def install(language: str = "zh") -> None:
    """Handle SIGINT and SIGTERM in this process (the main one) from now on."""
    global _state
    before = _state.unraisable_before
    _state = _State(language)
    if sys.unraisablehook is _unraisable:  # installed before: what was there then
        _state.unraisable_before = before
    for signum in SIGNALS:
        signal.signal(signum, _handle)
    sys.unraisablehook = _unraisable


@contextmanager
def handled(language: str = "zh") -> Iterator[None]:
    """Stops handled inside the block; the handlers before it are put back after (for a command
    run inside another program, such as the tests)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can handle signals: the program around it does
        return
    before = {signum: signal.getsignal(signum) for signum in SIGNALS}
    unraisable = sys.unraisablehook
    install(language)
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        sys.unraisablehook = unraisable


def in_worker() -> None:
    """In a forked worker: Ctrl+C is for the main process to act on; SIGTERM ends it (as a pool
    ends its processes when one of them died)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def requested() -> int | None:
    """The signal that asked this command to stop, if one did."""
    return _state.asked


def closing() -> None:
    """The command is done: a stop now has nothing left to unwind (`leave`)."""
    _state.closing = True


def leave(code: int) -> NoReturn:
    """End the process as Python would (its exit functions run: Pagefind is waited for), but
    without the moment at the very end when Python has put back the default handlers and a
    signal would kill it outright, with another exit code. A stop meanwhile has nothing left
    to unwind."""
    _state.closing = True
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # no one left to read it
    os._exit(code)


def _handle(signum: int, frame: Any) -> None:
    if os.getpid() != _state.main:
        return  # a process just forked, not yet in `in_worker`
    if _state.asked is None:
        _state.asked = signum
        threading.Thread(target=_watchdog, args=(Stopped(signum),), daemon=True).start()
        if _state.closing:  # not raised into what Python runs as it exits (it would print it)
            os._exit(ended(Stopped(signum)))
    elif _state.raised:
        return  # stopping already: another Ctrl+C changes nothing
    if not _state.held:
        _stop(_state.asked)


def _stop(signum: int) -> None:
    _state.raised = True
    end_children()
    raise Stopped(signum)


def _unraisable(unraisable: Any) -> None:
    """A stop raised where Python only prints what is raised (a hook run after a fork, a `__del__`)
    is not printed, but raised again at the next moment."""
    if not isinstance(unraisable.exc_value, Stopped) or os.getpid() != _state.main:
        _state.unraisable_before(unraisable)
        return
    _state.raised = False
    # Sent from another thread, a moment later: sent from here, it would be handled here.
    threading.Timer(0.01, signal.pthread_kill, (threading.main_thread().ident, unraisable.exc_value.signum)).start()


@contextmanager
def publishing(out: Path) -> Iterator[None]:
    """The moment `out` changes, whole or not at all: a stop waits until it is done."""
    _state.held += 1
    try:
        yield
    finally:
        _state.held -= 1
    _state.published = out
    if _state.asked is not None and not _state.held:
        _stop(_state.asked)


def starting() -> None:
    """A new build or closing starts: nothing of it is published yet (`serve --watch` builds again
    and again)."""
    _state.published = None


def track(parent: Path | str | None, prefix: str) -> None:
    """Working folders named `<prefix><pid>-…` in `parent`: those of this command's processes
    that are left when it stops (a worker killed, a removal cut short) are removed by `ended`."""
    if os.getpid() == _state.main:
        _state.tracked.add((None if parent is None else str(parent), prefix))


def ended(stop: Stopped) -> int:
    """Once the command has unwound: its processes ended, its working folders gone, the clerk
    told in one line. Returns the exit code."""
    from generator.fs.files import sweep  # noqa: PLC0415 - this module is imported first of all: kept light

    with _state.lock:
        if _state.ended:
            return stop.code
        _state.ended = True
    end_children()
    for parent, prefix in _state.tracked:
        sweep(parent, prefix, also=os.getpid())
    _say(stop)
    return stop.code


def _say(stop: Stopped) -> None:
    from generator.inputs.messages import Catalogue  # noqa: PLC0415 - only when stopping

    catalogue = Catalogue(_state.language)
    if _state.published is not None:
        line = catalogue.text("report.stopped_published", out=_state.published)
    else:
        line = catalogue.text("report.stopped")
    try:
        sys.stdout.flush()  # what was said before comes first
        sys.stderr.flush()
        os.write(2, (line + "\n").encode("utf-8"))  # not through a buffer a stuck thread may hold
    except OSError:
        pass  # no terminal left to tell


def _watchdog(stop: Stopped) -> None:
    """If the command is still here some seconds after the signal, it is ended as it would have
    ended: nothing the main thread waits for (a browser, a pool's thread) holds it up longer."""
    deadline = time.monotonic() + _GRACE_SECONDS
    while time.monotonic() < deadline or _state.held:
        time.sleep(0.05)
    code = ended(stop)
    os._exit(code)


def end_children() -> None:
    """Every process started from this one, at any depth, killed; waited for (bounded) until
    none runs. Frozen first, so that none starts another in the meantime or is left without
    its parent to the system before it is found."""
    frozen: set[int] = set()
    for _ in range(50):
        found = _descendants() - frozen
        if not found:
            break
        for pid in found:
            _send(pid, signal.SIGSTOP)
        frozen |= found
    for pid in frozen:
        _send(pid, signal.SIGKILL)
    deadline = time.monotonic() + _KILL_WAIT_SECONDS
    while any(_alive(pid) for pid in frozen) and time.monotonic() < deadline:
        time.sleep(0.01)


def _descendants() -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                parent = int(Path(f"/proc/{entry.name}/stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _send(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except OSError:
        pass  # ended meanwhile


def _alive(pid: int) -> bool:
    """Running still: a process killed but not yet reaped (a zombie) runs no more."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return False
