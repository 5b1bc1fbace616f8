"""Work shared out among processes forked from the build: each finds what the build holds
(villages, templates compiled) as it was when it forked, without it being sent over a pipe.
(Forked, not spawned: a spawned process would import and set everything up again.)"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator

from generator.engine import stopping


def forked(processes: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"), initializer=_started,
                               initargs=(initializer,))


def _started(initializer: Callable[[], None] | None) -> None:
    stopping.in_worker()  # a stop is the main process's to make (stopping.py)
    # What the process was forked with stays as long as it runs: the garbage collector need not
    # go through it again and again (as much as a second of a worker's minute, with a county's
    # records), nor copy the pages it would touch doing so.
    gc.freeze()
    if initializer is not None:
        initializer()


def each(function: Callable[..., Any], tasks: list[tuple], jobs: int) -> Iterator[Any]:
    """`function` over `tasks` (argument tuples), in their order: here, or in `jobs` processes."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from (function(*task) for task in tasks)
        return
    with forked(min(jobs, len(tasks))) as pool:
        for future in [pool.submit(function, *task) for task in tasks]:
            yield future.result()


def share(processes: int) -> Callable[[Callable[[Any], Any], list], Iterator[Any]]:
    """A map over `processes` forked processes: each inherits the function (and all it holds, such
    as a year's records and compiled templates) as it forks, so only the items and the results
    go through a pipe. Results come in the items' order, as they are done."""

    def mapped(function: Callable[[Any], Any], items: list) -> Iterator[Any]:
        global _INHERITED
        _INHERITED = function
        try:
            with forked(processes) as pool:
                yield from pool.map(_run_inherited, items)
        finally:
            _INHERITED = None

    return mapped


_INHERITED: Callable[[Any], Any] | None = None


def _run_inherited(item: Any) -> Any:
    assert _INHERITED is not None, "run in a process forked by share()"
    return _INHERITED(item)
